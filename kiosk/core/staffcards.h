#pragma once

#include <QByteArray>
#include <QList>
#include <QString>

#include <optional>

namespace poptap {

// The cards that open staff mode, configured as PBKDF2-SHA256 hashes of their UIDs
// (kiosk.conf `staff-cards`). A 4- or 7-byte UID is guessable, so it is never stored or
// logged in the clear; the iterations make each guess at a stolen kiosk.conf cost.
//
// Entry format: pbkdf2-sha256$<iterations>$<salt, base64>$<hash, base64>
//
// Any one staff card opens staff mode, so an attacker with kiosk.conf needs to crack just
// one entry: per-entry salts would only multiply the work of cracking all of them, while
// dividing the iterations a kiosk can afford per card presented. So entries made by
// --hash-staff-card share the salt already in use, a match costs one derivation whatever
// the number of cards, and that derivation gets all the iterations.
class StaffCards
{
public:
    // One PBKDF2-SHA256 derivation of 10,000 iterations takes 14 ms on the dev machine
    // (QPasswordDigestor, ~1.4 µs per iteration; staffcardstest measures it): one match
    // with 20 cards sharing a salt stays well under 50 ms of GUI time, with room for a
    // kiosk CPU a few times slower.
    static constexpr int kIterations = 10000;
    static constexpr int kMinIterations = 10000;
    // A mistyped iteration count must not freeze the screen for seconds at every card.
    static constexpr int kMaxIterations = 100000;
    static constexpr int kSaltBytes = 16;
    static constexpr int kHashBytes = 32;
    static constexpr int kMinUidBytes = 4;  // ISO 14443-3 single size, ISO 14443-4 B PUPI
    static constexpr int kMaxUidBytes = 10; // triple size; FeliCa IDm (8) in between

    struct Entry {
        int iterations = 0;
        QByteArray salt;
        QByteArray hash;
        QString toString() const;
        bool operator==(const Entry &) const = default;
    };

    // Parses one entry; nullopt with the reason in `error` when it is not one.
    static std::optional<Entry> parseEntry(const QString &text, QString *error);
    // Entries as kiosk.conf lists them: separated by commas or white space.
    static QList<Entry> parseList(const QString &text, QStringList *errors);
    static Entry makeEntry(const QByteArray &uid, const QByteArray &salt, int iterations = kIterations);
    static QByteArray randomSalt();
    // A UID as readers print it: hex digits, optionally separated by ':', '-' or spaces.
    static QByteArray parseUid(const QString &hex, QString *error);

    StaffCards() = default;
    explicit StaffCards(const QList<Entry> &entries);

    bool isEmpty() const { return m_groups.isEmpty(); }
    int size() const { return m_size; }
    // True when `uid` is one of the staff cards. Compares every hash in constant time.
    bool matches(const QByteArray &uid) const;
    // PBKDF2 derivations a match costs: one per distinct salt and iteration count.
    int derivationsPerMatch() const { return int(m_groups.size()); }

private:
    struct Group {
        int iterations = 0;
        QByteArray salt;
        QList<QByteArray> hashes;
    };
    QList<Group> m_groups;
    int m_size = 0;
};

// `poptap-kiosk --hash-staff-card <uid hex>`: the entry to add to kiosk.conf's staff-cards,
// with the salt of the configured entries (a fresh one when there are none).
struct StaffCardHash {
    QString entry;    // empty on error
    QString note;     // for the operator: which salt, and anything odd about the card
    QString error;
};
StaffCardHash hashStaffCard(const QString &uidHex, const QList<StaffCards::Entry> &configured);

} // namespace poptap
