// Writing bridge documents: canonical text (members in the order of the structs, defaults left
// out, 2-space indent) and an atomic save. QJsonObject sorts keys, so the text is built here.

#include "core/bridge/documentparts.h"
#include "core/util/atomicfile.h"
#include "core/util/jsontext.h"

#include <QDir>
#include <QFileInfo>
#include <QJsonArray>

#include <cerrno>

using namespace Qt::StringLiterals;

namespace mcpbridge::bridge {

namespace {

QByteArray indentOf(int depth)
{
    return QByteArray(depth * 2, ' ');
}

QByteArray renderValue(const QJsonValue &value, int depth);

// Arrays of short scalars stay on one line ("scopes": ["read", "write"]); the rest one per line.
QByteArray renderArray(const QJsonArray &array, int depth)
{
    if (array.isEmpty())
        return "[]";
    bool scalars = true;
    QByteArray inline_ = "[";
    for (qsizetype i = 0; i < array.size() && scalars; ++i) {
        const QJsonValue v = array.at(i);
        scalars = !v.isArray() && !v.isObject();
        if (i)
            inline_ += ", ";
        inline_ += json::compact(v);
    }
    inline_ += ']';
    if (scalars && inline_.size() + depth * 2 <= 80)
        return inline_;

    QByteArray out = "[\n";
    for (qsizetype i = 0; i < array.size(); ++i) {
        if (i)
            out += ",\n";
        out += indentOf(depth + 1) + renderValue(array.at(i), depth + 1);
    }
    return out + '\n' + indentOf(depth) + ']';
}

// An object whose members keep the order they were added in.
class OrderedObject
{
public:
    explicit OrderedObject(int depth)
        : m_depth(depth)
    {}

    int childDepth() const { return m_depth + 1; }

    void add(const QString &key, const QByteArray &rendered) { m_members.append({key, rendered}); }
    void add(const QString &key, const QJsonValue &value)
    {
        add(key, renderValue(value, childDepth()));
    }
    void addIfSet(const QString &key, const QString &value)
    {
        if (!value.isEmpty())
            add(key, QJsonValue(value));
    }
    void addIfSet(const QString &key, const QJsonObject &value)
    {
        if (!value.isEmpty())
            add(key, QJsonValue(value));
    }
    void addIfSet(const QString &key, const QStringList &value)
    {
        if (!value.isEmpty())
            add(key, QJsonValue(QJsonArray::fromStringList(value)));
    }
    void addIfSet(const QString &key, const std::optional<bool> &value)
    {
        if (value)
            add(key, QJsonValue(*value));
    }
    void addIfSet(const QString &key, const OrderedObject &child)
    {
        if (!child.isEmpty())
            add(key, child.render());
    }
    template<typename T>
    void addUnlessDefault(const QString &key, const T &value, const T &defaultValue)
    {
        if (value != defaultValue)
            add(key, QJsonValue(value));
    }

    bool isEmpty() const { return m_members.isEmpty(); }

