#include "core/client/mcpbridgeprogram.h"

#include <QCoreApplication>
#include <QDir>
#include <QFileInfo>
#include <QStandardPaths>
#include <QStringList>

using namespace Qt::StringLiterals;

namespace mcpbridge::client {

QString mcpbridgeProgram()
{
#ifdef Q_OS_WIN
    const QString name = u"mcpbridge.exe"_s;
#else
    const QString name = u"mcpbridge"_s;
#endif
    const QString here = QCoreApplication::applicationDirPath();
    if (!here.isEmpty()) {
        // Installed: bin/mcpbridge-studio beside bin/mcpbridge. Build tree:
        // <build>/app/studio/mcpbridge-studio and <build>/app/cli/mcpbridge; tests run from
        // <build>/tests/<folder>.
        const QStringList candidates{here + u'/' + name, here + u"/../cli/"_s + name,
                                     here + u"/../../app/cli/"_s + name};
        for (const QString &candidate : candidates) {
            const QFileInfo info(candidate);
            if (info.isFile() && info.isExecutable())
                return QDir::cleanPath(info.absoluteFilePath());
        }
    }
    return QStandardPaths::findExecutable(u"mcpbridge"_s);
}

} // namespace mcpbridge::client
