#pragma once

#include <QByteArray>
#include <QString>

namespace poptap {

// Writes `contents` to `path` atomically (temporary file, fsync, rename, fsync of the
// directory) with owner-only permissions (0600) from the first byte on: a secret is
// never readable by others, and a power cut leaves either the old or the new file.
// Returns an empty string on success, otherwise what went wrong.
QString writeOwnerOnlyFile(const QString &path, const QByteArray &contents);

// True when the file exists and neither group nor others may read or write it.
bool isOwnerOnly(const QString &path);

} // namespace poptap
