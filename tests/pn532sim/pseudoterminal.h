#pragma once

#include <QByteArray>
#include <QByteArrayView>
#include <QString>

namespace poptap::pn532sim {

// The serial line the simulated PN532 sits on: the master side of a raw pseudo-terminal,
// published under a stable symlink (like udev's /dev/serial/by-id) that points at the
// current /dev/pts/N. Closing it is pulling the USB adapter: the host's open descriptor
// sees a hang-up (read and write fail with EIO) and the symlink goes away.
class PseudoTerminal
{
public:
    PseudoTerminal() = default;
    ~PseudoTerminal();
    PseudoTerminal(const PseudoTerminal &) = delete;
    PseudoTerminal &operator=(const PseudoTerminal &) = delete;

    // Creates a new pty and points `linkPath` at it (atomically, replacing an old link).
    bool open(const QString &linkPath);
    void close();
    bool isOpen() const { return m_master >= 0; }

    int masterFd() const { return m_master; }
    QString slavePath() const { return m_slavePath; }
    QString errorString() const { return m_error; }

    // Non-blocking; returns the bytes read, empty when nothing is waiting.
    QByteArray readAvailable();
    // Non-blocking; returns how many bytes went out (the rest must wait for POLLOUT).
    qsizetype write(QByteArrayView bytes);

private:
    bool fail(const QString &what);

    int m_master = -1;
    // Our own descriptor on the slave keeps the pty from hanging up while the host has it
    // closed (between nfc_close and nfc_open), as a real UART never does.
    int m_slaveHold = -1;
    QString m_slavePath;
    QString m_linkPath;
    QString m_error;
};

} // namespace poptap::pn532sim
