#pragma once

// Reopening a saved traffic log: a JSON Lines file (one TrafficEvent::toJson object per line, as
// TrafficView's Export and `mcpbridge traffic --json` write it) read back into a TrafficLogModel,
// so a session that went wrong can be sent to a colleague and looked at later. Used by
// TrafficView's "Open…".

#include "core/traffic/trafficevent.h"
#include "core/util/result.h"

#include <QList>
#include <QString>
#include <QStringList>

namespace mcpbridge::ui {

class TrafficLogModel;

struct TrafficFileContents
{
    // At most this many bad lines are described; the rest are only counted.
    static constexpr int MaxProblems = 5;

    QString path;
    QList<traffic::TrafficEvent> events; // the newest events that fit, in file order
    int eventLines = 0;                  // lines that held an event
    int olderLeftOut = 0;                // events left out because the log holds only so many
    int badLines = 0;                    // lines skipped because they are not events
    int firstBadLine = 0;                // 1-based; 0 when every line was fine
    QStringList problems;                // "line 3: …" for the first MaxProblems bad lines

    // What people are told when something was skipped; empty when every line was read.
    QString warning() const;
    // "Opened from pantry-session.jsonl" (+ what was skipped), for TrafficView's marker.
    QString marker() const;
};

// A line longer than this is not one event (an event holds a capped body): it is skipped.
inline constexpr qint64 MaxTrafficLineBytes = 64 * 1024 * 1024;

// Reads `path`; keeps at most `maxEvents` (the newest), so memory stays bounded whatever the file
// size. Bad lines are skipped and described. Fails when the file cannot be read, or when it
// holds lines but not one event (the error then names the first bad line).
[[nodiscard]] Result<TrafficFileContents> readTrafficFile(const QString &path, int maxEvents);

// readTrafficFile with the model's capacity, then shows the events in `model` in place of what it
// showed (model->setLog(nullptr): a log or bridge it followed is no longer followed). On failure
// the model is left as it was.
[[nodiscard]] Result<TrafficFileContents> loadTrafficFile(const QString &path,
                                                          TrafficLogModel *model);

} // namespace mcpbridge::ui
