// Registration batches come from kiosks (a stolen one is hostile) and their answers from the
// network: both parsers must refuse anything invalid whole, never crash, never accept half.
#include "wire/registrationwire.h"

#include <cstdint>
#include <cstdlib>

using namespace poptap::wire;

namespace {

template <typename Result>
void checkShape(const Result &r)
{
    if (r.ok() == !r.errors.isEmpty() || r.ok() != (r.failure == WireFailure::None))
        std::abort(); // exactly one of value and reasons
    if (r.errors.size() > 51)
        std::abort(); // the error list is bounded
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    const QByteArray json(reinterpret_cast<const char *>(data), qsizetype(size));

    const auto batch = RegistrationBatch::fromJson(json);
    checkShape(batch);
    if (batch.ok()) {
        if (batch.value->intents.isEmpty() || batch.value->intents.size() > RegistrationBatch::kMaxIntents)
            std::abort();
        for (const RegistrationIntent &i : batch.value->intents) {
            if (!isWellFormedToken(i.token) || i.target == 0 || !i.issuedAt.isValid())
                std::abort();
        }
        const auto again = RegistrationBatch::fromJson(batch.value->toJson());
        if (!again.ok() || *again.value != *batch.value)
            std::abort(); // what was accepted is written back and read back unchanged
    }

    const auto response = RegistrationBatchResponse::fromJson(json);
    checkShape(response);
    if (response.ok()) {
        for (const RegistrationResult &r : response.value->results) {
            if ((r.status == RegistrationStatus::Rejected) == r.reason.isEmpty())
                std::abort(); // a reason exactly for rejections
        }
        const auto again = RegistrationBatchResponse::fromJson(response.value->toJson());
        if (!again.ok() || *again.value != *response.value)
            std::abort();
    }
    return 0;
}
