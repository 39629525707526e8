#include "rawhost.h"

#include <QElapsedTimer>
#include <QFile>

#include <algorithm>
#include <cerrno>
#include <fcntl.h>
#include <poll.h>
#include <termios.h>
#include <unistd.h>

namespace pn532simtesting {

RawHost::RawHost(const QString &path)
{
    m_fd = ::open(QFile::encodeName(path).constData(), O_RDWR | O_NOCTTY | O_NONBLOCK | O_CLOEXEC);
    if (m_fd < 0)
        return;
    termios settings = {};
    if (::tcgetattr(m_fd, &settings) == 0) {
        ::cfmakeraw(&settings);
        ::tcsetattr(m_fd, TCSANOW, &settings);
    }
}

RawHost::~RawHost()
{
    if (m_fd >= 0)
        ::close(m_fd);
}

bool RawHost::write(const QByteArray &bytes)
{
    qsizetype written = 0;
    while (m_fd >= 0 && written < bytes.size()) {
        const ssize_t n = ::write(m_fd, bytes.constData() + written, size_t(bytes.size() - written));
        if (n > 0)
            written += n;
        else if (n < 0 && errno != EINTR && errno != EAGAIN)
            return false;
    }
    return written == bytes.size();
}

QByteArray RawHost::read(int count, int timeoutMs)
{
    QByteArray bytes;
    QElapsedTimer timer;
    timer.start();
    while (m_fd >= 0 && bytes.size() < count) {
        const int left = timeoutMs - int(timer.elapsed());
        if (left <= 0)
            break;
        pollfd fd = {m_fd, POLLIN, 0};
        if (::poll(&fd, 1, left) <= 0)
            continue;
        char chunk[512];
        const ssize_t n = ::read(m_fd, chunk, size_t(std::min<qsizetype>(qsizetype(sizeof chunk), count - bytes.size())));
        if (n > 0)
            bytes.append(chunk, n);
        else if (n == 0 || (errno != EINTR && errno != EAGAIN))
            break;
    }
    return bytes;
}

QByteArray RawHost::frame(quint8 tfi, const QByteArray &data)
{
    const QByteArray payload = char(tfi) + data;
    QByteArray frame("\x00\x00\xFF", 3);
    const int length = int(payload.size());
    if (length <= 0xFF) {
        frame += char(length);
        frame += char(0x100 - length);
    } else {
        frame += "\xFF\xFF";
        frame += char(length >> 8);
        frame += char(length & 0xFF);
        frame += char(0x100 - ((length >> 8) + (length & 0xFF)) % 0x100);
    }
    quint8 sum = 0;
    for (char byte : payload)
        sum = quint8(sum + quint8(byte));
    frame += payload;
    frame += char(quint8(0x100 - sum));
    frame += '\x00';
    return frame;
}

} // namespace pn532simtesting
