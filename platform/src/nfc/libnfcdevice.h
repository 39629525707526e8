#pragma once

#include "libnfcreader.h"
#include "nfcdevice.h"

#include <condition_variable>
#include <mutex>
#include <thread>

namespace poptap {

// The `libnfc:<connstring>` backend. libnfc blocks, so the reader lives on its own thread
// (DESIGN.md, "Threads"); this object stays on the GUI thread, tells that thread what is
// wanted and learns what happened through queued calls. Switching what is wanted cuts the
// reader's current command short with nfc_abort_command, so a new link is served at once
// and a link taken off the screen stops being served.
class LibnfcDevice final : public NfcDevice
{
    Q_OBJECT
public:
    struct Options {
        QByteArray connstring;                 // e.g. pn532_uart:/dev/ttyUSB0
        LibnfcReader::Emulation emulation = LibnfcReader::Emulation::Type4;
        int reopenFirstDelayMs = 200;          // after the reader disappears; doubles up to:
        int reopenMaxDelayMs = 2000;
    };

    explicit LibnfcDevice(Options options, QObject *parent = nullptr);
    ~LibnfcDevice() override;

    void serveLink(const QUrl &link) override;
    void stopServing() override;
    void writeTag(const QUrl &link, bool permanentLock) override;
    void cancelWrite() override;
    bool canEmulate() const override { return m_canEmulate; }
    Status status() const override { return m_status; }
    QString statusReason() const override { return m_reason; }
    QUrl servedLink() const override { return m_link; }
    QString backendName() const override;

private:
    // What the GUI wants the reader to do; written by the GUI thread, read by the reader's.
    struct Wanted {
        quint64 generation = 0; // bumped on every change: the reader drops what it was doing
        QUrl serve;
        QUrl write;
        bool writeLock = false;
        bool stop = false;

        bool sameWorkAs(const Wanted &other) const
        {
            return serve == other.serve && write == other.write && writeLock == other.writeLock && stop == other.stop;
        }
    };

    // GUI thread.
    void want(const std::function<void(Wanted &)> &change);
    void abortUntilSeen(quint64 generation);
    void setStatus(Status status, const QString &reason);

    // Reader thread.
    void run();
    Wanted wanted(); // and marks its generation as taken up
    bool isCurrent(quint64 generation) const;
    bool sleepUnlessStopped(int ms);
    // One poll for a card. isNew is true only for a card that came into the field since the
    // last poll: each presentation is handled once.
    struct Presentation {
        LibnfcReader::Result result;
        QByteArray uid;
        bool isNtag = false;
        bool isNew = false;
    };
    Presentation pollForNewCard(LibnfcReader &reader);
    LibnfcReader::Result serveOnce(LibnfcReader &reader, const Wanted &wanted);
    LibnfcReader::Result readOnce(LibnfcReader &reader);
    LibnfcReader::Result writeOnce(LibnfcReader &reader, const Wanted &wanted);
    void post(Status status, const QString &reason = {});

    const Options m_options;

    // GUI thread only.
    Status m_status = Status::Absent;
    QString m_reason;
    QUrl m_link;
    bool m_canEmulate = true;

    // Shared, under m_mutex.
    mutable std::mutex m_mutex;
    std::condition_variable m_wake;
    Wanted m_wanted;
    quint64 m_seenGeneration = 0; // the last generation the reader thread took up
    LibnfcReader *m_reader = nullptr; // for abort() only; owned by the reader thread

    // Reader thread only.
    QByteArray m_cardInField; // UID of the card of the current presentation

    std::thread m_thread;
};

} // namespace poptap
