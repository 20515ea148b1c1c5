#include "core/util/atomicfile.h"

#include <QSaveFile>

#include <cerrno>

using namespace Qt::StringLiterals;

namespace mcpbridge {

Result<void> writeFileAtomically(const QString &path, const QByteArray &bytes,
                                 std::optional<QFileDevice::Permissions> permissions)
{
    QSaveFile file(path);
    if (!file.open(QIODevice::WriteOnly | QIODevice::Unbuffered))
        return fail(file.errorString(), path, AtomicWriteOpenFailed);
    if (permissions)
        file.setPermissions(*permissions);
    const qint64 written = file.write(bytes);
    if (written != bytes.size()) {
        const int osError = errno;
        QString reason = file.error() != QFileDevice::NoError ? file.errorString() : QString();
        if (reason.isEmpty() || reason == u"Unknown error")
            reason = osError ? qt_error_string(osError)
                             : u"only part of it could be written (is the disk full?)"_s;
        file.cancelWriting();
        return fail(reason, path, AtomicWriteFailed);
    }
    if (!file.commit())
        return fail(file.errorString(), path, AtomicWriteFailed);
    return {};
}

} // namespace mcpbridge
