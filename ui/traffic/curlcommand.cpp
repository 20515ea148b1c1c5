#include "ui/traffic/curlcommand.h"

#include <QJsonDocument>
#include <QJsonObject>

using namespace Qt::StringLiterals;

namespace mcpbridge::ui {

QString shellQuote(const QString &text)
{
    QString quoted = text;
    quoted.replace(u"'"_s, u"'\\''"_s);
    return u'\'' + quoted + u'\'';
}

QString curlCommand(const traffic::TrafficEvent &event)
{
    if (event.kind != traffic::EventKind::Upstream)
        return {};
    const QJsonObject request
        = QJsonDocument::fromJson(event.body).object().value(u"request"_s).toObject();
    QString method = request.value(u"method"_s).toString(event.httpMethod);
    QString url = request.value(u"url"_s).toString(event.url);
    if (method.isEmpty())
        method = u"GET"_s;

    QStringList parts{u"curl -X %1 %2"_s.arg(method, shellQuote(url))};
    const QJsonObject headers = request.value(u"headers"_s).toObject();
    for (auto it = headers.begin(); it != headers.end(); ++it)
        parts.append(u"  -H "_s + shellQuote(it.key() + u": "_s + it.value().toString()));
    const QString body = request.value(u"body"_s).toString();
    if (!body.isEmpty())
        parts.append(u"  --data-raw "_s + shellQuote(body));
    return parts.join(u" \\\n"_s);
}

} // namespace mcpbridge::ui
