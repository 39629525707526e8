#include "pseudoterminal.h"

#include <QFile>

#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <fcntl.h>
#include <termios.h>
#include <unistd.h>

namespace poptap::pn532sim {

PseudoTerminal::~PseudoTerminal()
{
    close();
}

bool PseudoTerminal::fail(const QString &what)
{
    m_error = what + QStringLiteral(": ") + QString::fromLocal8Bit(std::strerror(errno));
    close();
    return false;
}

bool PseudoTerminal::open(const QString &linkPath)
{
    close();
    m_linkPath = linkPath;
    m_master = ::posix_openpt(O_RDWR | O_NOCTTY | O_NONBLOCK | O_CLOEXEC);
    if (m_master < 0)
        return fail(QStringLiteral("posix_openpt"));
    if (::grantpt(m_master) != 0 || ::unlockpt(m_master) != 0)
        return fail(QStringLiteral("grantpt/unlockpt"));
    char name[128] = {};
    if (::ptsname_r(m_master, name, sizeof name) != 0)
        return fail(QStringLiteral("ptsname_r"));
    m_slavePath = QString::fromLocal8Bit(name);

    m_slaveHold = ::open(name, O_RDWR | O_NOCTTY | O_CLOEXEC);
    if (m_slaveHold < 0)
        return fail(QStringLiteral("open ") + m_slavePath);
    // Raw from the start: a UART does no line editing, echo or CR/LF mapping, and bytes
    // may arrive before the host has set its own (raw) termios.
    termios settings = {};
    if (::tcgetattr(m_slaveHold, &settings) != 0)
        return fail(QStringLiteral("tcgetattr"));
    ::cfmakeraw(&settings);
    settings.c_cflag |= CLOCAL | CREAD;
    ::cfsetispeed(&settings, B115200);
    ::cfsetospeed(&settings, B115200);
    if (::tcsetattr(m_slaveHold, TCSANOW, &settings) != 0)
        return fail(QStringLiteral("tcsetattr"));

    const QByteArray link = QFile::encodeName(linkPath);
    const QByteArray temporary = link + ".new";
    ::unlink(temporary.constData());
    if (::symlink(name, temporary.constData()) != 0)
        return fail(QStringLiteral("symlink ") + linkPath);
    if (::rename(temporary.constData(), link.constData()) != 0) {
        ::unlink(temporary.constData());
        return fail(QStringLiteral("rename ") + linkPath);
    }
    m_error.clear();
    return true;
}

void PseudoTerminal::close()
{
    if (!m_linkPath.isEmpty() && m_master >= 0)
        ::unlink(QFile::encodeName(m_linkPath).constData());
    if (m_slaveHold >= 0)
        ::close(m_slaveHold);
    if (m_master >= 0)
        ::close(m_master);
    m_slaveHold = -1;
    m_master = -1;
    m_slavePath.clear();
}

QByteArray PseudoTerminal::readAvailable()
{
    QByteArray bytes;
    if (m_master < 0)
        return bytes;
    char chunk[512];
    for (;;) {
        const ssize_t n = ::read(m_master, chunk, sizeof chunk);
        if (n > 0) {
            bytes.append(chunk, n);
            continue;
        }
        if (n < 0 && errno == EINTR)
            continue;
        return bytes; // EAGAIN, or EIO with no slave open (cannot happen while we hold one)
    }
}

qsizetype PseudoTerminal::write(QByteArrayView bytes)
{
    if (m_master < 0)
        return 0;
    qsizetype written = 0;
    while (written < bytes.size()) {
        const ssize_t n = ::write(m_master, bytes.data() + written, size_t(bytes.size() - written));
        if (n > 0) {
            written += n;
            continue;
        }
        if (n < 0 && errno == EINTR)
            continue;
        break; // EAGAIN: the host is not reading; the caller keeps the rest
    }
    return written;
}

} // namespace poptap::pn532sim
