// Reading parsed JSON into a BridgeDocument. Every member is type-checked on its own, so one
// wrong value costs one problem and the rest of the document is still read.

#include "core/bridge/documentparts.h"
#include "core/util/jsontext.h"

#include <QJsonArray>
#include <QSet>

#include <cmath>

using namespace Qt::StringLiterals;

namespace mcpbridge::bridge::detail {

QString childPointer(const QString &base, const QString &token)
{
    return base + u'/' + json::escapePointerToken(token);
}

QString childPointer(const QString &base, qsizetype index)
{
    return base + u'/' + QString::number(index);
}

void ProblemSink::error(const QString &pointer, const QString &message)
{
    problems.append(Problem{Problem::Severity::Error, file, pointer, 0, 0, message});
}

void ProblemSink::warning(const QString &pointer, const QString &message)
{
    problems.append(Problem{Problem::Severity::Warning, file, pointer, 0, 0, message});
}

namespace {

QString describe(const QJsonValue &value)
{
    switch (value.type()) {
    case QJsonValue::Null: return u"null"_s;
    case QJsonValue::Bool: return value.toBool() ? u"true"_s : u"false"_s;
    case QJsonValue::Double: return u"a number"_s;
    case QJsonValue::String: return u"a string"_s;
    case QJsonValue::Array: return u"an array"_s;
    case QJsonValue::Object: return u"an object"_s;
    case QJsonValue::Undefined: break;
    }
    return u"nothing"_s;
}

// Reads the members of one JSON object; members never asked for are reported by finish().
class ObjectReader
{
public:
    ObjectReader(ProblemSink &sink, const QJsonObject &object, QString pointer)
        : m_sink(sink)
        , m_object(object)
        , m_pointer(std::move(pointer))
    {}

    QString pointerOf(const QString &key) const { return childPointer(m_pointer, key); }

    void string(const QString &key, QString &out)
    {
        read(key, QJsonValue::String, u"a string"_s,
             [&](const QJsonValue &v) { out = v.toString(); });
    }
    void boolean(const QString &key, bool &out)
    {
        read(key, QJsonValue::Bool, u"true or false"_s,
             [&](const QJsonValue &v) { out = v.toBool(); });
    }
    void boolean(const QString &key, std::optional<bool> &out)
    {
        read(key, QJsonValue::Bool, u"true or false"_s,
             [&](const QJsonValue &v) { out = v.toBool(); });
    }
    void number(const QString &key, double &out)
    {
        read(key, QJsonValue::Double, u"a number"_s,
             [&](const QJsonValue &v) { out = v.toDouble(); });
    }
    void object(const QString &key, QJsonObject &out)
    {
        read(key, QJsonValue::Object, u"an object"_s,
             [&](const QJsonValue &v) { out = v.toObject(); });
    }

    template<typename Int>
    void integer(const QString &key, Int &out)
    {
        read(key, QJsonValue::Double, u"a whole number"_s, [&](const QJsonValue &v) {
            const double d = v.toDouble();
            if (d != std::floor(d) || std::abs(d) > 9e15) {
                m_sink.error(pointerOf(key), u"expected a whole number, found %1"_s.arg(d));
                return;
            }
            out = Int(d);
        });
    }

    void stringList(const QString &key, QStringList &out)
    {
        read(key, QJsonValue::Array, u"an array of strings"_s,
             [&](const QJsonValue &v) { out = readStrings(v.toArray(), pointerOf(key)); });
    }

    QStringList readStrings(const QJsonArray &array, const QString &pointer)
    {
        QStringList strings;
        for (qsizetype i = 0; i < array.size(); ++i) {
            const QJsonValue item = array.at(i);
            if (item.isString())
                strings.append(item.toString());
            else
                m_sink.error(childPointer(pointer, i),
                             u"expected a string, found %1"_s.arg(describe(item)));
        }
        return strings;
    }

