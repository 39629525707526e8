#pragma once

#include "qrencoder.h"

#include <QColor>
#include <QQuickPaintedItem>
#include <QtQml/qqmlregistration.h>

namespace poptap {

// Draws a QR code crisp at any item size: every module is the same whole number of
// pixels, with a 4-module quiet zone, centred. Reports an error state instead of
// drawing a code for a link that cannot be encoded.
class QrCodeItem : public QQuickPaintedItem
{
    Q_OBJECT
    QML_NAMED_ELEMENT(QrCode)
    Q_PROPERTY(QString text READ text WRITE setText NOTIFY textChanged)
    Q_PROPERTY(QColor color READ color WRITE setColor NOTIFY colorChanged)
    Q_PROPERTY(QColor backgroundColor READ backgroundColor WRITE setBackgroundColor NOTIFY colorChanged)
    Q_PROPERTY(bool valid READ isValid NOTIFY matrixChanged)
    Q_PROPERTY(QString errorString READ errorString NOTIFY matrixChanged)
    Q_PROPERTY(int moduleCount READ moduleCount NOTIFY matrixChanged)
    Q_PROPERTY(int version READ version NOTIFY matrixChanged)
    Q_PROPERTY(int modulePixels READ modulePixels NOTIFY modulePixelsChanged)

public:
    static constexpr int kQuietZoneModules = 4;

    explicit QrCodeItem(QQuickItem *parent = nullptr);

    QString text() const { return m_text; }
    void setText(const QString &text);
    QColor color() const { return m_color; }
    void setColor(const QColor &color);
    QColor backgroundColor() const { return m_background; }
    void setBackgroundColor(const QColor &color);

    bool isValid() const { return m_matrix.isValid(); }
    QString errorString() const { return m_matrix.error; }
    int moduleCount() const { return m_matrix.size; }
    int version() const { return m_matrix.version(); }
    // Pixels per module at the current size; 0 when the item is too small to draw crisp.
    int modulePixels() const;

    void paint(QPainter *painter) override;

Q_SIGNALS:
    void textChanged();
    void colorChanged();
    void matrixChanged();
    void modulePixelsChanged();

protected:
    void geometryChange(const QRectF &newGeometry, const QRectF &oldGeometry) override;

private:
    void updateModulePixels();

    QString m_text;
    QColor m_color = Qt::black;
    QColor m_background = Qt::white;
    QrMatrix m_matrix;
    int m_lastModulePixels = 0;
};

} // namespace poptap
