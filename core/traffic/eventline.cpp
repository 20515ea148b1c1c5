#include "core/traffic/eventline.h"

#include <QDateTime>

using namespace Qt::StringLiterals;

namespace mcpbridge::traffic {

namespace {

constexpr qsizetype SessionWidth = 8;

QString shortSession(const QString &id)
{
    if (id.isEmpty())
        return u"-"_s;
    // HTTP session ids are long random strings; their start is enough to tell them apart.
    return id.size() <= SessionWidth ? id : id.left(SessionWidth - 1) + u'…';
}

} // namespace

QString eventLineLegend()
{
    return u"→ from the client   ← to the client   ⇢ the bridge calls the API"_s;
}

QString eventLine(const TrafficEvent &e)
{
    const QString time
        = QDateTime::fromMSecsSinceEpoch(e.timeMs).toLocalTime().toString(u"HH:mm:ss.zzz"_s);
    QString arrow;
    QString who;
    switch (e.kind) {
    case EventKind::Upstream:
        arrow = u"  ⇢"_s;
        who = u"API"_s;
        break;
    case EventKind::Note:
        arrow = u" ·"_s;
        who = shortSession(e.sessionId);
        break;
    case EventKind::Mcp:
        arrow = e.direction == Direction::Inbound ? u"→"_s : u"←"_s;
        who = shortSession(e.sessionId);
        break;
    }
    const QString id = e.kind == EventKind::Upstream ? e.relatedRpcId : e.rpcId;
    QString text = e.summary;
    if (text.isEmpty()) {
        text = e.kind == EventKind::Upstream ? e.httpMethod + u' ' + e.url
                                             : (e.method.isEmpty() ? e.messageType : e.method);
    }
    const QString origin = QString(arrow + u' ' + who).leftJustified(SessionWidth + 4);
    const QString idText = id.isEmpty() ? QString(4, u' ') : QString(u'#' + id).leftJustified(4);
    QString line = time + u"  "_s + origin + u' ' + idText + u' ' + text;
    if (e.isError && !text.contains(u"error"_s, Qt::CaseInsensitive))
        line += u"  (error)"_s;
    // Upstream summaries say their time already.
    if (e.durationMs >= 0 && e.kind == EventKind::Mcp)
        line += u"  [%1 ms]"_s.arg(e.durationMs);
    return line;
}

} // namespace mcpbridge::traffic
