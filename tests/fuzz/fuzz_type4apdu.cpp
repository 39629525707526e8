// Command APDUs come from any phone (or anything else) held to the kiosk: one session of the
// emulated Type 4 tag must answer every byte sequence with a well-formed response APDU.
// Input: two bytes choosing the NDEF message's size, then APDUs, each preceded by its
// length; a length of FF stands for reset() (the next phone).
#include "type4tag.h"

#include <cstdint>
#include <cstdlib>

using poptap::nfc::Type4Tag;

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size < 2)
        return 0;
    const int messageSize = (data[0] << 8 | data[1]) % 1200;
    QByteArray message(messageSize, '\0');
    for (int i = 0; i < messageSize; ++i)
        message[i] = char(i * 7 + 1);
    Type4Tag tag(message);

    bool fullyRead = false;
    size_t at = 2;
    while (at < size) {
        const size_t length = data[at++];
        if (length == 0xFF) {
            tag.reset();
            if (tag.messageFullyRead())
                std::abort(); // a new phone has read nothing
            fullyRead = false;
            continue;
        }
        const size_t take = length < size - at ? length : size - at;
        const QByteArray response =
            tag.respond(QByteArrayView(reinterpret_cast<const char *>(data + at), qsizetype(take)));
        at += take;
        if (response.size() < 2 || response.size() > Type4Tag::kMaxResponseData + 2)
            std::abort();
        // Data only ever comes with success (9000).
        const auto sw = quint16(quint8(response[response.size() - 2]) << 8 | quint8(response[response.size() - 1]));
        if (response.size() > 2 && sw != 0x9000)
            std::abort();
        // Once the message has gone out it stays out until the next phone.
        if (fullyRead && !tag.messageFullyRead())
            std::abort();
        fullyRead = tag.messageFullyRead();
    }
    if (tag.ndefMessage() != message)
        std::abort();
    return 0;
}
