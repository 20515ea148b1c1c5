#pragma once

// Adds a bridge's server entry to an MCP client's config file safely: reads the current file,
// merges (mergeInto), keeps a timestamped backup of the old file and writes with QSaveFile.
// Used by `mcpbridge export --merge-into` and the studio's export dialog.

#include "core/exporters/clientconfig.h"
#include "core/util/result.h"

#include <QByteArray>
#include <QDateTime>
#include <QString>

namespace mcpbridge::exporters {

// Error::code values, so callers can tell a file that cannot be read or written from one whose
// contents are not a valid config.
enum InstallError { InstallUnreadable = 1, InstallInvalid = 2, InstallWriteFailed = 3 };

// What installing would change, computed without touching the disk beyond reading `target`.
struct InstallPlan
{
    QString target;    // the client's config file
    QByteArray before; // its current contents (empty when it does not exist yet)
    QByteArray after;  // with the server added or replaced
    QString diff;      // lineDiff(before, after), for people to review

    bool changes() const { return before != after; }
};

// What installing did.
struct InstallOutcome
{
    QString backupPath; // empty when there was no old file (or nothing changed)
    bool changed = false;
};

// Reads `target` (a missing file counts as empty) and merges the server into it. Fails, naming
// the file and the problem, when the file cannot be read or is not a valid config: such a file is
// never to be overwritten.
Result<InstallPlan> planInstall(Client client, const QString &target, const LaunchSpec &spec);

// The backup name for `target` at `when`: "<target>.bak-yyyyMMdd-HHmmss".
QString backupPathFor(const QString &target, const QDateTime &when);

// Writes plan.after to plan.target: first copies the old file to a timestamped backup (nothing is
// written when that fails), creates missing folders, writes atomically with QSaveFile. Fails when
// the file changed on disk since the plan was made, so a review never approves a stale diff.
Result<InstallOutcome> applyInstall(const InstallPlan &plan,
                                    const QDateTime &when = QDateTime::currentDateTime());

} // namespace mcpbridge::exporters
