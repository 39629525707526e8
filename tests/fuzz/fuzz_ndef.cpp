// NDEF messages come from tags and phones: malformed bytes must give an error, never a crash.
#include "ndeflink.h"

#include <cstdint>
#include <cstdlib>

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    const QByteArray ndef(reinterpret_cast<const char *>(data), qsizetype(size));
    const poptap::NdefLinkResult result = poptap::decodeNdefUri(ndef);
    if (result.error.isEmpty() == result.link.isEmpty())
        std::abort();
    return 0;
}
