#pragma once

#include <QByteArray>
#include <QString>

namespace pn532simtesting {

// A host that writes bytes to the serial line itself, for what libnfc never sends (NACK,
// broken checksums, unknown commands) and for noise on the line.
class RawHost
{
public:
    explicit RawHost(const QString &path);
    ~RawHost();
    RawHost(const RawHost &) = delete;
    RawHost &operator=(const RawHost &) = delete;

    bool isOpen() const { return m_fd >= 0; }
    bool write(const QByteArray &bytes);
    // Reads until `count` bytes arrived or `timeoutMs` passed.
    QByteArray read(int count, int timeoutMs);

    // A normal or extended information frame (UM0701-02 §6.2.1): TFI D4 from the host,
    // D5 from the chip.
    static QByteArray frame(quint8 tfi, const QByteArray &data);
    static QByteArray commandFrame(const QByteArray &data) { return frame(0xD4, data); }
    static QByteArray responseFrame(const QByteArray &data) { return frame(0xD5, data); }

private:
    int m_fd = -1;
};

} // namespace pn532simtesting
