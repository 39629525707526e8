// Tokens arrive from phones via the LIFF page and LINE messages: hostile input.
#include "registrationtoken.h"

#include <cstdint>
#include <cstdlib>

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    using namespace poptap;
    static const QByteArray secret(32, 'k');
    const QString token = QString::fromUtf8(reinterpret_cast<const char *>(data), qsizetype(size));
    const TokenVerification v = RegistrationToken::verify(
        token, [](std::uint32_t) { return std::optional<QByteArray>(secret); },
        QDateTime::fromSecsSinceEpoch(1795000000, Qt::UTC));
    // Exactly one of claims and error; an accepted token re-issues to itself.
    if (v.ok() == v.error.has_value())
        std::abort();
    if (v.ok() && RegistrationToken::issue(*v.claims, secret) != token)
        std::abort();
    return 0;
}
