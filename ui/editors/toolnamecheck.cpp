#include "toolnamecheck.h"

using namespace Qt::StringLiterals;

namespace mcpbridge::editors {

namespace {

bool allowed(QChar c)
{
    const char16_t u = c.unicode();
    return (u >= u'A' && u <= u'Z') || (u >= u'a' && u <= u'z') || (u >= u'0' && u <= u'9')
           || u == u'_' || u == u'.' || u == u'-';
}

QString describe(QChar c)
{
    if (c == u' ')
        return u"a space"_s;
    if (c.isSpace())
        return u"a blank character"_s;
    return u"\u201C%1\u201D"_s.arg(c);
}

} // namespace

QString toolNameProblem(const QString &name, const bridge::BridgeDocument &document,
                        const QString &ownName)
{
    if (name.isEmpty())
        return u"The tool needs a name: the model calls it by this name."_s;
    QStringList bad;
    for (QChar c : name) {
        if (!allowed(c)) {
            const QString d = describe(c);
            if (!bad.contains(d))
                bad.append(d);
        }
    }
    if (!bad.isEmpty())
        return u"A name can only use letters A to Z, digits, and _ . - . Remove %1."_s.arg(
            bad.join(u", "_s));
    if (name.size() > MaxToolNameLength)
        return u"The name is %1 characters long; at most %2 are allowed."_s.arg(name.size())
            .arg(MaxToolNameLength);
    bool skippedSelf = false;
    for (const bridge::Tool &t : document.tools) {
        if (!skippedSelf && t.name == ownName) {
            skippedSelf = true;
            continue;
        }
        if (t.name == name)
            return u"Another tool is already called \u201C%1\u201D. Pick a different name."_s.arg(
                name);
    }
    return {};
}

} // namespace mcpbridge::editors
