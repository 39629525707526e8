// Type 2 tag memory comes from any sticker staff present to the reader: malformed memory
// must give an error, never a crash, and a message is never longer than the memory.
#include "ntag21x.h"

#include <cstdint>
#include <cstdlib>

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    const QByteArrayView memory(reinterpret_cast<const char *>(data), qsizetype(size));
    const poptap::nfc::NdefFromTag result = poptap::nfc::ndefFromType2Memory(memory);
    if (!result.error.isEmpty() && !result.message.isEmpty())
        std::abort();
    if (result.message.size() > memory.size())
        std::abort();
    return 0;
}
