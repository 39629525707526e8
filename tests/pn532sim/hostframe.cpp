#include "hostframe.h"

namespace poptap::pn532sim {

namespace {

constexpr char startCode[] = {'\x00', '\xFF'};

quint8 checksumOf(QByteArrayView bytes)
{
    quint8 sum = 0;
    for (char byte : bytes)
        sum = quint8(sum + quint8(byte));
    return sum;
}

} // namespace

void HostFrameDecoder::feed(QByteArrayView bytes)
{
    m_buffer.append(bytes.data(), bytes.size());
}

void HostFrameDecoder::skip(qsizetype count)
{
    m_buffer.remove(0, count);
    m_skippedBytes += int(count);
}

void HostFrameDecoder::abandonPartialFrame()
{
    if (m_buffer.isEmpty())
        return;
    const qsizetype start = m_buffer.indexOf(QByteArrayView(startCode, 2));
    skip(start < 0 ? m_buffer.size() : start + 2);
}

std::optional<HostFrame> HostFrameDecoder::next()
{
    for (;;) {
        const qsizetype start = m_buffer.indexOf(QByteArrayView(startCode, 2));
        if (start < 0) {
            // Keep a trailing 00: it may be the first half of the next start code.
            const bool keepLast = !m_buffer.isEmpty() && m_buffer.back() == '\x00';
            skip(m_buffer.size() - (keepLast ? 1 : 0));
            return std::nullopt;
        }
        skip(start);
        // m_buffer: 00 FF LEN LCS ...
        if (m_buffer.size() < 4)
            return std::nullopt;
        const quint8 len = quint8(m_buffer[2]);
        const quint8 lcs = quint8(m_buffer[3]);

        if (len == 0x00 && lcs == 0xFF) {
            skip(4);
            return HostFrame{HostFrame::Kind::Ack, {}, false};
        }
        if (len == 0xFF && lcs == 0x00) {
            skip(4);
            return HostFrame{HostFrame::Kind::Nack, {}, false};
        }

        qsizetype headerSize = 4;
        int payloadLength = len;
        const bool extended = len == 0xFF && lcs == 0xFF;
        if (extended) {
            // 00 FF FF FF LENM LENL LCS
            if (m_buffer.size() < 7)
                return std::nullopt;
            const quint8 lenM = quint8(m_buffer[4]);
            const quint8 lenL = quint8(m_buffer[5]);
            if (quint8(lenM + lenL + quint8(m_buffer[6])) != 0) {
                ++m_checksumErrors;
                skip(2);
                continue;
            }
            headerSize = 7;
            payloadLength = (lenM << 8) | lenL;
        } else if (quint8(len + lcs) != 0) {
            ++m_checksumErrors;
            skip(2);
            continue;
        }
        if (payloadLength == 0 || payloadLength > maxPayloadLength) {
            // Nothing the chip could buffer: not a frame for it.
            skip(2);
            continue;
        }
        if (m_buffer.size() < headerSize + payloadLength + 1)
            return std::nullopt;
        const QByteArray payload = m_buffer.mid(headerSize, payloadLength);
        const quint8 dcs = quint8(m_buffer[headerSize + payloadLength]);
        if (quint8(checksumOf(payload) + dcs) != 0) {
            ++m_checksumErrors;
            skip(2);
            continue;
        }
        // The postamble is not checked: a missing one costs nothing, a present one is
        // skipped with the next search.
        m_buffer.remove(0, headerSize + payloadLength + 1);
        return HostFrame{HostFrame::Kind::Information, payload, extended};
    }
}

QByteArray encodeInformationFrame(QByteArrayView payload)
{
    QByteArray frame("\x00\x00\xFF", 3);
    const qsizetype length = payload.size();
    if (length <= 0xFF) {
        frame.append(char(length));
        frame.append(char(quint8(0x100 - length)));
    } else {
        const quint8 lenM = quint8(length >> 8);
        const quint8 lenL = quint8(length);
        frame.append("\xFF\xFF", 2);
        frame.append(char(lenM));
        frame.append(char(lenL));
        frame.append(char(quint8(0x100 - quint8(lenM + lenL))));
    }
    frame.append(payload.data(), payload.size());
    frame.append(char(quint8(0x100 - checksumOf(payload))));
    frame.append('\x00');
    return frame;
}

QByteArray ackFrame()
{
    return QByteArray("\x00\x00\xFF\x00\xFF\x00", 6);
}

QByteArray syntaxErrorFrame()
{
    return QByteArray("\x00\x00\xFF\x01\xFF\x7F\x81\x00", 8);
}

} // namespace poptap::pn532sim
