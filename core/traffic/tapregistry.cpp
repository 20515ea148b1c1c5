#include "core/traffic/tapregistry.h"

#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QJsonDocument>
#include <QLoggingCategory>

#include <algorithm>

#include <cerrno>
#include <csignal>
#include <sys/stat.h>
#include <unistd.h>

using namespace Qt::StringLiterals;

Q_LOGGING_CATEGORY(lcTapRegistry, "mcpbridge.tap")

namespace mcpbridge::traffic {

namespace {

constexpr int MaxStemNameLength = 40;
constexpr qint64 MaxInfoFileSize = 64 * 1024;

} // namespace

QString TapInfo::displayName() const
{
    if (title.isEmpty() || title == name)
        return name;
    return title + u" ("_s + name + u')';
}

QJsonObject TapInfo::toJson() const
{
    return QJsonObject{
        {"tapProtocol"_L1, ProtocolVersion},
        {"name"_L1, name},
        {"title"_L1, title},
        {"pid"_L1, pid},
        {"transport"_L1, transport},
        {"url"_L1, url},
        {"config"_L1, config},
        {"started"_L1, started.toUTC().toString(Qt::ISODateWithMs)},
        {"socket"_L1, socket},
        {"sessions"_L1, sessions},
    };
}

std::optional<TapInfo> TapInfo::fromJson(const QJsonObject &o)
{
    TapInfo info;
    info.name = o.value("name"_L1).toString();
    info.pid = o.value("pid"_L1).toInteger();
    info.socket = o.value("socket"_L1).toString();
    if (info.name.isEmpty() || info.pid <= 0 || info.socket.isEmpty())
        return std::nullopt;
    info.title = o.value("title"_L1).toString();
    info.transport = o.value("transport"_L1).toString();
    info.url = o.value("url"_L1).toString();
    info.config = o.value("config"_L1).toString();
    info.started = QDateTime::fromString(o.value("started"_L1).toString(), Qt::ISODateWithMs);
    info.sessions = int(o.value("sessions"_L1).toInteger());
    return info;
}

QString TapRegistry::directory()
{
    const QByteArray xdg = qgetenv("XDG_RUNTIME_DIR");
    // Only an absolute XDG_RUNTIME_DIR counts (the spec says to ignore a relative one).
    if (!xdg.isEmpty() && xdg.startsWith('/'))
        return QDir::cleanPath(QString::fromLocal8Bit(xdg)) + u"/mcpbridge"_s;
    // QStandardPaths::RuntimeLocation would pick /tmp/runtime-<user> with a warning on stderr
    // each time; a fixed, documented name is easier for people and scripts to find.
    return u"/tmp/mcpbridge-"_s + QString::number(::getuid());
}

Result<QString> TapRegistry::ensureDirectory()
{
    const QString dir = directory();
    const QByteArray path = QFile::encodeName(dir);
    if (::mkdir(path.constData(), 0700) != 0 && errno != EEXIST) {
        const int error = errno;
        return fail(u"Cannot create the folder for live traffic: %1."_s.arg(
                        QString::fromLocal8Bit(::strerror(error))),
                    dir);
    }
    struct stat st = {};
    if (::lstat(path.constData(), &st) != 0)
        return fail(u"Cannot look at the folder for live traffic."_s, dir);
    if (S_ISLNK(st.st_mode) || !S_ISDIR(st.st_mode))
        return fail(u"The folder for live traffic is not a plain folder (a link or a file is in "
                    "its place). Remove it and start the bridge again."_s,
                    dir);
    if (st.st_uid != ::getuid())
        return fail(u"The folder for live traffic belongs to another user, so it is not private. "
                    "Remove it, or set XDG_RUNTIME_DIR to a folder of your own."_s,
                    dir);
    if ((st.st_mode & 0777) != 0700 && ::chmod(path.constData(), 0700) != 0)
        return fail(u"Cannot make the folder for live traffic private (mode 0700)."_s, dir);
    return dir;
}

QString TapRegistry::fileStem(const QString &bridgeName, qint64 pid)
{
    QString stem;
    bool lastWasDash = false;
    for (const QChar c : bridgeName) {
        // A dot only inside a word: no hidden files, no "..".
        const bool keep = (c >= u'a' && c <= u'z') || (c >= u'A' && c <= u'Z')
                          || (c >= u'0' && c <= u'9') || c == u'_'
                          || (c == u'.' && !stem.isEmpty() && !lastWasDash && !stem.endsWith(u'.'));
        if (keep) {
            stem += c;
            lastWasDash = false;
        } else if (!lastWasDash && !stem.isEmpty()) {
            stem += u'-';
            lastWasDash = true;
        }
        if (stem.size() >= MaxStemNameLength)
            break;
    }
    while (stem.endsWith(u'-') || stem.endsWith(u'.'))
        stem.chop(1);
    if (stem.isEmpty())
        stem = u"bridge"_s;
    return stem + u'-' + QString::number(pid);
}

bool TapRegistry::processAlive(qint64 pid)
{
    if (pid <= 0)
        return false;
    return ::kill(pid_t(pid), 0) == 0 || errno == EPERM;
}

QList<TapInfo> TapRegistry::list(bool removeStale)
{
    QList<TapInfo> out;
    const QDir dir(directory());
    if (!dir.exists())
        return out;
    const QFileInfoList files = dir.entryInfoList({u"*.json"_s}, QDir::Files, QDir::Name);
    for (const QFileInfo &fi : files) {
        QFile file(fi.filePath());
        if (fi.size() > MaxInfoFileSize || !file.open(QIODevice::ReadOnly))
            continue;
        const QJsonDocument doc = QJsonDocument::fromJson(file.readAll());
        file.close();
        std::optional<TapInfo> info = TapInfo::fromJson(doc.object());
        if (!info) {
            // Being written right now (a bridge that is starting), or not ours: leave it.
            continue;
        }
        info->infoFile = fi.filePath();
        if (!processAlive(info->pid) || !QFileInfo::exists(info->socket)) {
            if (removeStale && !processAlive(info->pid)) {
                qCInfo(lcTapRegistry, "Removing the tap files of stopped bridge %s (PID %lld)",
                       qUtf8Printable(info->name), info->pid);
                // Only a socket beside the info file: the info file could name any path.
                if (QFileInfo(info->socket).absolutePath() == dir.absolutePath())
                    QFile::remove(info->socket);
                QFile::remove(fi.filePath());
            }
            continue;
        }
        out << *info;
    }
    std::stable_sort(out.begin(), out.end(),
                     [](const TapInfo &a, const TapInfo &b) { return a.started < b.started; });
    return out;
}

TapRegistry::Selection TapRegistry::select(const QList<TapInfo> &running, const QString &selector)
{
    Selection s;
    if (running.isEmpty()) {
        s.message = u"No bridge is running. Bridges started with 'mcpbridge serve' (also by "
                    "Claude Desktop, Cursor or VS Code) show up here while they run."_s;
        return s;
    }
    const QString wanted = selector.trimmed();
    if (wanted.isEmpty()) {
        if (running.size() == 1) {
            s.match = running.first();
            return s;
        }
        s.candidates = running;
        s.message = u"%1 bridges are running; say which one, by name or PID:"_s.arg(running.size());
        return s;
    }

    bool isNumber = false;
    const qint64 pid = wanted.toLongLong(&isNumber);
    QList<TapInfo> found;
    if (isNumber) {
        for (const TapInfo &i : running) {
            if (i.pid == pid)
                found << i;
        }
    }
    using Match = bool (*)(const TapInfo &, const QString &);
    const Match rules[] = {
        [](const TapInfo &i, const QString &w) { return i.name == w; },
        [](const TapInfo &i, const QString &w) {
            return i.name.compare(w, Qt::CaseInsensitive) == 0
                   || i.title.compare(w, Qt::CaseInsensitive) == 0;
        },
        [](const TapInfo &i, const QString &w) {
            return i.name.startsWith(w, Qt::CaseInsensitive);
        },
    };
    for (const Match rule : rules) {
        if (!found.isEmpty())
            break;
        for (const TapInfo &i : running) {
            if (rule(i, wanted))
                found << i;
        }
    }

    if (found.size() == 1) {
        s.match = found.first();
        return s;
    }
    if (found.isEmpty()) {
        s.candidates = running;
        s.message = (isNumber ? u"No running bridge has PID %1. Running now:"_s
                              : u"No running bridge is called '%1'. Running now:"_s)
                        .arg(wanted);
        return s;
    }
    s.candidates = found;
    s.message = u"%1 running bridges are called '%2'; say which one by PID:"_s.arg(found.size())
                    .arg(wanted);
    return s;
}

} // namespace mcpbridge::traffic
