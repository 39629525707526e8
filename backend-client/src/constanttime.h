#pragma once

#include <QByteArrayView>

namespace poptap {

// Compares two byte strings in time that depends only on their lengths, so that a
// MAC check leaks nothing about how many leading bytes matched.
bool constantTimeEquals(QByteArrayView a, QByteArrayView b);

} // namespace poptap
