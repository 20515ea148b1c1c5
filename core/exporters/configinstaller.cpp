// Merging a server into an MCP client's config file with a backup and an atomic write.

#include "core/exporters/configinstaller.h"

#include "core/util/atomicfile.h"

#include <QDir>
#include <QFile>
#include <QFileInfo>

using namespace Qt::StringLiterals;

namespace mcpbridge::exporters {

namespace {

Result<QByteArray> readExisting(const QString &target)
{
    QFile file(target);
    if (!file.exists())
        return QByteArray();
    if (!file.open(QIODevice::ReadOnly))
        return fail(u"cannot read the file: %1"_s.arg(file.errorString()), target,
                    InstallUnreadable);
    return file.readAll();
}

} // namespace

Result<InstallPlan> planInstall(Client client, const QString &target, const LaunchSpec &spec)
{
    if (target.isEmpty())
        return fail(u"no config file was chosen"_s, {}, InstallInvalid);
    const Result<QByteArray> before = readExisting(target);
    if (!before)
        return std::unexpected(before.error());
    const Result<QByteArray> merged = mergeInto(client, *before, spec);
    if (!merged) {
        return fail(merged.error().message, target, InstallInvalid);
    }
    InstallPlan plan;
    plan.target = target;
    plan.before = *before;
    plan.after = *merged;
    plan.diff = lineDiff(plan.before, plan.after);
    return plan;
}

QString backupPathFor(const QString &target, const QDateTime &when)
{
    return target + u".bak-"_s + when.toString(u"yyyyMMdd-HHmmss"_s);
}

Result<InstallOutcome> applyInstall(const InstallPlan &plan, const QDateTime &when)
{
    InstallOutcome outcome;
    if (!plan.changes())
        return outcome;
    const Result<QByteArray> now = readExisting(plan.target);
    if (!now)
        return std::unexpected(now.error());
    if (*now != plan.before) {
        return fail(u"the file changed since the change was shown; nothing was written. "
                    "Look at it again."_s,
                    plan.target, InstallWriteFailed);
    }
    if (QFileInfo::exists(plan.target)) {
        QString backup = backupPathFor(plan.target, when);
        // Two installs within a second must not overwrite the first backup.
        for (int n = 2; QFileInfo::exists(backup); ++n)
            backup = backupPathFor(plan.target, when) + u'-' + QString::number(n);
        if (!QFile::copy(plan.target, backup)) {
            return fail(u"cannot keep a backup at %1; nothing was written."_s.arg(backup),
                        plan.target, InstallWriteFailed);
        }
        outcome.backupPath = backup;
    }
    if (!QDir().mkpath(QFileInfo(plan.target).absolutePath())) {
        return fail(u"cannot create the folder %1."_s.arg(QFileInfo(plan.target).absolutePath()),
                    plan.target, InstallWriteFailed);
    }
    if (const Result<void> written = writeFileAtomically(plan.target, plan.after); !written) {
        return fail(u"cannot write the file: %1"_s.arg(written.error().message), plan.target,
                    InstallWriteFailed);
    }
    outcome.changed = true;
    return outcome;
}

} // namespace mcpbridge::exporters
