#include "ui/traffic/trafficfile.h"

#include "ui/traffic/trafficlogmodel.h"

#include <QCoreApplication>
#include <QFile>
#include <QFileInfo>
#include <QJsonDocument>
#include <QJsonObject>
#include <QLocale>

#include <deque>

using namespace Qt::StringLiterals;

namespace mcpbridge::ui {

using traffic::TrafficEvent;

namespace {

QString tr(const char *text)
{
    return QCoreApplication::translate("TrafficFile", text);
}

QString fileName(const QString &path)
{
    return QFileInfo(path).fileName();
}

QString number(qint64 n)
{
    return QLocale().toString(n);
}

// Reads one line in pieces, so a short line costs a short buffer; a line longer than
// MaxTrafficLineBytes is consumed to its end, not kept, and reported through `tooLong`.
QByteArray readLine(QFile &file, bool &tooLong)
{
    tooLong = false;
    QByteArray line;
    char piece[16 * 1024];
    for (;;) {
        const qint64 n = file.readLine(piece, sizeof piece);
        if (n <= 0)
            break;
        if (!tooLong) {
            line.append(piece, n);
            if (line.size() > MaxTrafficLineBytes) {
                tooLong = true;
                line = QByteArray();
            }
        }
        if (piece[n - 1] == '\n')
            break;
    }
    return line;
}

} // namespace

QString TrafficFileContents::warning() const
{
    QStringList parts;
    if (badLines > 0) {
        QString text = badLines == 1
                           ? tr("1 line of %1 was skipped because it is not a traffic event:")
                                 .arg(fileName(path))
                           : tr("%1 lines of %2 were skipped because they are not traffic events:")
                                 .arg(number(badLines), fileName(path));
        for (const QString &problem : problems)
            text += u"\n• "_s + problem;
        if (badLines > problems.size())
            text += u"\n• "_s + tr("…and %1 more").arg(number(badLines - problems.size()));
        parts << text;
    }
    if (olderLeftOut > 0)
        parts << tr("The file holds %1 events; the traffic log keeps the newest %2, so the %3 "
                    "oldest were left out.")
                     .arg(number(eventLines), number(events.size()), number(olderLeftOut));
    return parts.join(u"\n\n"_s);
}

QString TrafficFileContents::marker() const
{
    QString text = tr("Opened from %1").arg(fileName(path));
    text += u" — "_s
            + (events.size() == 1 ? tr("1 event") : tr("%1 events").arg(number(events.size())));
    if (badLines > 0)
        text += u" · "_s
                + (badLines == 1 ? tr("1 bad line skipped (line %1)").arg(firstBadLine)
                                 : tr("%1 bad lines skipped, the first at line %2")
                                       .arg(number(badLines))
                                       .arg(firstBadLine));
    if (olderLeftOut > 0)
        text += u" · "_s + tr("only the newest %1").arg(number(events.size()));
    return text;
}

Result<TrafficFileContents> readTrafficFile(const QString &path, int maxEvents)
{
    const QFileInfo info(path);
    if (info.isDir())
        return fail(tr("This is a folder, not a traffic file."), path);
    QFile file(path);
    if (!file.open(QIODevice::ReadOnly))
        return fail(tr("Could not open the traffic file: %1.").arg(file.errorString()), path);

    maxEvents = std::max(1, maxEvents);
    TrafficFileContents contents;
    contents.path = path;
    std::deque<TrafficEvent> kept;
    int lineNumber = 0;
    auto bad = [&](const QString &why) {
        ++contents.badLines;
        if (contents.firstBadLine == 0)
            contents.firstBadLine = lineNumber;
        if (contents.problems.size() < TrafficFileContents::MaxProblems)
            contents.problems << tr("line %1: %2").arg(lineNumber).arg(why);
    };

    while (!file.atEnd()) {
        bool tooLong = false;
        QByteArray line = readLine(file, tooLong);
        if (file.error() != QFileDevice::NoError)
            return fail(tr("Could not read the traffic file: %1.").arg(file.errorString()),
                        path + u':' + QString::number(lineNumber + 1));
        ++lineNumber;
        if (tooLong) {
            bad(tr("longer than 64 MB, so it cannot be one event"));
            continue;
        }
        if (lineNumber == 1 && line.startsWith("\xEF\xBB\xBF"))
            line.remove(0, 3); // a byte order mark some editors add
        line = line.trimmed();
        if (line.isEmpty())
            continue;

        QJsonParseError error;
        const QJsonDocument doc = QJsonDocument::fromJson(line, &error);
        if (error.error != QJsonParseError::NoError) {
            bad(tr("not valid JSON (%1 at character %2)")
                    .arg(error.errorString())
                    .arg(error.offset + 1));
            continue;
        }
        if (!doc.isObject()) {
            bad(tr("JSON, but not an object"));
            continue;
        }
        std::optional<TrafficEvent> event = TrafficEvent::fromJson(doc.object());
        if (!event) {
            bad(tr("a JSON object, but not a traffic event (it needs \"kind\", \"direction\" "
                   "and \"seq\")"));
            continue;
        }
        ++contents.eventLines;
        kept.push_back(std::move(*event));
        if (int(kept.size()) > maxEvents) {
            kept.pop_front();
            ++contents.olderLeftOut;
        }
    }

    if (contents.eventLines == 0 && contents.badLines > 0) {
        return fail(
            tr("%1 holds no traffic events; %2").arg(fileName(path), contents.problems.value(0)),
            path + u':' + QString::number(contents.firstBadLine));
    }
    contents.events.reserve(qsizetype(kept.size()));
    for (TrafficEvent &event : kept)
        contents.events.append(std::move(event));
    return contents;
}

Result<TrafficFileContents> loadTrafficFile(const QString &path, TrafficLogModel *model)
{
    Result<TrafficFileContents> contents = readTrafficFile(path, model->capacity());
    if (!contents)
        return contents;
    model->setLog(nullptr);
    model->clear();
    for (const TrafficEvent &event : std::as_const(contents->events))
        model->appendEvent(event);
    model->flushPending();
    return contents;
}

} // namespace mcpbridge::ui
