#include "simnfcdevice.h"

#include "ndeflink.h"
#include "platformlogging.h"
#include "simulatedntag.h"

namespace poptap {

SimNfcDevice::SimNfcDevice(QObject *parent)
    : NfcDevice(parent)
{
}

void SimNfcDevice::serveLink(const QUrl &link)
{
    if (link.scheme() != QLatin1String("https")) {
        qCWarning(lcNfc) << "refusing to serve a non-https link:" << link.toDisplayString();
        stopServing();
        setStatus(Status::Error, QStringLiteral("link is not https"));
        return;
    }
    m_link = link;
    m_ndef = encodeNdefUri(link);
    if (m_writeLink.isEmpty())
        setStatus(Status::Serving);
}

void SimNfcDevice::stopServing()
{
    m_link.clear();
    m_ndef.clear();
    setStatus(idleStatus());
}

void SimNfcDevice::writeTag(const QUrl &link, bool permanentLock)
{
    m_writeLink = link;
    m_writeLock = permanentLock;
    setStatus(Status::Writing);
}

void SimNfcDevice::cancelWrite()
{
    m_writeLink.clear();
    setStatus(idleStatus());
}

bool SimNfcDevice::simulatePhoneRead()
{
    if (m_status != Status::Serving)
        return false;
    const NdefLinkResult read = decodeNdefUri(m_ndef);
    if (!read.error.isEmpty()) {
        qCWarning(lcNfc) << "simulated phone could not decode the served NDEF:" << read.error;
        return false;
    }
    Q_EMIT linkRead(read.link);
    return true;
}

bool SimNfcDevice::simulateCard(const QByteArray &uid, const QByteArray &ndef)
{
    if (m_status != Status::Reading)
        return false;
    Q_EMIT cardPresented(uid, ndef);
    return true;
}

QByteArray SimNfcDevice::simulateBlankSticker(nfc::NtagType type)
{
    if (m_status != Status::Writing)
        return {};
    SimulatedNtag tag(type);
    const QUrl link = m_writeLink;
    const bool lock = m_writeLock;
    m_writeLink.clear();
    const NtagWriteOutcome outcome = writeLinkToNtag(tag, link, lock);
    setStatus(idleStatus());
    if (outcome.error.isEmpty())
        Q_EMIT tagWritten(link, nfc::toString(type), lock);
    else
        Q_EMIT tagWriteFailed(outcome.error);
    return tag.memory();
}

NfcDevice::Status SimNfcDevice::idleStatus() const
{
    if (!m_writeLink.isEmpty())
        return Status::Writing;
    return m_link.isEmpty() ? Status::Reading : Status::Serving;
}

void SimNfcDevice::setStatus(Status status, const QString &reason)
{
    if (m_status == status && m_reason == reason)
        return;
    m_status = status;
    m_reason = reason;
    Q_EMIT statusChanged();
}

} // namespace poptap
