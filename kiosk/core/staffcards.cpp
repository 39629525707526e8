#include "staffcards.h"

#include "constanttime.h"

#include <QCryptographicHash>
#include <QPasswordDigestor>
#include <QRandomGenerator>
#include <QRegularExpression>

#include <algorithm>

namespace poptap {
namespace {

const QLatin1String kScheme("pbkdf2-sha256");

bool setError(QString *error, const QString &message)
{
    if (error)
        *error = message;
    return false;
}

std::optional<QByteArray> strictBase64(const QString &text)
{
    const auto decoded = QByteArray::fromBase64Encoding(text.toLatin1(), QByteArray::AbortOnBase64DecodingErrors);
    if (!decoded || text.isEmpty() || decoded.decoded.toBase64() != text.toLatin1())
        return std::nullopt;
    return decoded.decoded;
}

QByteArray derive(const QByteArray &uid, const QByteArray &salt, int iterations)
{
    return QPasswordDigestor::deriveKeyPbkdf2(QCryptographicHash::Sha256, uid, salt, iterations,
                                              StaffCards::kHashBytes);
}

} // namespace

QString StaffCards::Entry::toString() const
{
    return QStringLiteral("%1$%2$%3$%4")
        .arg(kScheme)
        .arg(iterations)
        .arg(QString::fromLatin1(salt.toBase64()), QString::fromLatin1(hash.toBase64()));
}

std::optional<StaffCards::Entry> StaffCards::parseEntry(const QString &text, QString *error)
{
    const QStringList parts = text.trimmed().split(u'$');
    if (parts.size() != 4 || parts.at(0) != kScheme) {
        setError(error, QStringLiteral("not a %1$<iterations>$<salt>$<hash> entry (make one with --hash-staff-card)").arg(kScheme));
        return std::nullopt;
    }
    bool ok = false;
    const int iterations = parts.at(1).toInt(&ok);
    if (!ok || iterations < kMinIterations || iterations > kMaxIterations) {
        setError(error, QStringLiteral("iterations must be from %1 to %2").arg(kMinIterations).arg(kMaxIterations));
        return std::nullopt;
    }
    const std::optional<QByteArray> salt = strictBase64(parts.at(2));
    if (!salt || salt->size() < 8 || salt->size() > 64) {
        setError(error, QStringLiteral("the salt must be 8 to 64 bytes in padded base64"));
        return std::nullopt;
    }
    const std::optional<QByteArray> hash = strictBase64(parts.at(3));
    if (!hash || hash->size() != kHashBytes) {
        setError(error, QStringLiteral("the hash must be %1 bytes in padded base64").arg(kHashBytes));
        return std::nullopt;
    }
    return Entry{iterations, *salt, *hash};
}

QList<StaffCards::Entry> StaffCards::parseList(const QString &text, QStringList *errors)
{
    static const QRegularExpression separators(QStringLiteral("[,\\s]+"));
    QList<Entry> entries;
    const QStringList items = text.split(separators, Qt::SkipEmptyParts);
    for (qsizetype i = 0; i < items.size(); ++i) {
        QString error;
        if (const std::optional<Entry> entry = parseEntry(items.at(i), &error))
            entries << *entry;
        else if (errors) // the entry itself is not quoted: it is a hash of a staff card
            *errors << QStringLiteral("entry %1: %2").arg(i + 1).arg(error);
    }
    return entries;
}

StaffCards::Entry StaffCards::makeEntry(const QByteArray &uid, const QByteArray &salt, int iterations)
{
    return {iterations, salt, derive(uid, salt, iterations)};
}

QByteArray StaffCards::randomSalt()
{
    QByteArray salt(kSaltBytes, Qt::Uninitialized);
    QRandomGenerator::system()->generate(reinterpret_cast<quint32 *>(salt.data()),
                                         reinterpret_cast<quint32 *>(salt.data() + salt.size()));
    return salt;
}

QByteArray StaffCards::parseUid(const QString &hex, QString *error)
{
    static const QRegularExpression separators(QStringLiteral("[:\\-\\s]"));
    static const QRegularExpression hexDigits(QStringLiteral("^(?:[0-9A-Fa-f]{2})+$"));
    QString digits = hex;
    digits.remove(separators);
    if (!hexDigits.match(digits).hasMatch()) {
        setError(error, QStringLiteral("a card UID is hex digits, two per byte (e.g. 04:A2:3B:1C:5D:80:00)"));
        return {};
    }
    const QByteArray uid = QByteArray::fromHex(digits.toLatin1());
    if (uid.size() < kMinUidBytes || uid.size() > kMaxUidBytes) {
        setError(error, QStringLiteral("a card UID has %1 to %2 bytes, not %3").arg(kMinUidBytes).arg(kMaxUidBytes).arg(uid.size()));
        return {};
    }
    return uid;
}

StaffCards::StaffCards(const QList<Entry> &entries)
{
    for (const Entry &entry : entries) {
        auto group = std::find_if(m_groups.begin(), m_groups.end(), [&](const Group &g) {
            return g.iterations == entry.iterations && g.salt == entry.salt;
        });
        if (group == m_groups.end())
            group = m_groups.insert(m_groups.end(), Group{entry.iterations, entry.salt, {}});
        group->hashes << entry.hash;
        ++m_size;
    }
}

bool StaffCards::matches(const QByteArray &uid) const
{
    if (uid.size() < kMinUidBytes || uid.size() > kMaxUidBytes)
        return false;
    // Every hash is compared, in constant time: how long this takes says nothing about
    // which entry, or how much of one, a card matched.
    bool matched = false;
    for (const Group &group : m_groups) {
        const QByteArray derived = derive(uid, group.salt, group.iterations);
        for (const QByteArray &hash : group.hashes)
            matched |= constantTimeEquals(derived, hash);
    }
    return matched;
}

StaffCardHash hashStaffCard(const QString &uidHex, const QList<StaffCards::Entry> &configured)
{
    StaffCardHash result;
    const QByteArray uid = StaffCards::parseUid(uidHex, &result.error);
    if (uid.isEmpty())
        return result;
    QByteArray salt;
    int iterations = StaffCards::kIterations;
    if (!configured.isEmpty()) {
        salt = configured.constFirst().salt;
        iterations = configured.constFirst().iterations;
        result.note = QStringLiteral("with the salt and iterations of the %1 entr%2 already configured")
                          .arg(configured.size())
                          .arg(configured.size() == 1 ? QStringLiteral("y") : QStringLiteral("ies"));
    } else {
        salt = StaffCards::randomSalt();
        result.note = QStringLiteral("with a new salt; hash further cards with this kiosk.conf in place so they share it");
    }
    // ISO/IEC 14443-3: a single-size UID starting with 08h is random, new at every tap.
    if (uid.size() == 4 && quint8(uid.at(0)) == 0x08)
        result.note += QStringLiteral("\nwarning: this UID is random (it starts with 08): the card shows a new one at"
                                      " every tap and cannot open staff mode");
    result.entry = StaffCards::makeEntry(uid, salt, iterations).toString();
    return result;
}

} // namespace poptap
