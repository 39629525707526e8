#include "qrcodeitem.h"

#include <QPainter>

#include <cmath>

namespace poptap {

QrCodeItem::QrCodeItem(QQuickItem *parent)
    : QQuickPaintedItem(parent)
{
    // Nearest-neighbour sampling: module edges stay sharp for the phone camera.
    setSmooth(false);
    setAntialiasing(false);
}

void QrCodeItem::setText(const QString &text)
{
    if (text == m_text)
        return;
    m_text = text;
    m_matrix = text.isEmpty() ? QrMatrix{} : encodeQr(text);
    const int side = m_matrix.isValid() ? m_matrix.size + 2 * kQuietZoneModules : 0;
    setImplicitSize(side * 8, side * 8);
    Q_EMIT textChanged();
    Q_EMIT matrixChanged();
    updateModulePixels();
    update();
}

void QrCodeItem::setColor(const QColor &color)
{
    if (color == m_color)
        return;
    m_color = color;
    Q_EMIT colorChanged();
    update();
}

void QrCodeItem::setBackgroundColor(const QColor &color)
{
    if (color == m_background)
        return;
    m_background = color;
    Q_EMIT colorChanged();
    update();
}

int QrCodeItem::modulePixels() const
{
    if (!m_matrix.isValid())
        return 0;
    const int side = m_matrix.size + 2 * kQuietZoneModules;
    return int(std::floor(std::min(width(), height()) / side));
}

void QrCodeItem::geometryChange(const QRectF &newGeometry, const QRectF &oldGeometry)
{
    QQuickPaintedItem::geometryChange(newGeometry, oldGeometry);
    updateModulePixels();
}

void QrCodeItem::updateModulePixels()
{
    if (const int pixels = modulePixels(); pixels != m_lastModulePixels) {
        m_lastModulePixels = pixels;
        Q_EMIT modulePixelsChanged();
    }
}

void QrCodeItem::paint(QPainter *painter)
{
    const int pixels = modulePixels();
    if (pixels < 1)
        return;
    const int side = (m_matrix.size + 2 * kQuietZoneModules) * pixels;
    const int left = int(std::floor((width() - side) / 2));
    const int top = int(std::floor((height() - side) / 2));
    painter->setRenderHint(QPainter::Antialiasing, false);
    painter->fillRect(left, top, side, side, m_background);
    const int origin = kQuietZoneModules * pixels;
    for (int y = 0; y < m_matrix.size; ++y)
        for (int x = 0; x < m_matrix.size; ++x)
            if (m_matrix.isDark(x, y))
                painter->fillRect(left + origin + x * pixels, top + origin + y * pixels, pixels, pixels, m_color);
}

} // namespace poptap
