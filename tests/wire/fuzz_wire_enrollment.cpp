// Enrollment is the one unauthenticated endpoint: anyone on the internet can send the request,
// and the kiosk reads the answer (and the error bodies) from the network.
#include "wire/apierror.h"
#include "wire/enrollmentwire.h"

#include <cstdint>
#include <cstdlib>
#include <type_traits>

using namespace poptap::wire;

namespace {

template <typename Result>
void checkShape(const Result &r)
{
    if (r.ok() == !r.errors.isEmpty() || r.ok() != (r.failure == WireFailure::None) || r.errors.size() > 51)
        std::abort();
}

template <typename Result>
void checkRoundTrip(const Result &r)
{
    if (!r.ok())
        return;
    using Value = std::decay_t<decltype(*r.value)>;
    const auto again = Value::fromJson(r.value->toJson());
    if (!again.ok() || *again.value != *r.value)
        std::abort();
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    const QByteArray json(reinterpret_cast<const char *>(data), qsizetype(size));

    const auto request = EnrollmentRequest::fromJson(json);
    checkShape(request);
    checkRoundTrip(request);
    if (request.ok() && (request.value->localKey.secret.size() != kSecretBytes || request.value->localKey.keyId == 0
                         || !isValidEnrollmentCode(request.value->enrollmentCode)))
        std::abort();

    const auto response = EnrollmentResponse::fromJson(json);
    checkShape(response);
    checkRoundTrip(response);
    if (response.ok() && (response.value->requestSecret == response.value->deviceKey.secret
                          || !isValidDeviceId(response.value->deviceId)))
        std::abort();

    const auto error = ApiError::fromJson(json);
    checkShape(error);
    checkRoundTrip(error);
    return 0;
}
