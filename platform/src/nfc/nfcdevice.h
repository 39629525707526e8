#pragma once

#include <QObject>
#include <QUrl>

namespace poptap {

// An NFC reader/emulator behind one interface (DESIGN.md, "platform/"). The kiosk
// asks it to serve the link that is on screen; a phone tapping the kiosk reads it.
// Reading cards and writing POP stickers join this interface with the libnfc backend.
class NfcDevice : public QObject
{
    Q_OBJECT
public:
    enum class Status { Absent, Ready, Serving, Reading, Writing, Error };
    Q_ENUM(Status)

    using QObject::QObject;

    // Serves `link` as an NDEF URI record until stopServing() or another serveLink().
    // Only https links are served: iPhones open nothing else from a background read.
    virtual void serveLink(const QUrl &link) = 0;
    // After this returns no phone can read the previous link: a stale link is never served.
    virtual void stopServing() = 0;

    virtual Status status() const = 0;
    virtual QString statusReason() const = 0;
    virtual QUrl servedLink() const = 0;
    // The backend string this device was created from, for diagnostics.
    virtual QString backendName() const = 0;

Q_SIGNALS:
    void statusChanged();
    // A phone read the served NDEF message; `link` is the URI it decoded.
    void linkRead(const QUrl &link);
};

QString toString(NfcDevice::Status status);

} // namespace poptap
