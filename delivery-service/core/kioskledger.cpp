#include "kioskledger.h"

#include "deliverylogging.h"
#include "analytics/heartbeatcounters.h"

#include <QCryptographicHash>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QRandomGenerator>
#include <QSet>
#include <QSqlQuery>
#include <QVariant>

namespace poptap::delivery {
namespace {

using wire::ApiError;
namespace code = wire::errorcode;

QString hashOf(QByteArrayView data)
{
    return QString::fromLatin1(QCryptographicHash::hash(data, QCryptographicHash::Sha256).toHex());
}

QByteArray randomBytes(int size)
{
    QByteArray bytes(size, Qt::Uninitialized);
    QRandomGenerator::system()->generate(reinterpret_cast<quint32 *>(bytes.data()),
                                         reinterpret_cast<quint32 *>(bytes.data() + size));
    return bytes;
}

QString normalisedCode(const QString &code)
{
    return code.toUpper().remove(u'-');
}

} // namespace

KioskLedger::KioskLedger(ServiceDatabase &db, Clock now)
    : m_db(db)
    , m_now(std::move(now))
{
}

std::optional<QString> KioskLedger::createEnrollmentCode(std::int64_t storeId, int validHours, QString *error)
{
    // 16 Crockford base-32 characters: 80 random bits, no I, L, O or U to misread.
    static const char alphabet[] = "0123456789ABCDEFGHJKMNPQRSTVWXYZ";
    QString code;
    for (int i = 0; i < 16; ++i) {
        if (i > 0 && i % 4 == 0)
            code += u'-';
        code += QLatin1Char(alphabet[QRandomGenerator::system()->bounded(32)]);
    }
    const qint64 now = m_now().toMSecsSinceEpoch();
    QSqlQuery q(m_db.handle());
    q.prepare(QStringLiteral("INSERT INTO enrollment_code (code_hash, store_id, created_at, expires_at) VALUES (?, ?, ?, ?)"));
    q.addBindValue(hashOf(normalisedCode(code).toLatin1()));
    q.addBindValue(qint64(storeId));
    q.addBindValue(now);
    q.addBindValue(now + qint64(validHours) * 3600 * 1000);
    if (!q.exec()) {
        *error = q.lastError().text();
        return std::nullopt;
    }
    return code;
}

std::optional<wire::EnrollmentResponse> KioskLedger::existingEnrolment(const QString &deviceId) const
{
    QSqlQuery q(m_db.handle());
    q.prepare(QStringLiteral("SELECT d.store_id, d.request_secret, k.key_id, k.secret FROM device d"
                             " JOIN device_key k ON k.device_id = d.id AND k.origin = 'enrolled' WHERE d.id = ?"));
    q.addBindValue(deviceId);
    if (!q.exec() || !q.next())
        return std::nullopt;
    wire::EnrollmentResponse r;
    r.deviceId = deviceId;
    r.storeId = std::uint32_t(q.value(0).toLongLong());
    r.requestSecret = QByteArray::fromBase64(q.value(1).toString().toLatin1());
    r.deviceKey = {std::uint32_t(q.value(2).toLongLong()), QByteArray::fromBase64(q.value(3).toString().toLatin1())};
    return r;
}

KioskLedger::Enrolled KioskLedger::enroll(const wire::EnrollmentRequest &request)
{
    const auto refuse = [](const char *c, const QString &message) { return Enrolled{std::nullopt, ApiError::make(c, message)}; };
    QSqlDatabase db = m_db.handle();
    QSqlQuery q(db);
    q.prepare(QStringLiteral("SELECT store_id, expires_at, used_at, device_id, local_key_id FROM enrollment_code"
                             " WHERE code_hash = ?"));
    q.addBindValue(hashOf(normalisedCode(request.enrollmentCode).toLatin1()));
    if (!q.exec())
        return refuse(code::kInternalError, QStringLiteral("enrollment could not be checked"));
    if (!q.next())
        return refuse(code::kEnrollmentCodeUnknown, QStringLiteral("no such enrollment code"));
    const std::int64_t storeId = q.value(0).toLongLong();
    const qint64 expiresAt = q.value(1).toLongLong();
    const bool used = !q.value(2).isNull();
    const QString usedBy = q.value(3).toString();
    const qint64 usedWithKey = q.value(4).toLongLong();
    q.finish();
    if (used) {
        // The same kiosk asking again (its first answer was lost) gets the same answer.
        if (usedWithKey == qint64(request.localKey.keyId))
            if (const auto again = existingEnrolment(usedBy))
                return {again, std::nullopt};
        return refuse(code::kEnrollmentCodeUsed, QStringLiteral("this enrollment code was already used"));
    }
    if (m_now().toMSecsSinceEpoch() >= expiresAt)
        return refuse(code::kEnrollmentCodeExpired, QStringLiteral("this enrollment code has expired"));
    q.prepare(QStringLiteral("SELECT count(*) FROM device_key WHERE key_id = ?"));
    q.addBindValue(qint64(request.localKey.keyId));
    if (!q.exec() || !q.next())
        return refuse(code::kInternalError, QStringLiteral("enrollment could not be checked"));
    if (q.value(0).toInt() > 0)
        return refuse(code::kKeyIdConflict, QStringLiteral("key id already in use; make a new local key and retry"));
    q.finish();

    wire::EnrollmentResponse response;
    // Starts with a letter: one in 64 base64url ids would begin with '-', which
    // poptap-deliveryctl (like most command lines) would read as an option.
    response.deviceId = u'k'
        + QString::fromLatin1(randomBytes(16).toBase64(QByteArray::Base64UrlEncoding | QByteArray::OmitTrailingEquals));
    response.storeId = std::uint32_t(storeId);
    response.requestSecret = randomBytes(32);
    response.deviceKey.secret = randomBytes(32);
    do {
        response.deviceKey.keyId = QRandomGenerator::system()->generate();
    } while (response.deviceKey.keyId == 0 || response.deviceKey.keyId == request.localKey.keyId);

    const qint64 now = m_now().toMSecsSinceEpoch();
    if (!db.transaction())
        return refuse(code::kInternalError, QStringLiteral("enrollment could not be stored"));
    const auto exec = [&](const QString &sql, const QVariantList &values) {
        q.prepare(sql);
        for (const QVariant &v : values)
            q.addBindValue(v);
        return q.exec();
    };
    const bool stored =
        exec(QStringLiteral("INSERT INTO device (id, store_id, name, request_secret, enrolled_at) VALUES (?, ?, ?, ?, ?)"),
             {response.deviceId, qint64(storeId), request.deviceName, QString::fromLatin1(response.requestSecret.toBase64()), now})
        && exec(QStringLiteral("INSERT INTO device_key (key_id, device_id, secret, origin, created_at) VALUES (?, ?, ?, 'local', ?)"),
                {qint64(request.localKey.keyId), response.deviceId, QString::fromLatin1(request.localKey.secret.toBase64()), now})
        && exec(QStringLiteral("INSERT INTO device_key (key_id, device_id, secret, origin, created_at) VALUES (?, ?, ?, 'enrolled', ?)"),
                {qint64(response.deviceKey.keyId), response.deviceId, QString::fromLatin1(response.deviceKey.secret.toBase64()), now})
        && exec(QStringLiteral("UPDATE enrollment_code SET used_at = ?, device_id = ?, local_key_id = ?"
                               " WHERE code_hash = ? AND used_at IS NULL"),
                {now, response.deviceId, qint64(request.localKey.keyId), hashOf(normalisedCode(request.enrollmentCode).toLatin1())})
        && q.numRowsAffected() == 1;
    if (!stored || !db.commit()) {
        db.rollback();
        return refuse(code::kEnrollmentCodeUsed, QStringLiteral("enrollment did not complete; the code may have been used"));
    }
    qCInfo(lcHttp).noquote() << "device" << response.deviceId << "enrolled for store" << storeId;
    return {response, std::nullopt};
}

std::optional<KioskLedger::DeviceAuth> KioskLedger::device(const QString &deviceId) const
{
    QSqlQuery q(m_db.handle());
    q.prepare(QStringLiteral("SELECT request_secret, revoked_at, store_id FROM device WHERE id = ?"));
    q.addBindValue(deviceId);
    if (!q.exec() || !q.next())
        return std::nullopt;
    return DeviceAuth{QByteArray::fromBase64(q.value(0).toString().toLatin1()), !q.value(1).isNull(), q.value(2).toLongLong()};
}

bool KioskLedger::rememberNonce(const QString &deviceId, const QByteArray &nonce, qint64 untilUnixSeconds)
{
    QSqlQuery q(m_db.handle());
    q.prepare(QStringLiteral("DELETE FROM device_nonce WHERE device_id = ? AND expires_at < ?"));
    q.addBindValue(deviceId);
    q.addBindValue(m_now().toSecsSinceEpoch());
    q.exec();
    q.prepare(QStringLiteral("INSERT INTO device_nonce (device_id, nonce, expires_at) VALUES (?, ?, ?)"
                             " ON CONFLICT (device_id, nonce) DO NOTHING"));
    q.addBindValue(deviceId);
    q.addBindValue(QString::fromLatin1(nonce));
    q.addBindValue(untilUnixSeconds);
    return q.exec() && q.numRowsAffected() == 1;
}

wire::RegistrationBatchResponse KioskLedger::verdicts(const QString &deviceId, const wire::RegistrationBatch &batch, bool *ok)
{
    *ok = true;
    const auto keyOfThisDevice = [this, &deviceId](std::uint32_t keyId) -> std::optional<QByteArray> {
        QSqlQuery q(m_db.handle());
        q.prepare(QStringLiteral("SELECT secret FROM device_key WHERE key_id = ? AND device_id = ?"));
        q.addBindValue(qint64(keyId));
        q.addBindValue(deviceId);
        if (!q.exec() || !q.next())
            return std::nullopt;
        return QByteArray::fromBase64(q.value(0).toString().toLatin1());
    };
    wire::RegistrationBatchResponse response;
    QSqlQuery insert(m_db.handle());
    insert.prepare(QStringLiteral("INSERT INTO registration (intent_id, device_id, kind, target, token, issued_at, received_at)"
                                  " VALUES (?, ?, ?, ?, ?, ?, ?) ON CONFLICT (intent_id) DO NOTHING"));
    const qint64 now = m_now().toMSecsSinceEpoch();
    for (const wire::RegistrationIntent &intent : batch.intents) {
        const wire::IntentVerdict verdict = wire::verifyIntentToken(intent, keyOfThisDevice);
        if (!verdict.ok()) {
            response.results.append({intent.intentId, wire::RegistrationStatus::Rejected, verdict.rejection});
            continue;
        }
        insert.addBindValue(intent.intentId);
        insert.addBindValue(deviceId);
        insert.addBindValue(int(intent.kind));
        insert.addBindValue(qint64(intent.target));
        insert.addBindValue(intent.token);
        insert.addBindValue(intent.issuedAt.toMSecsSinceEpoch());
        insert.addBindValue(now);
        if (!insert.exec()) {
            *ok = false;
            return {};
        }
        // An intent seen before, in any batch, is reported and never stored twice.
        response.results.append({intent.intentId,
                                 insert.numRowsAffected() > 0 ? wire::RegistrationStatus::Accepted
                                                              : wire::RegistrationStatus::Duplicate,
                                 {}});
    }
    return response;
}

KioskLedger::Ingested KioskLedger::ingest(const QString &deviceId, const QByteArray &idempotencyKey, const QByteArray &body)
{
    const auto error = [](const ApiError &e) { return Ingested{e.httpStatus, e.toJson(), false}; };
    if (!wire::isValidIdempotencyKey(idempotencyKey))
        return error(ApiError::make(code::kMalformedRequest, QStringLiteral("Idempotency-Key must be a lower-case UUID")));
    const wire::WireResult<wire::RegistrationBatch> batch = wire::RegistrationBatch::fromJson(body);
    if (!batch.ok())
        return error(ApiError::fromParseFailure(batch.failure, batch.errors));

    QSqlDatabase db = m_db.handle();
    const QString bodyHash = hashOf(body);
    QSqlQuery q(db);
    if (!db.transaction())
        return error(ApiError::make(code::kUnavailable, QStringLiteral("try again")));
    q.prepare(QStringLiteral("INSERT INTO idempotency_record (device_id, idem_key, body_hash, created_at) VALUES (?, ?, ?, ?)"
                             " ON CONFLICT (device_id, idem_key) DO NOTHING"));
    q.addBindValue(deviceId);
    q.addBindValue(QString::fromLatin1(idempotencyKey));
    q.addBindValue(bodyHash);
    q.addBindValue(m_now().toMSecsSinceEpoch());
    if (!q.exec()) {
        db.rollback();
        return error(ApiError::make(code::kUnavailable, QStringLiteral("try again")));
    }
    if (q.numRowsAffected() == 0) {
        q.prepare(QStringLiteral("SELECT body_hash, response FROM idempotency_record WHERE device_id = ? AND idem_key = ?"));
        q.addBindValue(deviceId);
        q.addBindValue(QString::fromLatin1(idempotencyKey));
        const bool found = q.exec() && q.next();
        const QString storedHash = found ? q.value(0).toString() : QString();
        const QVariant storedResponse = found ? q.value(1) : QVariant();
        q.finish();
        db.rollback();
        if (!found)
            return error(ApiError::make(code::kUnavailable, QStringLiteral("try again")));
        if (storedHash != bodyHash)
            return error(ApiError::make(code::kIdempotencyKeyReused,
                                        QStringLiteral("this Idempotency-Key was used with a different body")));
        if (storedResponse.isNull())
            return error(ApiError::make(code::kRequestInProgress, QStringLiteral("the first request is still being processed")));
        return {200, storedResponse.toString().toUtf8(), true};
    }
    bool ok = false;
    const wire::RegistrationBatchResponse response = verdicts(deviceId, *batch.value, &ok);
    const QByteArray json = response.toJson();
    q.prepare(QStringLiteral("UPDATE idempotency_record SET response = ? WHERE device_id = ? AND idem_key = ?"));
    q.addBindValue(QString::fromUtf8(json));
    q.addBindValue(deviceId);
    q.addBindValue(QString::fromLatin1(idempotencyKey));
    if (!ok || !q.exec() || !db.commit()) {
        db.rollback();
        return error(ApiError::make(code::kUnavailable, QStringLiteral("registrations not stored; retry with the same key")));
    }
    return {200, json, false};
}

QString KioskLedger::recordHeartbeat(const QString &deviceId, const QByteArray &body)
{
    // The stored heartbeat is the baseline the next one's counters grow from (analytics/
    // heartbeatcounters.h), so it is read, compared and replaced in one transaction, and
    // replaced only if no other request replaced it meanwhile; that one is retried.
    const std::optional<wire::Heartbeat> beat = wire::Heartbeat::fromJson(body).value;
    QSqlDatabase db = m_db.handle();
    QString error;
    for (int attempt = 0; attempt < 3; ++attempt) {
        const qint64 now = m_now().toMSecsSinceEpoch();
        if (!db.transaction())
            return db.lastError().text();
        QSqlQuery q(db);
        q.prepare(QStringLiteral("SELECT body, received_at FROM device_heartbeat WHERE device_id = ?"));
        q.addBindValue(deviceId);
        if (!q.exec()) {
            error = q.lastError().text();
            db.rollback();
            continue;
        }
        const bool known = q.next();
        const QString storedBody = known ? q.value(0).toString() : QString();
        const qint64 storedAt = known ? q.value(1).toLongLong() : 0;
        q.finish();
        std::optional<StoredHeartbeat> previous;
        if (const auto stored = wire::Heartbeat::fromJson(storedBody.toUtf8()).value; known && stored)
            previous = StoredHeartbeat{*stored, storedAt};
        const CounterGrowth growth = beat ? counterGrowth(previous, *beat, now) : CounterGrowth{};
        if (growth.stale) { // a late resend: the newer heartbeat stays
            db.rollback();
            return {};
        }
        if (known) {
            q.prepare(QStringLiteral("UPDATE device_heartbeat SET body = ?, received_at = ?"
                                     " WHERE device_id = ? AND received_at = ? AND body = ?"));
            q.addBindValue(QString::fromUtf8(body));
            q.addBindValue(now);
            q.addBindValue(deviceId);
            q.addBindValue(storedAt);
            q.addBindValue(storedBody);
        } else {
            q.prepare(QStringLiteral("INSERT INTO device_heartbeat (device_id, body, received_at) VALUES (?, ?, ?)"
                                     " ON CONFLICT (device_id) DO NOTHING"));
            q.addBindValue(deviceId);
            q.addBindValue(QString::fromUtf8(body));
            q.addBindValue(now);
        }
        if (!q.exec())
            error = q.lastError().text();
        else if (q.numRowsAffected() != 1)
            error = QStringLiteral("the stored heartbeat changed meanwhile");
        else if (!recordCounterGrowth(q, deviceId, growth, now))
            error = q.lastError().text();
        else if (db.commit())
            return {};
        else
            error = db.lastError().text();
        db.rollback();
    }
    return error;
}

} // namespace poptap::delivery
