#include "lineids.h"

#include <QRandomGenerator>
#include <QRegularExpression>
#include <QUuid>

#include <algorithm>

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

// One of `prefixes` and 32 lowercase hex digits: LINE's user, group and room ids. Checked by
// hand rather than by a regular expression: a multicast names up to 500 of them.
bool isPrefixedHex32(QStringView id, QStringView prefixes)
{
    if (id.size() != 33 || !prefixes.contains(id.front()))
        return false;
    return std::all_of(id.begin() + 1, id.end(),
                       [](QChar c) { return (c >= u'0' && c <= u'9') || (c >= u'a' && c <= u'f'); });
}

} // namespace

QString userId()
{
    return u'U' + randomHex(16);
}

bool isUserId(QStringView id)
{
    return isPrefixedHex32(id, u"U");
}

bool isPushTarget(QStringView id)
{
    return isPrefixedHex32(id, u"UCR");
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
