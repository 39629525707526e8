#pragma once

#include "ntag21x.h"
#include "phone.h"
#include "pn532records.h"

#include <QList>
#include <QString>

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <future>
#include <memory>
#include <mutex>
#include <optional>
#include <thread>
#include <vector>

namespace poptap::pn532sim {

class Pn532Chip;
class PseudoTerminal;

// A PN532 breakout on a USB-serial adapter, simulated on a pseudo-terminal, for the real
// libnfc pn532_uart driver to open (connstring()), plus the world around it: cards laid
// on the antenna and phones tapped on it. See README.md for what it models.
// All public functions are thread-safe; I/O runs on the simulator's own thread and each
// phone on a thread of its own.
class Pn532Simulator
{
public:
    // Plugs in at once: `directory`/`linkName` → /dev/pts/N. Check isPlugged().
    explicit Pn532Simulator(const QString &directory, const QString &linkName = QStringLiteral("pn532"));
    ~Pn532Simulator();
    Pn532Simulator(const Pn532Simulator &) = delete;
    Pn532Simulator &operator=(const Pn532Simulator &) = delete;

    QString devicePath() const;  // the stable symlink
    QString connstring() const;  // "pn532_uart:<devicePath>"
    QString errorString() const;

    // Pulling the adapter: the host's descriptor hangs up (EIO), the symlink disappears,
    // pending commands and phones lose the chip. replug() is a new pty under the same
    // symlink and a chip fresh from power-on (Low VBat, needs SAMConfiguration).
    void unplug();
    bool replug();
    bool isPlugged() const;

    // Cards on the antenna (one at a time; placing replaces).
    void placeNtag(NtagType type, const QByteArray &uid7);
    void placeCard(const QByteArray &uid); // MIFARE Classic-like, 4 or 7 byte UID
    void removeTarget();
    // The NTAG placed last (still readable after removeTarget()); empty without one.
    QByteArray tagMemory() const;
    QByteArray tagPages(int first, int count) const;
    NtagLockState tagLockState() const;

    // A phone comes into the field and runs `script`; the future is ready once it left.
    // One phone at a time: another one is refused with an error result at once.
    std::future<PhoneResult> bringPhone(const PhoneScript &script);
    // Blocking form; a phone still busy after `timeout` yields an error result.
    PhoneResult tapPhone(const PhoneScript &script, std::chrono::milliseconds timeout = std::chrono::seconds(10));

    // What the host did.
    QList<CommandRecord> commandLog() const;
    int commandCount(quint8 code) const;
    void clearCommandLog();
    std::optional<quint8> pendingCommand() const;
    bool waitForPendingCommand(quint8 code, std::chrono::milliseconds timeout) const;
    bool waitForCommandCount(quint8 code, int count, std::chrono::milliseconds timeout) const;
    LineStats lineStats() const;
    PowerState powerState() const;
    bool samConfigured() const;

private:
    class Field;
    using Clock = std::chrono::steady_clock;

    bool plugLocked();
    void unplugLocked();
    void ioLoop();
    void wakeIoThread() const;
    // After anything that may have changed the chip: send what it produced, let waiting
    // threads (the I/O loop, phones, waitFor*) look again.
    void settleLocked();
    void flushOutputLocked();
    Ntag21x *ntagLocked() const;
    void joinFinishedPhones();

    QString m_linkPath;
    mutable std::mutex m_mutex;
    mutable std::condition_variable m_changed;
    std::unique_ptr<PseudoTerminal> m_pty;
    std::unique_ptr<Pn532Chip> m_chip;
    std::shared_ptr<Ntag21x> m_lastNtag;
    QByteArray m_output;
    quint64 m_ptyGeneration = 0;
    bool m_stopping = false;
    bool m_phonePresent = false;
    QString m_error;
    int m_wakeFd = -1;
    std::thread m_ioThread;
    std::thread::id m_ioThreadId; // set by the I/O thread itself, under m_mutex

    struct PhoneThread {
        std::thread thread;
        std::shared_ptr<std::atomic<bool>> done;
    };
    std::vector<PhoneThread> m_phones;
    std::mutex m_phonesMutex;
};

} // namespace poptap::pn532sim