    QByteArray render() const
    {
        if (m_members.isEmpty())
            return "{}";
        QByteArray out = "{\n";
        for (qsizetype i = 0; i < m_members.size(); ++i) {
            if (i)
                out += ",\n";
            out += indentOf(m_depth + 1) + json::compact(m_members.at(i).first) + ": "
                   + m_members.at(i).second;
        }
        return out + '\n' + indentOf(m_depth) + '}';
    }

private:
    int m_depth;
    QList<std::pair<QString, QByteArray>> m_members;
};

QByteArray renderValue(const QJsonValue &value, int depth)
{
    if (value.isArray())
        return renderArray(value.toArray(), depth);
    if (value.isObject()) {
        // Schemas and other free-form objects: QJsonObject has already sorted their keys.
        const QJsonObject object = value.toObject();
        OrderedObject out(depth);
        for (auto it = object.begin(); it != object.end(); ++it)
            out.add(it.key(), it.value());
        return out.render();
    }
    return json::compact(value);
}

// A list of elements, each rendered as an ordered object at depth + 1.
template<typename T, typename Render>
QByteArray renderList(const QList<T> &items, int depth, Render render)
{
    if (items.isEmpty())
        return "[]";
    QByteArray out = "[\n";
    for (qsizetype i = 0; i < items.size(); ++i) {
        if (i)
            out += ",\n";
        OrderedObject o(depth + 1);
        render(o, items.at(i));
        out += indentOf(depth + 1) + o.render();
    }
    return out + '\n' + indentOf(depth) + ']';
}

void writeTool(OrderedObject &o, const Tool &t)
{
    static const Tool defaults;
    // name, method and path identify a tool: always written, even when they equal a default.
    o.add(u"name"_s, QJsonValue(t.name));
    o.addIfSet(u"title"_s, t.title);
    o.addIfSet(u"description"_s, t.description);
    o.add(u"method"_s, QJsonValue(t.method));
    o.add(u"path"_s, QJsonValue(t.path));
    if (!t.parameters.isEmpty()) {
        o.add(u"parameters"_s,
              renderList(t.parameters, o.childDepth(), [](OrderedObject &po, const Parameter &p) {
                  po.add(u"name"_s, QJsonValue(p.name));
                  po.add(u"in"_s, QJsonValue(p.in));
                  po.addIfSet(u"wireName"_s, p.wireName);
                  po.addUnlessDefault(u"required"_s, p.required, false);
                  po.addIfSet(u"description"_s, p.description);
                  po.addIfSet(u"schema"_s, p.schema);
                  po.addUnlessDefault(u"wholeBody"_s, p.wholeBody, false);
              }));
    }
    o.addIfSet(u"inputSchema"_s, t.inputSchema);
    o.addIfSet(u"outputSchema"_s, t.outputSchema);

    OrderedObject a(o.childDepth());
    a.addIfSet(u"title"_s, t.annotations.title);
    a.addIfSet(u"readOnlyHint"_s, t.annotations.readOnlyHint);
    a.addIfSet(u"destructiveHint"_s, t.annotations.destructiveHint);
    a.addIfSet(u"idempotentHint"_s, t.annotations.idempotentHint);
    a.addIfSet(u"openWorldHint"_s, t.annotations.openWorldHint);
    o.addIfSet(u"annotations"_s, a);

    OrderedObject r(o.childDepth());
    r.addUnlessDefault<qint64>(u"maxBytes"_s, t.response.maxBytes, defaults.response.maxBytes);
    r.addUnlessDefault(u"as"_s, t.response.as, defaults.response.as);
    r.addIfSet(u"resourceUri"_s, t.response.resourceUri);
    r.addIfSet(u"fields"_s, t.response.fields);
    r.addUnlessDefault(u"maxItems"_s, t.response.maxItems, defaults.response.maxItems);
    o.addIfSet(u"response"_s, r);

    o.addUnlessDefault(u"confirmDestructive"_s, t.confirmDestructive, false);
    o.addUnlessDefault(u"timeoutMs"_s, t.timeoutMs, defaults.timeoutMs);
    o.addUnlessDefault(u"connectTimeoutMs"_s, t.connectTimeoutMs, defaults.connectTimeoutMs);
    o.addUnlessDefault(u"idempotencyKey"_s, t.idempotencyKey, false);
    o.addIfSet(u"bodyMediaType"_s, t.bodyMediaType);
}

void writePrompt(OrderedObject &o, const Prompt &p)
{
    o.add(u"name"_s, QJsonValue(p.name));
    o.addIfSet(u"title"_s, p.title);
    o.addIfSet(u"description"_s, p.description);
    if (!p.arguments.isEmpty()) {
        o.add(u"arguments"_s, renderList(p.arguments, o.childDepth(),
                                         [](OrderedObject &ao, const PromptArgument &a) {
                                             ao.add(u"name"_s, QJsonValue(a.name));
                                             ao.addIfSet(u"title"_s, a.title);
                                             ao.addIfSet(u"description"_s, a.description);
                                             ao.addUnlessDefault(u"required"_s, a.required, false);
                                             ao.addIfSet(u"values"_s, a.values);
                                         }));
    }
    if (!p.messages.isEmpty()) {
        o.add(u"messages"_s,
              renderList(p.messages, o.childDepth(), [](OrderedObject &mo, const PromptMessage &m) {
                  // role and type are written always: they give
                  // the message its shape when read by people.
                  mo.add(u"role"_s, QJsonValue(m.role));
                  mo.add(u"type"_s, QJsonValue(m.type));
                  mo.addIfSet(u"text"_s, m.text);
                  mo.addIfSet(u"uri"_s, m.uri);
              }));
    }
}

} // namespace

QByteArray serializeDocument(const BridgeDocument &document)
{
    static const BridgeDocument defaults;
    OrderedObject root(0);
    root.add(u"format"_s, QJsonValue(document.format));

    OrderedObject server(1);
    server.addIfSet(u"name"_s, document.server.name);
    server.addIfSet(u"title"_s, document.server.title);
    server.addUnlessDefault(u"version"_s, document.server.version, defaults.server.version);
    server.addIfSet(u"instructions"_s, document.server.instructions);
    root.addIfSet(u"server"_s, server);

    const Upstream &up = document.upstream;
    OrderedObject upstream(1);
    upstream.addIfSet(u"baseUrl"_s, up.baseUrl);
    if (!up.headers.isEmpty()) {
        OrderedObject headers(2);
        for (auto it = up.headers.begin(); it != up.headers.end(); ++it)
            headers.add(it.key(), QJsonValue(it.value()));
        upstream.add(u"headers"_s, headers.render());
    }
    upstream.addUnlessDefault(u"timeoutMs"_s, up.timeoutMs, defaults.upstream.timeoutMs);
    OrderedObject auth(2);
    auth.addUnlessDefault(u"kind"_s, up.auth.kind, defaults.upstream.auth.kind);
    auth.addIfSet(u"secret"_s, up.auth.secret);
    auth.addIfSet(u"in"_s, up.auth.in);
    auth.addIfSet(u"name"_s, up.auth.name);
    auth.addIfSet(u"username"_s, up.auth.username);
    auth.addIfSet(u"tokenUrl"_s, up.auth.tokenUrl);
    auth.addIfSet(u"clientId"_s, up.auth.clientId);
    auth.addIfSet(u"scopes"_s, up.auth.scopes);
    upstream.addIfSet(u"auth"_s, auth);
    upstream.addUnlessDefault(u"connectTimeoutMs"_s, up.connectTimeoutMs,
                              defaults.upstream.connectTimeoutMs);
    OrderedObject tls(2);
    tls.addIfSet(u"caBundle"_s, up.tls.caBundle);
    tls.addIfSet(u"clientCertificate"_s, up.tls.clientCertificate);
    tls.addIfSet(u"clientKey"_s, up.tls.clientKey);
    tls.addIfSet(u"clientKeySecret"_s, up.tls.clientKeySecret);
    tls.addUnlessDefault(u"insecureSkipVerify"_s, up.tls.insecureSkipVerify, false);
    upstream.addIfSet(u"tls"_s, tls);
    OrderedObject retry(2);
    retry.addUnlessDefault(u"maxAttempts"_s, up.retry.maxAttempts,
                           defaults.upstream.retry.maxAttempts);
    retry.addUnlessDefault(u"baseDelayMs"_s, up.retry.baseDelayMs,
                           defaults.upstream.retry.baseDelayMs);
    retry.addUnlessDefault(u"maxDelayMs"_s, up.retry.maxDelayMs,
                           defaults.upstream.retry.maxDelayMs);
    upstream.addIfSet(u"retry"_s, retry);
    upstream.addUnlessDefault(u"maxConcurrent"_s, up.maxConcurrent,
                              defaults.upstream.maxConcurrent);
    OrderedObject rate(2);
    rate.addUnlessDefault(u"requestsPerSecond"_s, up.rateLimit.requestsPerSecond,
                          defaults.upstream.rateLimit.requestsPerSecond);
    rate.addUnlessDefault(u"burst"_s, up.rateLimit.burst, defaults.upstream.rateLimit.burst);
    upstream.addIfSet(u"rateLimit"_s, rate);
    root.addIfSet(u"upstream"_s, upstream);

    if (!document.tools.isEmpty())
        root.add(u"tools"_s, renderList(document.tools, 1, writeTool));
    if (!document.resources.isEmpty()) {
        root.add(u"resources"_s,
                 renderList(document.resources, 1, [](OrderedObject &o, const Resource &r) {
                     o.add(u"uri"_s, QJsonValue(r.uri));
                     o.addIfSet(u"name"_s, r.name);
                     o.addIfSet(u"title"_s, r.title);
                     o.addIfSet(u"description"_s, r.description);
                     o.addIfSet(u"mimeType"_s, r.mimeType);
                     o.addIfSet(u"path"_s, r.path);
                 }));
    }
    if (!document.resourceTemplates.isEmpty()) {
        root.add(
            u"resourceTemplates"_s,
            renderList(
                document.resourceTemplates, 1, [](OrderedObject &o, const ResourceTemplate &t) {
                    o.add(u"uriTemplate"_s, QJsonValue(t.uriTemplate));
                    o.addIfSet(u"name"_s, t.name);
                    o.addIfSet(u"title"_s, t.title);
                    o.addIfSet(u"description"_s, t.description);
                    o.addIfSet(u"mimeType"_s, t.mimeType);
                    o.addIfSet(u"path"_s, t.path);
                    if (!t.completions.isEmpty()) {
                        OrderedObject c(o.childDepth());
                        for (auto it = t.completions.begin(); it != t.completions.end(); ++it)
                            c.add(it.key(), QJsonValue(QJsonArray::fromStringList(it.value())));
                        o.add(u"completions"_s, c.render());
                    }
                }));
    }
    if (!document.prompts.isEmpty())
        root.add(u"prompts"_s, renderList(document.prompts, 1, writePrompt));

    return root.render() + '\n';
}

Result<void> saveDocument(const BridgeDocument &document, const QString &path)
{
    const QString shown = QDir::toNativeSeparators(path);
    if (path.isEmpty())
        return fail(u"Cannot save the bridge document: no file name was given."_s);
    if (QFileInfo(path).isDir())
        return fail(u"Cannot save to %1: that is a folder, not a file."_s.arg(shown), path);

    const QByteArray text = serializeDocument(document);
    const Result<void> written = writeFileAtomically(path, text);
    if (!written && written.error().code == AtomicWriteOpenFailed)
        return fail(u"Cannot save %1: %2."_s.arg(shown, written.error().message), path);
    if (!written) {
        return fail(u"Cannot save %1: %2. The previous file was left unchanged."_s.arg(
                        shown, written.error().message),
                    path);
    }
    return {};
}

} // namespace mcpbridge::bridge
