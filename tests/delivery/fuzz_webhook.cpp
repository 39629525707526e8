// LINE webhook bodies (after the signature check, a leaked secret makes them hostile),
// and the postback data inside them.
#include "postbackdata.h"
#include "webhookevent.h"

#include <cstdint>
#include <cstdlib>

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    const QByteArray body(reinterpret_cast<const char *>(data), qsizetype(size));
    const poptap::delivery::WebhookParse parsed = poptap::delivery::parseWebhookBody(body);
    if (!parsed.ok() && !parsed.events.isEmpty())
        std::abort(); // a refused body yields no events
    for (const auto &e : parsed.events) {
        if (e.eventId.isEmpty() || e.type.isEmpty() || e.json.isEmpty())
            std::abort();
        QString reason;
        const auto stop = poptap::delivery::parseStopPostback(e.postbackData, &reason);
        // Whatever is accepted is exactly what the service writes, and round-trips.
        if (stop && poptap::delivery::postbackData(*stop) != e.postbackData)
            std::abort();
        if (!stop && reason.isEmpty())
            std::abort();
    }
    // The data on its own, too: the parser sees any string LINE passes on.
    QString reason;
    if (const auto stop = poptap::delivery::parseStopPostback(QString::fromUtf8(body), &reason))
        if (poptap::delivery::postbackData(*stop) != QString::fromUtf8(body))
            std::abort();
    return 0;
}
