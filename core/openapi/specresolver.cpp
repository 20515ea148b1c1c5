#include "core/openapi/specresolver.h"

#include "core/openapi/specloader.h"

#include <QJsonArray>
#include <QJsonObject>

using namespace Qt::StringLiterals;

namespace mcpbridge::openapi {

namespace {
constexpr int MaxRefHops = 32;
constexpr int MaxExternalDocuments = 200;
} // namespace

SpecResolver::SpecResolver(const QJsonValue &root, const QUrl &baseUrl)
{
    QString label = baseUrl.isLocalFile() ? baseUrl.toLocalFile() : baseUrl.toString();
    m_docs.append(Doc{root, baseUrl, label});
    if (baseUrl.isValid())
        m_docIndex.insert(baseUrl.toString(QUrl::RemoveFragment), 0);
}

std::optional<QJsonValue> SpecResolver::at(const QJsonValue &value, const QString &pointer)
{
    if (pointer.isEmpty())
        return value;
    if (!pointer.startsWith(u'/'))
        return std::nullopt;
    QJsonValue current = value;
    qsizetype start = 1;
    while (true) {
        qsizetype end = pointer.indexOf(u'/', start);
        QString token = pointer.mid(start, end < 0 ? -1 : end - start);
        token.replace(u"~1"_s, u"/"_s);
        token.replace(u"~0"_s, u"~"_s);
        if (current.isObject()) {
            const QJsonObject o = current.toObject();
            const auto it = o.constFind(token);
            if (it == o.constEnd())
                return std::nullopt;
            current = it.value();
        } else if (current.isArray()) {
            bool ok = false;
            const int index = token.toInt(&ok);
            const QJsonArray a = current.toArray();
            if (!ok || index < 0 || index >= a.size())
                return std::nullopt;
            current = a.at(index);
        } else {
            return std::nullopt;
        }
        if (end < 0)
            break;
        start = end + 1;
    }
    return current;
}

int SpecResolver::documentFor(const QString &file, int fromDoc, QString *error) const
{
    if (file.isEmpty())
        return fromDoc;
    const QUrl base = m_docs.at(fromDoc).url;
    const QUrl target = base.resolved(QUrl(file));
    if (target.isRelative()) {
        if (error)
            *error = u"the reference \"%1\" points to another file, and the location of the "
                     u"spec is not known"_s.arg(file);
        return -1;
    }
    if (!target.isLocalFile()) {
        if (error)
            *error = u"the reference \"%1\" points to another server; only references inside "
                     u"the document or to files next to it are followed"_s.arg(file);
        return -1;
    }
    const QString key = target.toString(QUrl::RemoveFragment);
    if (const auto it = m_docIndex.constFind(key); it != m_docIndex.constEnd())
        return it.value();
    if (m_docs.size() >= MaxExternalDocuments) {
        if (error)
            *error = u"too many referenced files"_s;
        return -1;
    }
    Result<QJsonValue> loaded = loadSpecFile(target.toLocalFile());
    if (!loaded) {
        if (error)
            *error = u"the referenced file could not be read (%1)"_s.arg(loaded.error().toString());
        // Remember the failure so a broken file is not read again for every reference.
        m_docIndex.insert(key, -1);
        return -1;
    }
    m_docs.append(Doc{*loaded, target, target.fileName()});
    m_docIndex.insert(key, int(m_docs.size() - 1));
    return int(m_docs.size() - 1);
}

QString SpecResolver::canonical(const QString &ref, int doc) const
{
    const qsizetype hash = ref.indexOf(u'#');
    const QString file = hash < 0 ? ref : ref.left(hash);
    const QString fragment = hash < 0 ? QString() : ref.mid(hash + 1);
    if (file.isEmpty())
        return QString::number(doc) + u'#' + fragment;
    const QUrl target = m_docs.at(doc).url.resolved(QUrl(file));
    return target.toString(QUrl::RemoveFragment) + u'#' + fragment;
}

std::optional<SpecResolver::Located> SpecResolver::lookup(const QString &ref, int doc,
                                                          QString *error) const
{
    const qsizetype hash = ref.indexOf(u'#');
    const QString file = hash < 0 ? ref : ref.left(hash);
    QString fragment = hash < 0 ? QString() : ref.mid(hash + 1);
    if (fragment.contains(u'%'))
        fragment = QUrl::fromPercentEncoding(fragment.toUtf8());
    if (!fragment.isEmpty() && !fragment.startsWith(u'/')) {
        if (error)
            *error = u"the reference \"%1\" uses an anchor name, which is not supported"_s.arg(ref);
        return std::nullopt;
    }
    const int target = documentFor(file, doc, error);
    if (target < 0)
        return std::nullopt;
    const std::optional<QJsonValue> value = at(m_docs.at(target).value, fragment);
    if (!value) {
        if (error)
            *error = u"the reference \"%1\" points to nothing"_s.arg(ref);
        return std::nullopt;
    }
    const QString pointer = target == 0 ? fragment : m_docs.at(target).label + u'#' + fragment;
    return Located{*value, target, pointer};
}

std::optional<SpecResolver::Located> SpecResolver::deref(const Located &value, QString *error) const
{
    Located current = value;
    for (int hop = 0; hop < MaxRefHops; ++hop) {
        if (!current.value.isObject())
            return current;
        const QJsonObject o = current.value.toObject();
        const auto it = o.constFind(u"$ref"_s);
        if (it == o.constEnd() || !it.value().isString())
            return current;
        std::optional<Located> next = lookup(it.value().toString(), current.doc, error);
        if (!next)
            return std::nullopt;
        current = *next;
    }
    if (error)
        *error = u"the references form a loop (more than %1 hops)"_s.arg(MaxRefHops);
    return std::nullopt;
}

} // namespace mcpbridge::openapi
