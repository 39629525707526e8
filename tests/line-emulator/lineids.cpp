#include "lineids.h"

#include <QRandomGenerator>
#include <QRegularExpression>
#include <QUuid>

namespace poptap::lineemu::lineids {

namespace {

QString randomHex(int bytes)
{
    QByteArray raw(bytes, Qt::Uninitialized);
    QRandomGenerator::system()->fillRange(reinterpret_cast<quint32 *>(raw.data()), bytes / 4);
    return QString::fromLatin1(raw.toHex());
}

QString randomBase64Url(int bytes)
{
    QByteArray raw(bytes, Qt::Uninitialized);
    QRandomGenerator::system()->fillRange(reinterpret_cast<quint32 *>(raw.data()), bytes / 4);
    return QString::fromLatin1(raw.toBase64(QByteArray::Base64UrlEncoding | QByteArray::OmitTrailingEquals));
}

bool matches(QStringView text, const QRegularExpression &re)
{
    return re.match(text.toString()).hasMatch();
}

} // namespace

QString userId()
{
    return u'U' + randomHex(16);
}

bool isUserId(QStringView id)
{
    static const QRegularExpression re(QStringLiteral("^U[0-9a-f]{32}$"));
    return matches(id, re);
}

bool isPushTarget(QStringView id)
{
    static const QRegularExpression re(QStringLiteral("^[UCR][0-9a-f]{32}$"));
    return matches(id, re);
}

QString requestId()
{
    return QUuid::createUuid().toString(QUuid::WithoutBraces);
}

bool isRetryKey(QStringView key)
{
    static const QRegularExpression re(
        QStringLiteral("^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$"));
    return matches(key, re);
}

QString messageId()
{
    // LINE's message IDs are 18-digit decimal strings.
    return QString::number(100000000000000000LL + QRandomGenerator::system()->bounded(899999999999999999LL));
}

QString replyToken()
{
    return randomHex(16);
}

QString quoteToken()
{
    return randomBase64Url(24);
}

QString ulid(qint64 epochMs)
{
    static constexpr char kAlphabet[] = "0123456789ABCDEFGHJKMNPQRSTVWXYZ";
    QString out(26, u'0');
    quint64 time = quint64(epochMs) & ((quint64(1) << 48) - 1);
    for (int i = 9; i >= 0; --i) { // 48-bit millisecond time in 10 characters
        out[i] = QLatin1Char(kAlphabet[time & 31]);
        time >>= 5;
    }
    for (int i = 10; i < 26; ++i) // 80 random bits in 16 characters
        out[i] = QLatin1Char(kAlphabet[QRandomGenerator::system()->bounded(32)]);
    return out;
}

} // namespace poptap::lineemu::lineids
