#include "simnfcdevice.h"

#include "ndeflink.h"
#include "platformlogging.h"

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
    setStatus(Status::Serving);
}

void SimNfcDevice::stopServing()
{
    m_link.clear();
    m_ndef.clear();
    setStatus(Status::Ready);
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

void SimNfcDevice::setStatus(Status status, const QString &reason)
{
    if (m_status == status && m_reason == reason)
        return;
    m_status = status;
    m_reason = reason;
    Q_EMIT statusChanged();
}

} // namespace poptap
