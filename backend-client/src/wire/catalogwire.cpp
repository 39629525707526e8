#include "catalogwire.h"

#include "wirecommon.h"

#include <QCryptographicHash>

namespace poptap::wire {
namespace {

// The opaque part of an entity tag, without W/ and quotes; empty when not a valid tag.
QByteArrayView opaqueTag(QByteArrayView tag)
{
    tag = tag.trimmed();
    if (tag.startsWith("W/"))
        tag = tag.sliced(2);
    if (tag.size() < 2 || !tag.startsWith('"') || !tag.endsWith('"'))
        return {};
    const QByteArrayView inner = tag.sliced(1, tag.size() - 2);
    for (char c : inner) {
        const auto u = static_cast<unsigned char>(c);
        if (u == '"' || u < 0x21 || u == 0x7f) // etagc = %x21 / %x23-7E / obs-text
            return {};
    }
    return inner.isEmpty() ? QByteArrayView() : inner;
}

} // namespace

QByteArray catalogETag(QByteArrayView body)
{
    return '"' + encodeBase64Url(QCryptographicHash::hash(body, QCryptographicHash::Sha256)) + '"';
}

bool ifNoneMatchHits(QByteArrayView ifNoneMatch, QByteArrayView etag)
{
    const QByteArrayView current = opaqueTag(etag);
    if (ifNoneMatch.trimmed() == "*")
        return true;
    if (current.isEmpty())
        return false;
    for (const QByteArray &candidate : ifNoneMatch.toByteArray().split(',')) {
        if (opaqueTag(candidate) == current)
            return true;
    }
    return false;
}

} // namespace poptap::wire