    void stringMap(const QString &key, QMap<QString, QString> &out)
    {
        read(key, QJsonValue::Object, u"an object of strings"_s, [&](const QJsonValue &v) {
            const QJsonObject o = v.toObject();
            for (auto it = o.begin(); it != o.end(); ++it) {
                if (it.value().isString())
                    out.insert(it.key(), it.value().toString());
                else
                    m_sink.error(childPointer(pointerOf(key), it.key()),
                                 u"expected a string, found %1"_s.arg(describe(it.value())));
            }
        });
    }

    // Calls `each(object, pointer)` for every element of an array of objects.
    template<typename Each>
    void objects(const QString &key, Each each)
    {
        read(key, QJsonValue::Array, u"an array"_s, [&](const QJsonValue &v) {
            const QJsonArray array = v.toArray();
            for (qsizetype i = 0; i < array.size(); ++i) {
                const QString pointer = childPointer(pointerOf(key), i);
                if (!array.at(i).isObject()) {
                    m_sink.error(pointer,
                                 u"expected an object, found %1"_s.arg(describe(array.at(i))));
                    continue;
                }
                each(array.at(i).toObject(), pointer);
            }
        });
    }

    // Calls `body(reader)` for a nested object member.
    template<typename Body>
    void nested(const QString &key, Body body)
    {
        read(key, QJsonValue::Object, u"an object"_s, [&](const QJsonValue &v) {
            ObjectReader inner(m_sink, v.toObject(), pointerOf(key));
            body(inner);
            inner.finish();
        });
    }

    void finish()
    {
        for (auto it = m_object.begin(); it != m_object.end(); ++it) {
            if (!m_known.contains(it.key()))
                m_sink.warning(pointerOf(it.key()), u"unknown member, ignored"_s);
        }
    }

private:
    template<typename Apply>
    void read(const QString &key, QJsonValue::Type type, const QString &expected, Apply apply)
    {
        m_known.insert(key);
        const auto it = m_object.constFind(key);
        // null means "not set": people delete a value that way when editing by hand.
        if (it == m_object.constEnd() || it->isNull())
            return;
        if (it->type() != type) {
            m_sink.error(pointerOf(key), u"expected %1, found %2"_s.arg(expected, describe(*it)));
            return;
        }
        apply(*it);
    }

