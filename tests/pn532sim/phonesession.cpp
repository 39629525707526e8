#include "phonesession.h"

#include <QNdefMessage>
#include <QNdefNfcUriRecord>

namespace poptap::pn532sim {

std::optional<QByteArray> PhoneSession::exchange(const QByteArray &command)
{
    if (m_gone)
        return std::nullopt;
    const int limit = m_script.leaveAfterCommands;
    if (limit >= 0 && m_sent >= limit) {
        fail(QStringLiteral("the phone left the field after %1 commands").arg(limit));
        leave(false);
        return std::nullopt;
    }
    ++m_sent;
    PhoneExchange record{command, {}, false};
    if (!m_rf.send(command)) {
        m_result.exchanges.append(record);
        fail(QStringLiteral("the tag was gone when command %1 was sent").arg(m_sent));
        leave(false);
        return std::nullopt;
    }
    if (m_script.leaveBeforeLastResponse && m_sent == limit) {
        m_result.exchanges.append(record);
        fail(QStringLiteral("the phone left the field right after sending command %1").arg(m_sent));
        leave(false);
        return std::nullopt;
    }
    const std::optional<QByteArray> response = m_rf.receive(m_script.responseTimeout);
    if (response) {
        record.response = *response;
        record.answered = true;
    }
    m_result.exchanges.append(record);
    if (!response) {
        fail(QStringLiteral("no answer to command %1 (%2) within %3 ms")
                 .arg(m_sent)
                 .arg(QString::fromLatin1(command.left(8).toHex(' ')))
                 .arg(m_script.responseTimeout.count()));
        leave(false);
        return std::nullopt;
    }
    return response;
}

bool PhoneSession::sendStrays(PhoneScript::Step step)
{
    const QList<QByteArray> strays = m_script.strayCommands.values(step);
    // QMultiMap::values lists the most recently inserted first; send in insertion order.
    for (auto it = strays.crbegin(); it != strays.crend(); ++it) {
        if (!exchange(*it))
            return false;
    }
    return true;
}

bool PhoneSession::fail(const QString &error)
{
    if (m_result.error.isEmpty())
        m_result.error = error;
    return false;
}

void PhoneSession::finishWithMessage(const QByteArray &message)
{
    m_result.ndefMessage = message;
    if (message.isEmpty()) {
        // An initialised tag without a message: read correctly, nothing to open.
        m_result.completed = true;
        return;
    }
    const QNdefMessage decoded = QNdefMessage::fromByteArray(message);
    if (decoded.isEmpty()) {
        fail(QStringLiteral("the NDEF file does not hold a valid NDEF message"));
        return;
    }
    m_result.recordCount = int(decoded.size());
    for (const QNdefRecord &record : decoded) {
        if (record.isRecordType<QNdefNfcUriRecord>()) {
            m_result.uri = QNdefNfcUriRecord(record).uri();
            break;
        }
    }
    m_result.completed = true;
}

void PhoneSession::leave(bool deselect)
{
    if (m_gone)
        return;
    m_gone = true;
    if (deselect)
        m_rf.deselect();
    m_rf.leave();
}

PhoneResult runPhone(PhoneRf &rf, const PhoneScript &script)
{
    switch (script.technology) {
    case PhoneScript::Technology::FeliCa:
        return readType3Tag(rf, script);
    case PhoneScript::Technology::IsoDep:
        break;
    }
    return readType4Tag(rf, script);
}

} // namespace poptap::pn532sim
