#pragma once

#include "nfcdevice.h"
#include "ntag21x.h"

#include <QByteArray>

namespace poptap {

// The `sim` backend: behaves like the libnfc one (the NDEF bytes are encoded for real, a
// sticker write goes through the same NTAG21x write plan into a simulated tag's memory)
// and lets a test or the automation interface play the outside world: a phone tap, a
// staff card, a blank sticker.
class SimNfcDevice final : public NfcDevice
{
    Q_OBJECT
public:
    explicit SimNfcDevice(QObject *parent = nullptr);

    void serveLink(const QUrl &link) override;
    void stopServing() override;
    void writeTag(const QUrl &link, bool permanentLock) override;
    void cancelWrite() override;
    bool canEmulate() const override { return true; }
    Status status() const override { return m_status; }
    QString statusReason() const override { return m_reason; }
    QUrl servedLink() const override { return m_link; }
    QString backendName() const override { return QStringLiteral("sim"); }

    // A phone enters the field and runs the NDEF read: decodes the served bytes and
    // emits linkRead() with the link exactly as on the tag. Returns false, and emits
    // nothing, when no link is served.
    bool simulatePhoneRead();
    QByteArray servedNdef() const { return m_ndef; }

    // A card is held to the reader. Returns false when the reader is not reading
    // (serving or writing): the card goes unnoticed, as on the real reader.
    bool simulateCard(const QByteArray &uid, const QByteArray &ndef = {});

    // A factory-fresh sticker of `type` is held to the reader while a write is pending.
    // Returns the tag's memory afterwards (empty when no write was pending).
    QByteArray simulateBlankSticker(nfc::NtagType type);

private:
    void setStatus(Status status, const QString &reason = {});
    Status idleStatus() const;

    Status m_status = Status::Reading;
    QString m_reason;
    QUrl m_link;
    QByteArray m_ndef;
    QUrl m_writeLink;
    bool m_writeLock = false;
};

} // namespace poptap