    ProblemSink &m_sink;
    const QJsonObject m_object; // by value: callers often pass a temporary
    QString m_pointer;
    QSet<QString> m_known;
};

void readParameter(ObjectReader &r, Parameter &p)
{
    r.string(u"name"_s, p.name);
    r.string(u"in"_s, p.in);
    r.string(u"wireName"_s, p.wireName);
    r.boolean(u"required"_s, p.required);
    r.string(u"description"_s, p.description);
    r.object(u"schema"_s, p.schema);
    r.boolean(u"wholeBody"_s, p.wholeBody);
}

void readTool(ProblemSink &sink, ObjectReader &r, Tool &t)
{
    r.string(u"name"_s, t.name);
    r.string(u"title"_s, t.title);
    r.string(u"description"_s, t.description);
    r.string(u"method"_s, t.method);
    r.string(u"path"_s, t.path);
    r.objects(u"parameters"_s, [&](const QJsonObject &o, const QString &pointer) {
        ObjectReader pr(sink, o, pointer);
        Parameter p;
        readParameter(pr, p);
        pr.finish();
        t.parameters.append(p);
    });
    r.object(u"inputSchema"_s, t.inputSchema);
    r.object(u"outputSchema"_s, t.outputSchema);
    r.nested(u"annotations"_s, [&](ObjectReader &a) {
        a.string(u"title"_s, t.annotations.title);
        a.boolean(u"readOnlyHint"_s, t.annotations.readOnlyHint);
        a.boolean(u"destructiveHint"_s, t.annotations.destructiveHint);
        a.boolean(u"idempotentHint"_s, t.annotations.idempotentHint);
        a.boolean(u"openWorldHint"_s, t.annotations.openWorldHint);
    });
    r.nested(u"response"_s, [&](ObjectReader &o) {
        o.integer(u"maxBytes"_s, t.response.maxBytes);
        o.string(u"as"_s, t.response.as);
        o.string(u"resourceUri"_s, t.response.resourceUri);
        o.stringList(u"fields"_s, t.response.fields);
        o.integer(u"maxItems"_s, t.response.maxItems);
    });
    r.boolean(u"confirmDestructive"_s, t.confirmDestructive);
    r.integer(u"timeoutMs"_s, t.timeoutMs);
    r.integer(u"connectTimeoutMs"_s, t.connectTimeoutMs);
    r.boolean(u"idempotencyKey"_s, t.idempotencyKey);
    r.string(u"bodyMediaType"_s, t.bodyMediaType);
}

void readPrompt(ProblemSink &sink, ObjectReader &r, Prompt &p)
{
    r.string(u"name"_s, p.name);
    r.string(u"title"_s, p.title);
    r.string(u"description"_s, p.description);
    r.objects(u"arguments"_s, [&](const QJsonObject &o, const QString &pointer) {
        ObjectReader ar(sink, o, pointer);
        PromptArgument a;
        ar.string(u"name"_s, a.name);
        ar.string(u"title"_s, a.title);
        ar.string(u"description"_s, a.description);
        ar.boolean(u"required"_s, a.required);
        ar.stringList(u"values"_s, a.values);
        ar.finish();
        p.arguments.append(a);
    });
    r.objects(u"messages"_s, [&](const QJsonObject &o, const QString &pointer) {
        ObjectReader mr(sink, o, pointer);
        PromptMessage m;
        mr.string(u"role"_s, m.role);
        mr.string(u"type"_s, m.type);
        mr.string(u"text"_s, m.text);
        mr.string(u"uri"_s, m.uri);
        mr.finish();
        p.messages.append(m);
    });
}

// The first McpBridge version that reads each format, for the "you need a newer program" error.
QString versionForFormat(qint64 format)
{
    switch (format) {
    case 1: return u"0.1.0"_s;
    default: return {};
    }
}

} // namespace

bool readDocument(const QJsonObject &root, BridgeDocument &document, ProblemSink &sink)
{
    ObjectReader r(sink, root, QString());

    qint64 format = 0;
    const QJsonValue formatValue = root.value(u"format"_s);
    if (formatValue.isUndefined() || formatValue.isNull()) {
        sink.error(u"/format"_s,
                   u"missing: this file does not say which bridge document format it uses; add "
                   "\"format\": %1 at the top"_s.arg(CurrentFormat));
    }
    r.integer(u"format"_s, format);
    if (format > CurrentFormat) {
        const QString needed = versionForFormat(format);
        sink.error(u"/format"_s,
                   u"this document uses format %1, written by a newer McpBridge; this is McpBridge "
                   "%2, which reads format %3 and older. Install %4 to open it"_s.arg(
                       QString::number(format), QStringLiteral(MCPBRIDGE_VERSION),
                       QString::number(CurrentFormat),
                       needed.isEmpty() ? u"a newer McpBridge"_s
                                        : u"McpBridge %1 or newer"_s.arg(needed)));
        return false;
    }
    if (formatValue.isDouble() && format < 1)
        sink.error(u"/format"_s, u"must be %1, found %2"_s.arg(CurrentFormat).arg(format));
    document.format = CurrentFormat;

    r.nested(u"server"_s, [&](ObjectReader &s) {
        s.string(u"name"_s, document.server.name);
        s.string(u"title"_s, document.server.title);
        s.string(u"version"_s, document.server.version);
        s.string(u"instructions"_s, document.server.instructions);
    });
    r.nested(u"upstream"_s, [&](ObjectReader &u) {
        Upstream &up = document.upstream;
        u.string(u"baseUrl"_s, up.baseUrl);
        u.stringMap(u"headers"_s, up.headers);
        u.integer(u"timeoutMs"_s, up.timeoutMs);
        u.nested(u"auth"_s, [&](ObjectReader &a) {
            a.string(u"kind"_s, up.auth.kind);
            a.string(u"secret"_s, up.auth.secret);
            a.string(u"in"_s, up.auth.in);
            a.string(u"name"_s, up.auth.name);
            a.string(u"username"_s, up.auth.username);
            a.string(u"tokenUrl"_s, up.auth.tokenUrl);
            a.string(u"clientId"_s, up.auth.clientId);
            a.stringList(u"scopes"_s, up.auth.scopes);
        });
        u.integer(u"connectTimeoutMs"_s, up.connectTimeoutMs);
        u.nested(u"tls"_s, [&](ObjectReader &t) {
            t.string(u"caBundle"_s, up.tls.caBundle);
            t.string(u"clientCertificate"_s, up.tls.clientCertificate);
            t.string(u"clientKey"_s, up.tls.clientKey);
            t.string(u"clientKeySecret"_s, up.tls.clientKeySecret);
            t.boolean(u"insecureSkipVerify"_s, up.tls.insecureSkipVerify);
        });
        u.nested(u"retry"_s, [&](ObjectReader &r) {
            r.integer(u"maxAttempts"_s, up.retry.maxAttempts);
            r.integer(u"baseDelayMs"_s, up.retry.baseDelayMs);
            r.integer(u"maxDelayMs"_s, up.retry.maxDelayMs);
        });
        u.integer(u"maxConcurrent"_s, up.maxConcurrent);
        u.nested(u"rateLimit"_s, [&](ObjectReader &r) {
            r.number(u"requestsPerSecond"_s, up.rateLimit.requestsPerSecond);
            r.integer(u"burst"_s, up.rateLimit.burst);
        });
    });
    r.objects(u"tools"_s, [&](const QJsonObject &o, const QString &pointer) {
        ObjectReader tr(sink, o, pointer);
        Tool t;
        readTool(sink, tr, t);
        tr.finish();
        document.tools.append(t);
    });
    r.objects(u"resources"_s, [&](const QJsonObject &o, const QString &pointer) {
        ObjectReader rr(sink, o, pointer);
        Resource res;
        rr.string(u"uri"_s, res.uri);
        rr.string(u"name"_s, res.name);
        rr.string(u"title"_s, res.title);
        rr.string(u"description"_s, res.description);
        rr.string(u"mimeType"_s, res.mimeType);
        rr.string(u"path"_s, res.path);
        rr.finish();
        document.resources.append(res);
    });
    r.objects(u"resourceTemplates"_s, [&](const QJsonObject &o, const QString &pointer) {
        ObjectReader rr(sink, o, pointer);
        ResourceTemplate rt;
        rr.string(u"uriTemplate"_s, rt.uriTemplate);
        rr.string(u"name"_s, rt.name);
        rr.string(u"title"_s, rt.title);
        rr.string(u"description"_s, rt.description);
        rr.string(u"mimeType"_s, rt.mimeType);
        rr.string(u"path"_s, rt.path);
        rr.nested(u"completions"_s, [&](ObjectReader &c) {
            const QJsonObject completions = o.value(u"completions"_s).toObject();
            for (auto it = completions.begin(); it != completions.end(); ++it) {
                QStringList values;
                c.stringList(it.key(), values);
                if (it.value().isArray())
                    rt.completions.insert(it.key(), values);
            }
        });
        rr.finish();
        document.resourceTemplates.append(rt);
    });
    r.objects(u"prompts"_s, [&](const QJsonObject &o, const QString &pointer) {
        ObjectReader pr(sink, o, pointer);
        Prompt p;
        readPrompt(sink, pr, p);
        pr.finish();
        document.prompts.append(p);
    });
    r.finish();
    return true;
}

} // namespace mcpbridge::bridge::detail
