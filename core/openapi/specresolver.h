#pragma once

// Follows `$ref`s in an OpenAPI document: local JSON pointers ("#/components/schemas/Pet") and
// relative files next to the spec ("pet.yaml#/Pet", loaded once and cached). Remote (http) refs
// are not fetched. Used by the schema converter and the operation mapper.

#include <QHash>
#include <QJsonValue>
#include <QList>
#include <QString>
#include <QUrl>

#include <optional>

namespace mcpbridge::openapi {

class SpecResolver
{
public:
    // `root` is the spec; `baseUrl` is where it came from (file:// allows relative file refs).
    SpecResolver(const QJsonValue &root, const QUrl &baseUrl);

    // A value and where it lives: `doc` indexes the loaded documents (0: the spec itself),
    // `pointer` is its JSON pointer there (prefixed with the file name for other documents).
    struct Located
    {
        QJsonValue value;
        int doc = 0;
        QString pointer;
    };

    const QJsonValue &root() const { return m_docs.first().value; }

    // The target of `ref` as written in document `doc`, or nullopt with `error` set.
    std::optional<Located> lookup(const QString &ref, int doc, QString *error = nullptr) const;
    // `value` itself, or the end of its chain of {"$ref": ...} objects (at most 32 hops).
    std::optional<Located> deref(const Located &value, QString *error = nullptr) const;
    // A key naming the target of `ref` in `doc` uniquely (for cycle detection and caching).
    QString canonical(const QString &ref, int doc) const;

    // The value at a JSON pointer ("" = whole value); nullopt if a token is missing.
    static std::optional<QJsonValue> at(const QJsonValue &value, const QString &pointer);

private:
    struct Doc
    {
        QJsonValue value;
        QUrl url;
        QString label;
    };
    int documentFor(const QString &file, int fromDoc, QString *error) const;

    mutable QList<Doc> m_docs;
    mutable QHash<QString, int> m_docIndex; // url -> index
};

} // namespace mcpbridge::openapi
