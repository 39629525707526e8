#include "lineformat.h"

#include <QTextBoundaryFinder>
#include <QUrl>

namespace poptap::delivery::lineformat {
namespace {

const QString kEllipsis = QStringLiteral("…");

// The last grapheme boundary at or before `position` (UTF-16 units).
qsizetype boundaryAtOrBefore(const QString &text, qsizetype position)
{
    QTextBoundaryFinder finder(QTextBoundaryFinder::Grapheme, text);
    finder.setPosition(position);
    if (finder.isAtBoundary())
        return position;
    const qsizetype previous = finder.toPreviousBoundary();
    return previous < 0 ? 0 : previous;
}

} // namespace

QString truncateUtf16(const QString &text, int max)
{
    if (text.size() <= max)
        return text;
    if (max < kEllipsis.size())
        return {};
    return text.left(boundaryAtOrBefore(text, max - kEllipsis.size())) + kEllipsis;
}

int graphemeCount(const QString &text)
{
    QTextBoundaryFinder finder(QTextBoundaryFinder::Grapheme, text);
    int count = 0;
    while (finder.toNextBoundary() > 0)
        ++count;
    return count;
}

QString truncateGraphemes(const QString &text, int max)
{
    if (max < 1)
        return {};
    QTextBoundaryFinder finder(QTextBoundaryFinder::Grapheme, text);
    qsizetype keep = 0; // UTF-16 length of the first max - 1 clusters
    int count = 0;
    qsizetype next = 0;
    while ((next = finder.toNextBoundary()) > 0) {
        ++count;
        if (count == max - 1)
            keep = next;
        if (count > max)
            return text.left(keep) + kEllipsis;
    }
    return text;
}

QString yen(qint64 amount)
{
    QString digits = QString::number(amount < 0 ? -amount : amount);
    for (qsizetype i = digits.size() - 3; i > 0; i -= 3)
        digits.insert(i, u',');
    return (amount < 0 ? QStringLiteral("-¥") : QStringLiteral("¥")) + digits;
}

bool isWebUrl(const QString &url)
{
    const QUrl parsed(url, QUrl::StrictMode);
    return parsed.isValid() && !parsed.isRelative() && !parsed.host().isEmpty()
        && (parsed.scheme() == QLatin1String("https") || parsed.scheme() == QLatin1String("http"));
}

} // namespace poptap::delivery::lineformat
