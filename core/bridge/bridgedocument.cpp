#include "core/bridge/bridgedocument.h"

#include <QJsonArray>
#include <QRegularExpression>
#include <QUrl>

#include <algorithm>

using namespace Qt::StringLiterals;

namespace mcpbridge::bridge {

namespace {

void insertIfSet(QJsonObject &object, const QString &key, const QString &value)
{
    if (!value.isEmpty())
        object.insert(key, value);
}

// One piece of a level-1 template: a literal run or a variable.
struct TemplatePart
{
    bool isVariable = false;
    QString text; // the literal, or the variable name
};

// nullopt when the braces do not pair up or a variable name is empty.
std::optional<QList<TemplatePart>> splitTemplate(const QString &templateText)
{
    QList<TemplatePart> parts;
    QString literal;
    qsizetype i = 0;
    while (i < templateText.size()) {
        const QChar c = templateText.at(i);
        if (c == u'}')
            return std::nullopt;
        if (c != u'{') {
            literal += c;
            ++i;
            continue;
        }
        const qsizetype close = templateText.indexOf(u'}', i + 1);
        if (close < 0)
            return std::nullopt;
        const QString name = templateText.mid(i + 1, close - i - 1);
        if (name.isEmpty() || name.contains(u'{'))
            return std::nullopt;
        if (!literal.isEmpty())
            parts.append({false, std::exchange(literal, {})});
        parts.append({true, name});
        i = close + 1;
    }
    if (!literal.isEmpty())
        parts.append({false, literal});
    return parts;
}

} // namespace

QStringList templateVariables(const QString &templateText)
{
    QStringList names;
    static const QRegularExpression re(u"\\{([^{}]*)\\}"_s);
    for (auto it = re.globalMatch(templateText); it.hasNext();) {
        const QString name = it.next().captured(1);
        if (!names.contains(name))
            names.append(name);
    }
    return names;
}

bool Annotations::isEmpty() const
{
    return title.isEmpty() && !readOnlyHint && !destructiveHint && !idempotentHint
           && !openWorldHint;
}

QJsonObject Tool::effectiveInputSchema() const
{
    if (!inputSchema.isEmpty())
        return inputSchema;
    if (parameters.isEmpty())
        return QJsonObject{{u"type"_s, u"object"_s}, {u"additionalProperties"_s, false}};

    QJsonObject properties;
    QJsonArray required;
    for (const Parameter &p : parameters) {
        QJsonObject schema = p.schema;
        // The parameter's own description wins: it is the one the author wrote for the model.
        if (!p.description.isEmpty())
            schema.insert(u"description"_s, p.description);
        properties.insert(p.name, schema);
        if (p.required)
            required.append(p.name);
    }
    QJsonObject result{{u"type"_s, u"object"_s}, {u"properties"_s, properties}};
    if (!required.isEmpty())
        result.insert(u"required"_s, required);
    return result;
}

QJsonObject Tool::toMcp() const
{
    QJsonObject out{{u"name"_s, name}};
    insertIfSet(out, u"title"_s, title);
    insertIfSet(out, u"description"_s, description);
    out.insert(u"inputSchema"_s, effectiveInputSchema());
    if (!outputSchema.isEmpty())
        out.insert(u"outputSchema"_s, outputSchema);
    if (!annotations.isEmpty()) {
        QJsonObject a;
        insertIfSet(a, u"title"_s, annotations.title);
        if (annotations.readOnlyHint)
            a.insert(u"readOnlyHint"_s, *annotations.readOnlyHint);
        if (annotations.destructiveHint)
            a.insert(u"destructiveHint"_s, *annotations.destructiveHint);
        if (annotations.idempotentHint)
            a.insert(u"idempotentHint"_s, *annotations.idempotentHint);
        if (annotations.openWorldHint)
            a.insert(u"openWorldHint"_s, *annotations.openWorldHint);
        out.insert(u"annotations"_s, a);
    }
    return out;
}

const Parameter *Tool::findParameter(QStringView parameterName) const
{
    for (const Parameter &p : parameters) {
        if (p.name == parameterName)
            return &p;
    }
    return nullptr;
}

QJsonObject Resource::toMcp() const
{
    // MCP requires a name; the uri is the most honest stand-in when the author gave none.
    QJsonObject out{{u"uri"_s, uri}, {u"name"_s, name.isEmpty() ? uri : name}};
    insertIfSet(out, u"title"_s, title);
    insertIfSet(out, u"description"_s, description);
    insertIfSet(out, u"mimeType"_s, mimeType);
    return out;
}

QJsonObject ResourceTemplate::toMcp() const
{
    QJsonObject out{{u"uriTemplate"_s, uriTemplate},
                    {u"name"_s, name.isEmpty() ? uriTemplate : name}};
    insertIfSet(out, u"title"_s, title);
    insertIfSet(out, u"description"_s, description);
    insertIfSet(out, u"mimeType"_s, mimeType);
    return out;
}

std::optional<QMap<QString, QString>> ResourceTemplate::match(const QString &uri) const
{
    const auto parts = splitTemplate(uriTemplate);
    if (!parts)
        return std::nullopt;
    QString pattern = u"^"_s;
    QStringList order;
    for (const TemplatePart &part : *parts) {
        if (part.isVariable) {
            pattern += u"([^/]+)"_s;
            order.append(part.text);
        } else {
            pattern += QRegularExpression::escape(part.text);
        }
    }
    pattern += u'$';
    const QRegularExpression re(pattern, QRegularExpression::DotMatchesEverythingOption);
    const QRegularExpressionMatch m = re.match(uri);
    if (!m.hasMatch())
        return std::nullopt;

    QMap<QString, QString> values;
    for (qsizetype i = 0; i < order.size(); ++i) {
        const QString value = QUrl::fromPercentEncoding(m.captured(int(i + 1)).toUtf8());
        // A variable used twice must have the same value both times.
        const auto existing = values.constFind(order.at(i));
        if (existing != values.constEnd() && *existing != value)
            return std::nullopt;
        values.insert(order.at(i), value);
    }
    return values;
}

QJsonObject Prompt::toMcp() const
{
    QJsonObject out{{u"name"_s, name}};
    insertIfSet(out, u"title"_s, title);
    insertIfSet(out, u"description"_s, description);
    if (!arguments.isEmpty()) {
        QJsonArray args;
        for (const PromptArgument &a : arguments) {
            QJsonObject arg{{u"name"_s, a.name}};
            insertIfSet(arg, u"title"_s, a.title);
            insertIfSet(arg, u"description"_s, a.description);
            arg.insert(u"required"_s, a.required);
            args.append(arg);
        }
        out.insert(u"arguments"_s, args);
    }
    return out;
}

QString Prompt::fill(const QString &text, const QJsonObject &values) const
{
    QString result = text;
    for (const PromptArgument &argument : arguments)
        result.replace(u'{' + argument.name + u'}', values.value(argument.name).toString());
    return result;
}

const Tool *BridgeDocument::findTool(QStringView toolName) const
{
    for (const Tool &t : tools) {
        if (t.name == toolName)
            return &t;
    }
    return nullptr;
}

const Resource *BridgeDocument::findResource(QStringView uri) const
{
    for (const Resource &r : resources) {
        if (r.uri == uri)
            return &r;
    }
    return nullptr;
}

const Prompt *BridgeDocument::findPrompt(QStringView promptName) const
{
    for (const Prompt &p : prompts) {
        if (p.name == promptName)
            return &p;
    }
    return nullptr;
}

QStringList BridgeDocument::secretNames() const
{
    QStringList names;
    // A secret left over from an earlier auth kind is not used, so nobody should be asked for it.
    if (upstream.auth.kind != u"none" && !upstream.auth.secret.isEmpty())
        names.append(upstream.auth.secret);
    static const QRegularExpression re(u"\\$\\{secret:([^}]+)\\}"_s);
    for (const QString &value : upstream.headers) {
        for (auto it = re.globalMatch(value); it.hasNext();) {
            const QString name = it.next().captured(1).trimmed();
            if (!name.isEmpty() && !names.contains(name))
                names.append(name);
        }
    }
    if (!upstream.tls.clientKeySecret.isEmpty() && !names.contains(upstream.tls.clientKeySecret))
        names.append(upstream.tls.clientKeySecret);
    return names;
}

bool Parameter::isReservedHeader(QStringView name)
{
    static constexpr QLatin1StringView reserved[] = {QLatin1StringView("host"),
                                                     QLatin1StringView("content-length"),
                                                     QLatin1StringView("transfer-encoding"),
                                                     QLatin1StringView("connection"),
                                                     QLatin1StringView("keep-alive"),
                                                     QLatin1StringView("upgrade"),
                                                     QLatin1StringView("te"),
                                                     QLatin1StringView("trailer"),
                                                     QLatin1StringView("proxy-connection")};
    const QStringView trimmed = name.trimmed();
    return std::any_of(std::begin(reserved), std::end(reserved), [&](QLatin1StringView r) {
        return trimmed.compare(r, Qt::CaseInsensitive) == 0;
    });
}

} // namespace mcpbridge::bridge
