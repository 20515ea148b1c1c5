#pragma once

// Helpers shared by the tst_bridgedocument_* tests: where the source tree and its fixture documents
// are, reading a file, the valid fixture document patched at a JSON pointer, problems as text, and
// a document that uses every member (richDocument) for the writing and model tests.

#include "core/bridge/bridgedocument.h"
#include "core/bridge/documentio.h"

#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>

namespace mcpbridge::tests::documentfixture {

using namespace Qt::StringLiterals;
using namespace mcpbridge::bridge;

inline QString sourceDir()
{
    // Set by ctest (mcpbridge_add_test); the fallback serves a run from the build folder.
    const QString dir = qEnvironmentVariable("MCPBRIDGE_SOURCE_DIR");
    return dir.isEmpty() ? u"../../.."_s : dir;
}

inline QByteArray readFile(const QString &path)
{
    QFile f(path);
    if (!f.open(QIODevice::ReadOnly))
        return {};
    return f.readAll();
}

inline QByteArray validText()
{
    return readFile(sourceDir() + u"/tests/fixtures/documents/valid.mcpbridge.json"_s);
}

// Sets (or, with an undefined value, removes) the member at a JSON pointer of plain tokens.
inline QJsonValue setAt(const QJsonValue &node, QStringList tokens, const QJsonValue &value)
{
    if (tokens.isEmpty())
        return value;
    const QString head = tokens.takeFirst();
    if (node.isArray()) {
        QJsonArray a = node.toArray();
        const int i = head.toInt();
        if (tokens.isEmpty() && value.isUndefined())
            a.removeAt(i);
        else
            a[i] = setAt(a.at(i), tokens, value);
        return a;
    }
    QJsonObject o = node.toObject();
    if (tokens.isEmpty() && value.isUndefined())
        o.remove(head);
    else
        o.insert(head, setAt(o.value(head), tokens, value));
    return o;
}

inline QByteArray patched(const QString &pointer, const QByteArray &valueJson)
{
    const QJsonObject base = QJsonDocument::fromJson(validText()).object();
    QJsonValue value(QJsonValue::Undefined);
    if (valueJson != "<remove>")
        value = QJsonDocument::fromJson("[" + valueJson + "]").array().at(0);
    const QJsonValue result = setAt(base, pointer.mid(1).split(u'/'), value);
    return QJsonDocument(result.toObject()).toJson();
}

inline QString describe(const QList<Problem> &problems)
{
    QStringList lines;
    for (const Problem &p : problems)
        lines.append(p.toString());
    return lines.join(u'\n');
}

inline BridgeDocument richDocument()
{
    BridgeDocument d;
    d.server = {u"rich"_s, u"Rich – “Ünïcode” title"_s, u"2.3.4"_s, u"Line one.\nLine \"two\"."_s};
    d.upstream.baseUrl = u"https://api.example.com/v1"_s;
    d.upstream.headers = {{u"X-One"_s, u"1"_s}, {u"X-Token"_s, u"${secret:tok}"_s}};
    d.upstream.timeoutMs = 1234;
    d.upstream.auth = {u"oauth2ClientCredentials"_s,
                       u"client_secret"_s,
                       QString(),
                       QString(),
                       QString(),
                       u"https://auth.example.com/token"_s,
                       u"client-1"_s,
                       {u"read"_s, u"write"_s}};
    d.upstream.connectTimeoutMs = 5000;
    d.upstream.tls = {u"ca.pem"_s, u"client.pem"_s, u"client.key"_s, u"key_pass"_s, false};
    d.upstream.retry = {5, 100, 2000};
    d.upstream.maxConcurrent = 4;
    d.upstream.rateLimit = {2.5, 3};
    Tool t;
    t.name = u"update_thing"_s;
    t.title = u"Update a thing"_s;
    t.description = u"Updates a thing."_s;
    t.method = u"PATCH"_s;
    t.path = u"/things/{thing_id}"_s;
    t.parameters = {
        {u"thing_id"_s, u"path"_s, QString(), true, u"Which thing."_s, {{u"type"_s, u"string"_s}}},
        {u"label"_s,
         u"body"_s,
         u"labelText"_s,
         false,
         QString(),
         {{u"type"_s, u"string"_s}, {u"maxLength"_s, 40}, {u"examples"_s, QJsonArray{u"a"_s}}}},
        {u"trace"_s, u"header"_s, u"X-Trace"_s, false, u"Trace id."_s, {}},
    };
    t.outputSchema
        = {{u"type"_s, u"object"_s},
           {u"properties"_s, QJsonObject{{u"ok"_s, QJsonObject{{u"type"_s, u"boolean"_s}}}}}};
    t.annotations = {u"Update"_s, false, true, true, false};
    t.response = {2048, u"resource"_s, u"things://last"_s, {u"/id"_s, u"/label"_s}, 10};
    t.confirmDestructive = true;
    t.timeoutMs = 1500;
    t.connectTimeoutMs = 700;
    t.idempotencyKey = true;
    t.bodyMediaType = u"application/x-www-form-urlencoded"_s;
    d.tools.append(t);

    Tool upload;
    upload.name = u"upload_note"_s;
    upload.description = u"Uploads a note as plain text."_s;
    upload.method = u"POST"_s;
    upload.path = u"/notes"_s;
    upload.bodyMediaType = u"text/plain"_s;
    Parameter content{u"content"_s, u"body"_s, QString(),
                      true,         QString(), {{u"type"_s, u"string"_s}}};
    content.wholeBody = true;
    upload.parameters = {content};
    d.tools.append(upload);

    Tool explicitSchema;
    explicitSchema.name = u"search"_s;
    explicitSchema.description = u"Searches."_s;
    explicitSchema.path = u"/search"_s;
    explicitSchema.parameters = {{u"q"_s, u"query"_s, QString(), false, QString(), {}}};
    explicitSchema.inputSchema
        = {{u"$schema"_s, u"https://json-schema.org/draft/2020-12/schema"_s},
           {u"type"_s, u"object"_s},
           {u"properties"_s, QJsonObject{{u"q"_s, QJsonObject{{u"type"_s, u"string"_s}}}}},
           {u"additionalProperties"_s, false}};
    d.tools.append(explicitSchema);

    d.resources.append({u"things://all"_s, u"all"_s, u"All things"_s, u"Every thing."_s,
                        u"application/json"_s, u"/things"_s});
    d.resourceTemplates.append({u"things://{thing_id}"_s,
                                u"thing"_s,
                                u"A thing"_s,
                                u"One."_s,
                                u"application/json"_s,
                                u"/things/{thing_id}"_s,
                                {{u"thing_id"_s, {u"1"_s, u"2"_s}}}});
    Prompt p;
    p.name = u"review"_s;
    p.title = u"Review"_s;
    p.description = u"Reviews a thing."_s;
    p.arguments = {{u"thing_id"_s, u"Thing"_s, u"Which one."_s, true, {u"1"_s, u"2"_s}},
                   {u"tone"_s, QString(), QString(), false, {}}};
    p.messages = {{u"user"_s, u"text"_s, u"Review {thing_id} in a {tone} tone."_s, QString()},
                  {u"assistant"_s, u"resource"_s, QString(), u"things://{thing_id}"_s},
                  {u"user"_s, u"image"_s, QString(), u"things://all"_s}};
    d.prompts.append(p);
    return d;
}

} // namespace mcpbridge::tests::documentfixture
