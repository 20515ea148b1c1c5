#include "core/openapi/toolnaming.h"

#include <QCryptographicHash>

using namespace Qt::StringLiterals;

namespace mcpbridge::openapi {

namespace {

QString sanitize(const QString &raw, bool allowDot)
{
    QString out;
    out.reserve(raw.size());
    for (const QChar c : raw) {
        const char16_t u = c.unicode();
        const bool ok = (u >= u'a' && u <= u'z') || (u >= u'A' && u <= u'Z')
                        || (u >= u'0' && u <= u'9') || u == u'_' || u == u'-'
                        || (allowDot && u == u'.');
        if (ok)
            out += c;
        else if (!out.endsWith(u'_'))
            out += u'_';
    }
    // Collapse runs of "_" that came from the source itself too ("a__b" stays readable as "a_b").
    while (out.contains(u"__"_s))
        out.replace(u"__"_s, u"_"_s);
    qsizetype start = 0;
    qsizetype end = out.size();
    while (start < end && (out.at(start) == u'_' || out.at(start) == u'-' || out.at(start) == u'.'))
        ++start;
    while (end > start
           && (out.at(end - 1) == u'_' || out.at(end - 1) == u'-' || out.at(end - 1) == u'.'))
        --end;
    return out.mid(start, end - start);
}

} // namespace

QString sanitizeToolName(const QString &raw)
{
    return sanitize(raw, false);
}

QString sanitizeArgumentName(const QString &raw)
{
    return sanitize(raw, true);
}

QString truncateName(const QString &name, int max)
{
    if (name.size() <= max)
        return name;
    const QByteArray hash
        = QCryptographicHash::hash(name.toUtf8(), QCryptographicHash::Sha1).toHex().left(8);
    QString head = name.left(max - 9);
    while (head.endsWith(u'_') || head.endsWith(u'-'))
        head.chop(1);
    return head + u'_' + QString::fromLatin1(hash);
}

QString nameFromMethodAndPath(const QString &method, const QString &path)
{
    return sanitizeToolName(method.toLower() + u'_' + path);
}

bool UniqueNames::isTaken(const QString &name) const
{
    return m_used.contains(key(name));
}

QString UniqueNames::claim(const QString &candidate)
{
    QString base = truncateName(candidate, m_max);
    if (!isTaken(base)) {
        m_used.insert(key(base));
        return base;
    }
    for (int n = 2;; ++n) {
        const QString suffix = u'_' + QString::number(n);
        QString head = base.left(m_max - suffix.size());
        const QString name = head + suffix;
        if (!isTaken(name)) {
            m_used.insert(key(name));
            return name;
        }
    }
}

} // namespace mcpbridge::openapi
