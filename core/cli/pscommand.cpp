// `mcpbridge ps [--json]`: the bridges running now for this user (started from a terminal or by
// Claude Desktop, Cursor, VS Code...), as found through their live traffic taps.

#include "core/cli/commands.h"
#include "core/traffic/tapregistry.h"

#include <QCommandLineParser>
#include <QDateTime>
#include <QJsonArray>
#include <QJsonDocument>
#include <QTextStream>

using namespace Qt::StringLiterals;

namespace mcpbridge::cli {

// "45s", "3m 12s", "2h 05m", "3d 4h".
QString formatUptime(qint64 seconds)
{
    seconds = std::max<qint64>(0, seconds);
    if (seconds < 60)
        return u"%1s"_s.arg(seconds);
    if (seconds < 3600)
        return u"%1m %2s"_s.arg(seconds / 60).arg(seconds % 60, 2, 10, QLatin1Char('0'));
    if (seconds < 86400)
        return u"%1h %2m"_s.arg(seconds / 3600).arg((seconds % 3600) / 60, 2, 10, QLatin1Char('0'));
    return u"%1d %2h"_s.arg(seconds / 86400).arg((seconds % 86400) / 3600);
}

// Also used by `mcpbridge traffic` to show what it could attach to.
QString bridgeTable(const QList<traffic::TapInfo> &running)
{
    const QStringList headers{u"NAME"_s, u"PID"_s,      u"TRANSPORT"_s,
                              u"URL"_s,  u"SESSIONS"_s, u"UPTIME"_s};
    QList<QStringList> rows;
    const QDateTime now = QDateTime::currentDateTimeUtc();
    for (const traffic::TapInfo &i : running) {
        rows << QStringList{i.name,
                            QString::number(i.pid),
                            i.transport.isEmpty() ? u"-"_s : i.transport,
                            i.url.isEmpty() ? u"-"_s : i.url,
                            QString::number(i.sessions),
                            i.started.isValid() ? formatUptime(i.started.secsTo(now)) : u"?"_s};
    }
    QList<qsizetype> widths;
    for (const QString &h : headers)
        widths << h.size();
    for (const QStringList &row : std::as_const(rows)) {
        for (qsizetype c = 0; c < row.size(); ++c)
            widths[c] = std::max(widths[c], row.at(c).size());
    }
    QString out;
    const auto addRow = [&](const QStringList &cells) {
        QString line;
        for (qsizetype c = 0; c < cells.size(); ++c)
            line += c + 1 == cells.size() ? cells.at(c) : cells.at(c).leftJustified(widths[c] + 2);
        out += line + u'\n';
    };
    addRow(headers);
    for (const QStringList &row : std::as_const(rows))
        addRow(row);
    return out;
}

int runPs(const QStringList &args)
{
    QCommandLineParser parser;
    parser.setApplicationDescription(
        u"Lists the bridges running now for your user: those started with 'mcpbridge serve' "
        "and those that Claude Desktop, Cursor, VS Code or Claude Code started. Watch one with "
        "'mcpbridge traffic NAME'."_s);
    const QCommandLineOption help({u"h"_s, u"help"_s}, u"Show this help."_s);
    const QCommandLineOption json(u"json"_s, u"Print a JSON array (for scripts)."_s);
    parser.addOptions({help, json});

    QTextStream out(stdout);
    QTextStream err(stderr);
    if (!parser.parse(args.mid(1))) {
        err << "mcpbridge ps: " << parser.errorText() << "\nRun 'mcpbridge ps --help'.\n";
        return ExitProblems;
    }
    if (parser.isSet(help)) {
        const QString text = parser.helpText();
        out << "Usage: mcpbridge ps [--json]\n" << text.mid(text.indexOf(u'\n') + 1);
        return ExitOk;
    }
    if (!parser.positionalArguments().isEmpty()) {
        err << "mcpbridge ps: unexpected argument '" << parser.positionalArguments().first()
            << "'.\nRun 'mcpbridge ps --help'.\n";
        return ExitProblems;
    }

    // Listing is also when the files of bridges that were killed get tidied up.
    const QList<traffic::TapInfo> running = traffic::TapRegistry::list(/*removeStale=*/true);
    if (parser.isSet(json)) {
        QJsonArray array;
        const QDateTime now = QDateTime::currentDateTimeUtc();
        for (const traffic::TapInfo &i : running) {
            QJsonObject o = i.toJson();
            o.insert("uptimeSeconds"_L1, i.started.isValid() ? i.started.secsTo(now) : 0);
            array.append(o);
        }
        out << QString::fromUtf8(QJsonDocument(array).toJson(QJsonDocument::Indented));
        return ExitOk;
    }
    if (running.isEmpty()) {
        out << "No bridges are running.\n";
        err << "Bridges started with 'mcpbridge serve' (also by Claude Desktop, Cursor or VS Code) "
               "show up here while they run.\n";
        return ExitOk;
    }
    out << bridgeTable(running);
    return ExitOk;
}

} // namespace mcpbridge::cli
