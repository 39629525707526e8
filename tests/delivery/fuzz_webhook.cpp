// LINE webhook bodies (after the signature check, a leaked secret makes them hostile).
#include "webhookevent.h"

#include <cstdint>
#include <cstdlib>

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    const QByteArray body(reinterpret_cast<const char *>(data), qsizetype(size));
    const poptap::delivery::WebhookParse parsed = poptap::delivery::parseWebhookBody(body);
    if (!parsed.ok() && !parsed.events.isEmpty())
        std::abort(); // a refused body yields no events
    for (const auto &e : parsed.events)
        if (e.eventId.isEmpty() || e.type.isEmpty() || e.json.isEmpty())
            std::abort();
    return 0;
}
