#pragma once

// Replacing a file's content so that a failure never costs the old content. Used by everything
// that saves a user's file: bridge documents, MCP client configs, traffic exports, the tap's
// info file.

#include "core/util/result.h"

#include <QByteArray>
#include <QFileDevice>
#include <QString>

#include <optional>

namespace mcpbridge {

enum AtomicWriteError : int {
    AtomicWriteOpenFailed = 1, // nothing was written (missing folder, no permission ...)
    AtomicWriteFailed = 2,     // writing or renaming failed; the previous file is unchanged
};

// Writes `bytes` to `path` through QSaveFile, unbuffered: buffered, Qt 6.4 loses a short write
// (disk full, file size limit) in the flush inside commit() and renames a truncated file over the
// old one. `permissions`, when given, apply before the new file replaces the old one. On failure
// the Error's message is the reason alone ("No space left on device") and its code an
// AtomicWriteError, for the caller to put into its own sentence.
[[nodiscard]] Result<void> writeFileAtomically(const QString &path, const QByteArray &bytes,
                                               std::optional<QFileDevice::Permissions> permissions
                                               = std::nullopt);

} // namespace mcpbridge
