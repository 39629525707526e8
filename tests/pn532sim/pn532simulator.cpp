#include "pn532simulator.h"

#include "classiccard.h"
#include "pn532chip.h"
#include "pn532simlogging.h"
#include "pseudoterminal.h"

#include <QDir>

#include <algorithm>
#include <cerrno>
#include <poll.h>
#include <sys/eventfd.h>
#include <unistd.h>

namespace poptap::pn532sim {

// The phone's end of the RF link: every call takes the simulator's lock, so the chip
// sees a phone's actions between two host frames, never in the middle of one.
class Pn532Simulator::Field final : public PhoneRf
{
public:
    explicit Field(Pn532Simulator &simulator)
        : m_sim(simulator)
    {
    }

    std::optional<TypeAActivation> activateTypeA(quint8 ratsParameter, std::chrono::milliseconds timeout) override
    {
        return waitFor(timeout, [&] { return m_sim.m_chip->phoneActivateTypeA(ratsParameter); });
    }

    std::optional<QByteArray> pollFelica(quint16 systemCode, quint8 requestCode, bool at424,
                                         std::chrono::milliseconds timeout) override
    {
        return waitFor(timeout, [&] { return m_sim.m_chip->phonePollFelica(systemCode, requestCode, at424); });
    }

    bool send(const QByteArray &frame) override
    {
        std::lock_guard lock(m_sim.m_mutex);
        if (m_sim.m_stopping)
            return false;
        const bool delivered = m_sim.m_chip->phoneSend(frame);
        m_sim.settleLocked();
        return delivered;
    }

    std::optional<QByteArray> receive(std::chrono::milliseconds timeout) override
    {
        std::unique_lock lock(m_sim.m_mutex);
        const Clock::time_point deadline = Clock::now() + timeout;
        for (;;) {
            if (std::optional<QByteArray> response = m_sim.m_chip->phoneTakeResponse())
                return response;
            // A tag that is gone (released, reset, unplugged) will not answer: no use
            // waiting out the timeout.
            if (m_sim.m_stopping || !m_sim.m_chip->phoneLinkAlive())
                return std::nullopt;
            if (m_sim.m_changed.wait_until(lock, deadline) == std::cv_status::timeout)
                return m_sim.m_chip->phoneTakeResponse();
        }
    }

    void deselect() override
    {
        std::lock_guard lock(m_sim.m_mutex);
        m_sim.m_chip->phoneDeselect();
        m_sim.settleLocked();
    }

    void leave() override
    {
        std::lock_guard lock(m_sim.m_mutex);
        m_sim.m_chip->phoneLeft();
        m_sim.settleLocked();
    }

private:
    template<typename Attempt>
    auto waitFor(std::chrono::milliseconds timeout, Attempt attempt) -> decltype(attempt())
    {
        std::unique_lock lock(m_sim.m_mutex);
        const Clock::time_point deadline = Clock::now() + timeout;
        for (;;) {
            if (m_sim.m_stopping)
                return std::nullopt;
            if (auto result = attempt()) {
                m_sim.settleLocked();
                return result;
            }
            // A phone polls continuously; it succeeds as soon as the chip listens.
            if (m_sim.m_changed.wait_until(lock, deadline) == std::cv_status::timeout)
                return std::nullopt;
        }
    }

