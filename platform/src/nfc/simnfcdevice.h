#pragma once

#include "nfcdevice.h"

#include <QByteArray>

namespace poptap {

// The `sim` backend: serves links like the real emulator would (the NDEF bytes are
// encoded for real) and lets a test or the automation interface play a phone tap.
class SimNfcDevice final : public NfcDevice
{
    Q_OBJECT
public:
    explicit SimNfcDevice(QObject *parent = nullptr);

    void serveLink(const QUrl &link) override;
    void stopServing() override;
    Status status() const override { return m_status; }
    QString statusReason() const override { return m_reason; }
    QUrl servedLink() const override { return m_link; }
    QString backendName() const override { return QStringLiteral("sim"); }

    // A phone enters the field and runs the NDEF read: decodes the served bytes and
    // emits linkRead() with the link exactly as on the tag. Returns false, and emits
    // nothing, when no link is served.
    bool simulatePhoneRead();
    QByteArray servedNdef() const { return m_ndef; }

private:
    void setStatus(Status status, const QString &reason = {});

    Status m_status = Status::Ready;
    QString m_reason;
    QUrl m_link;
    QByteArray m_ndef;
};

} // namespace poptap
