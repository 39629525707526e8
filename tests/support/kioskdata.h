#pragma once

#include <QByteArray>
#include <QList>
#include <QString>

#include <optional>

namespace poptap::test {

// device-key.json of a kiosk's data directory, read as the delivery service would get it.
struct DeviceKeyFile {
    quint32 keyId = 0;
    QByteArray secret;
    QString error; // empty when the file was read and holds a key

    static DeviceKeyFile read(const QString &dataDir);
};

// One row of the outbox's `intent` table.
struct IntentRow {
    QString intentId;
    qint64 keyId = 0;
    int epoch = 0;
    qint64 sequence = 0;
    int kind = 0;
    qint64 target = 0;
    QString token;
    qint64 issuedAt = 0;
    qint64 expiresAt = 0;
    QString state;
};

// A read-only look into a kiosk's outbox.db, on its own connection, while the kiosk runs.
class OutboxReader
{
public:
    explicit OutboxReader(const QString &path);
    ~OutboxReader();
    OutboxReader(const OutboxReader &) = delete;
    OutboxReader &operator=(const OutboxReader &) = delete;

    bool isOpen() const { return m_error.isEmpty(); }
    QString errorString() const { return m_error; }

    QList<IntentRow> intents(); // in commit order
    std::optional<IntentRow> byToken(const QString &token);
    qint64 count(); // -1 on error

private:
    QList<IntentRow> select(const QString &where, const QString &value);

    QString m_connection;
    QString m_error;
};

} // namespace poptap::test