    Pn532Simulator &m_sim;
};

Pn532Simulator::Pn532Simulator(const QString &directory, const QString &linkName)
    : m_linkPath(QDir(directory).filePath(linkName))
    , m_pty(std::make_unique<PseudoTerminal>())
{
    // The chip is only ever called with m_mutex held, so its output needs no lock of its own.
    m_chip = std::make_unique<Pn532Chip>([this](const QByteArray &bytes) { m_output += bytes; });
    m_wakeFd = ::eventfd(0, EFD_NONBLOCK | EFD_CLOEXEC);
    {
        std::lock_guard lock(m_mutex);
        plugLocked();
    }
    m_ioThread = std::thread([this] { ioLoop(); });
}

Pn532Simulator::~Pn532Simulator()
{
    {
        std::lock_guard lock(m_mutex);
        m_stopping = true;
        m_changed.notify_all();
    }
    wakeIoThread();
    if (m_ioThread.joinable())
        m_ioThread.join();
    {
        std::lock_guard lock(m_phonesMutex);
        for (PhoneThread &phone : m_phones)
            phone.thread.join();
        m_phones.clear();
    }
    {
        std::lock_guard lock(m_mutex);
        unplugLocked();
    }
    if (m_wakeFd >= 0)
        ::close(m_wakeFd);
}

QString Pn532Simulator::devicePath() const
{
    return m_linkPath;
}

QString Pn532Simulator::connstring() const
{
    return QStringLiteral("pn532_uart:") + m_linkPath;
}

QString Pn532Simulator::errorString() const
{
    std::lock_guard lock(m_mutex);
    return m_error;
}

bool Pn532Simulator::plugLocked()
{
    if (!m_pty->open(m_linkPath)) {
        m_error = m_pty->errorString();
        qCWarning(lcPn532Sim) << "cannot create the pty:" << m_error;
        return false;
    }
    m_error.clear();
    ++m_ptyGeneration;
    m_output.clear();
    m_chip->powerOn();
    qCDebug(lcPn532Sim) << "plugged in:" << m_linkPath << "->" << m_pty->slavePath();
    settleLocked();
    return true;
}

void Pn532Simulator::unplugLocked()
{
    m_pty->close();
    ++m_ptyGeneration;
    m_output.clear();
    m_chip->powerOff();
    settleLocked();
}

void Pn532Simulator::unplug()
{
    std::lock_guard lock(m_mutex);
    qCDebug(lcPn532Sim) << "unplugged";
    unplugLocked();
}

bool Pn532Simulator::replug()
{
    std::lock_guard lock(m_mutex);
    if (m_pty->isOpen())
        unplugLocked();
    return plugLocked();
}

bool Pn532Simulator::isPlugged() const
{
    std::lock_guard lock(m_mutex);
    return m_pty->isOpen();
}

void Pn532Simulator::wakeIoThread() const
{
    if (m_wakeFd < 0)
        return;
    const quint64 one = 1;
    [[maybe_unused]] const ssize_t written = ::write(m_wakeFd, &one, sizeof one);
}

void Pn532Simulator::flushOutputLocked()
{
    if (m_output.isEmpty() || !m_pty->isOpen())
        return;
    m_output.remove(0, m_pty->write(m_output));
}

void Pn532Simulator::settleLocked()
{
    flushOutputLocked();
    m_changed.notify_all();
    // The I/O loop recomputes its deadline and POLLOUT interest after each round anyway.
    if (std::this_thread::get_id() != m_ioThreadId)
        wakeIoThread();
}

void Pn532Simulator::ioLoop()
{
    std::unique_lock lock(m_mutex);
    m_ioThreadId = std::this_thread::get_id();
    while (!m_stopping) {
        const int masterFd = m_pty->masterFd();
        const quint64 generation = m_ptyGeneration;
        pollfd fds[2] = {{m_wakeFd, POLLIN, 0}, {masterFd, short(POLLIN | (m_output.isEmpty() ? 0 : POLLOUT)), 0}};
        const nfds_t count = masterFd >= 0 ? 2 : 1;
        int timeoutMs = -1;
        if (const std::optional<Clock::time_point> deadline = m_chip->nextDeadline()) {
            const auto wait = std::chrono::ceil<std::chrono::milliseconds>(*deadline - Clock::now());
            timeoutMs = int(std::max<qint64>(0, wait.count()));
        }

        lock.unlock();
        const int ready = ::poll(fds, count, timeoutMs);
        if (ready < 0 && errno != EINTR)
            qCWarning(lcPn532Sim) << "poll failed:" << errno;
        quint64 wakeups = 0;
        [[maybe_unused]] const ssize_t drained = ::read(m_wakeFd, &wakeups, sizeof wakeups);
        lock.lock();

        if (m_stopping)
            break;
        // A replug while we were polling makes the old revents meaningless.
        if (count == 2 && generation == m_ptyGeneration && (fds[1].revents & POLLIN)) {
            const QByteArray bytes = m_pty->readAvailable();
            if (!bytes.isEmpty())
                m_chip->receiveFromHost(bytes, Clock::now());
        }
        m_chip->advance(Clock::now());
        settleLocked();
    }
}

void Pn532Simulator::placeNtag(NtagType type, const QByteArray &uid7)
{
    std::lock_guard lock(m_mutex);
    m_lastNtag = std::make_shared<Ntag21x>(type, uid7);
    m_chip->placeTarget(m_lastNtag);
    settleLocked();
}

void Pn532Simulator::placeCard(const QByteArray &uid)
{
    std::lock_guard lock(m_mutex);
    m_chip->placeTarget(std::make_shared<ClassicCard>(uid));
    settleLocked();
}

void Pn532Simulator::removeTarget()
{
    std::lock_guard lock(m_mutex);
    m_chip->placeTarget(nullptr);
    settleLocked();
}

Ntag21x *Pn532Simulator::ntagLocked() const
{
    return m_lastNtag.get();
}

QByteArray Pn532Simulator::tagMemory() const
{
    std::lock_guard lock(m_mutex);
    return ntagLocked() ? ntagLocked()->memory() : QByteArray();
}

QByteArray Pn532Simulator::tagPages(int first, int count) const
{
    std::lock_guard lock(m_mutex);
    return ntagLocked() ? ntagLocked()->pages(first, count) : QByteArray();
}

NtagLockState Pn532Simulator::tagLockState() const
{
    std::lock_guard lock(m_mutex);
    return ntagLocked() ? ntagLocked()->lockState() : NtagLockState{};
}

void Pn532Simulator::joinFinishedPhones()
{
    std::lock_guard lock(m_phonesMutex);
    const auto finished = std::partition(m_phones.begin(), m_phones.end(),
                                         [](const PhoneThread &phone) { return !phone.done->load(); });
    for (auto it = finished; it != m_phones.end(); ++it)
        it->thread.join();
    m_phones.erase(finished, m_phones.end());
}

std::future<PhoneResult> Pn532Simulator::bringPhone(const PhoneScript &script)
{
    joinFinishedPhones();
    std::promise<PhoneResult> promise;
    std::future<PhoneResult> future = promise.get_future();
    {
        std::lock_guard lock(m_mutex);
        if (m_stopping || m_phonePresent) {
            PhoneResult refused;
            refused.error = m_stopping ? QStringLiteral("the simulator is shutting down")
                                       : QStringLiteral("another phone is already in the field");
            promise.set_value(refused);
            return future;
        }
        m_phonePresent = true;
        m_chip->phoneEntered();
        settleLocked();
    }
    auto done = std::make_shared<std::atomic<bool>>(false);
    std::thread thread([this, script, done, promise = std::move(promise)]() mutable {
        Field field(*this);
        PhoneResult result = runPhone(field, script);
        {
            std::lock_guard lock(m_mutex);
            m_phonePresent = false;
            settleLocked();
        }
        promise.set_value(std::move(result));
        done->store(true);
    });
    std::lock_guard lock(m_phonesMutex);
    m_phones.push_back({std::move(thread), done});
    return future;
}

PhoneResult Pn532Simulator::tapPhone(const PhoneScript &script, std::chrono::milliseconds timeout)
{
    std::future<PhoneResult> future = bringPhone(script);
    if (future.wait_for(timeout) == std::future_status::ready)
        return future.get();
    PhoneResult late;
    late.error = QStringLiteral("the phone was still in the field after %1 ms").arg(timeout.count());
    return late;
}

QList<CommandRecord> Pn532Simulator::commandLog() const
{
    std::lock_guard lock(m_mutex);
    return m_chip->commandLog();
}

int Pn532Simulator::commandCount(quint8 code) const
{
    std::lock_guard lock(m_mutex);
    const QList<CommandRecord> &log = m_chip->commandLog();
    return int(std::count_if(log.begin(), log.end(), [code](const CommandRecord &record) { return record.code == code; }));
}

void Pn532Simulator::clearCommandLog()
{
    std::lock_guard lock(m_mutex);
    m_chip->clearCommandLog();
}

std::optional<quint8> Pn532Simulator::pendingCommand() const
{
    std::lock_guard lock(m_mutex);
    return m_chip->pendingCommand();
}

bool Pn532Simulator::waitForPendingCommand(quint8 code, std::chrono::milliseconds timeout) const
{
    std::unique_lock lock(m_mutex);
    return m_changed.wait_for(lock, timeout, [&] { return m_chip->pendingCommand() == code; });
}

bool Pn532Simulator::waitForCommandCount(quint8 code, int count, std::chrono::milliseconds timeout) const
{
    std::unique_lock lock(m_mutex);
    return m_changed.wait_for(lock, timeout, [&] {
        const QList<CommandRecord> &log = m_chip->commandLog();
        return std::count_if(log.begin(), log.end(), [code](const CommandRecord &r) { return r.code == code; }) >= count;
    });
}

LineStats Pn532Simulator::lineStats() const
{
    std::lock_guard lock(m_mutex);
    return m_chip->lineStats();
}

PowerState Pn532Simulator::powerState() const
{
    std::lock_guard lock(m_mutex);
    return m_chip->powerState();
}

bool Pn532Simulator::samConfigured() const
{
    std::lock_guard lock(m_mutex);
    return m_chip->samConfigured();
}

} // namespace poptap::pn532sim
