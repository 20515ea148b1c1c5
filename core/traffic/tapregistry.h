#pragma once

// Where running bridges publish their traffic taps, and how to find them: a per-user runtime
// directory (0700) holding one socket (0600) and one info file (0600) per `mcpbridge serve`.
// Used by TrafficTap (to publish) and by `mcpbridge ps`, `mcpbridge traffic` and the studio.

#include "core/util/result.h"

#include <QDateTime>
#include <QJsonObject>
#include <QList>
#include <QString>

#include <optional>

namespace mcpbridge::traffic {

// What a running bridge says about itself in `<dir>/<name>-<pid>.json`.
struct TapInfo
{
    static constexpr int ProtocolVersion = 1;

    QString name;      // the bridge's server name ("pantry")
    QString title;     // its display title, may be empty
    qint64 pid = 0;    // set by TrafficTap when empty
    QString transport; // "stdio" or "http"
    QString url;       // the MCP endpoint for HTTP; empty for stdio
    QString config;    // the bridge document's path, may be empty
    QDateTime started; // set by TrafficTap when invalid
    QString socket;    // full path of the tap's local socket; set by TrafficTap
    QString infoFile;  // full path of the info file itself (not written into it)
    int sessions = 0;  // open MCP sessions

    // "pantry" or "Pantry & Recipes (pantry)" for messages.
    QString displayName() const;
    QJsonObject toJson() const;
    static std::optional<TapInfo> fromJson(const QJsonObject &object);
};

class TapRegistry
{
public:
    // The directory taps live in: $XDG_RUNTIME_DIR/mcpbridge, else /tmp/mcpbridge-<uid>.
    // Does not create it.
    static QString directory();
    // Creates the directory (0700) when missing. Refuses (with a message) a directory that is a
    // symbolic link, is owned by another user, or cannot be made private, since the sockets in it
    // carry everything the bridge sees.
    [[nodiscard]] static Result<QString> ensureDirectory();

    // "Pantry & Recipes!" -> "Pantry-Recipes": the part of the file names taken from the name,
    // safe in a path and short enough for a socket address.
    static QString fileStem(const QString &bridgeName, qint64 pid);

    // The bridges running now, oldest first. Entries whose process is gone (a bridge that was
    // killed) are skipped; with `removeStale` their files are deleted too.
    static QList<TapInfo> list(bool removeStale = false);

    // True when a process with this id exists.
    static bool processAlive(qint64 pid);

    struct Selection
    {
        std::optional<TapInfo> match; // set when exactly one bridge fits
        QList<TapInfo> candidates;    // what was considered (all running, or the ambiguous ones)
        QString message;              // for people when there is no single match
    };
    // Picks one of `running` by PID (all digits) or by name (exact, then ignoring case, then a
    // unique prefix). An empty selector picks the only running bridge.
    static Selection select(const QList<TapInfo> &running, const QString &selector);
};

} // namespace mcpbridge::traffic
