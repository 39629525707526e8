// FeliCa frames come from any reader held to the kiosk: the emulated Type 3 tag must answer
// every frame with nothing or a well-formed answer addressed with its own IDm.
// Input: two bytes choosing the NDEF message's size, then frames delimited by their own
// LEN byte (as the PN532 hands them over); a LEN of 00 stands for reset() (the next phone).
#include "type3tag.h"

#include <cstdint>
#include <cstdlib>

using poptap::nfc::Type3Tag;

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size < 2)
        return 0;
    const int messageSize = (data[0] << 8 | data[1]) % 1000;
    QByteArray message(messageSize, '\0');
    for (int i = 0; i < messageSize; ++i)
        message[i] = char(i * 5 + 3);
    const QByteArray idm = QByteArray::fromHex("02FE0102030405AA");
    Type3Tag tag(message, idm);

    bool fullyRead = false;
    size_t at = 2;
    while (at < size) {
        const size_t length = data[at];
        if (length == 0) {
            ++at;
            tag.reset();
            if (tag.messageFullyRead())
                std::abort(); // a new phone has read nothing, not even the attribute block
            fullyRead = false;
            continue;
        }
        const size_t take = length < size - at ? length : size - at;
        const QByteArrayView command(reinterpret_cast<const char *>(data + at), qsizetype(take));
        at += take;
        const QByteArray answer = tag.respond(command);
        if (!answer.isEmpty()) {
            // LEN counts itself and fits one byte; the code answers the command's; the IDm is ours.
            if (answer.size() < 11 || answer.size() > 255 || quint8(answer[0]) != answer.size())
                std::abort();
            if (command.size() < 10 || quint8(answer[1]) != quint8(command[1]) + 1 || answer.mid(2, 8) != idm)
                std::abort();
        }
        if (fullyRead && !tag.messageFullyRead())
            std::abort();
        fullyRead = tag.messageFullyRead();
    }
    return 0;
}
