#include "core/openapi/textbudget.h"

#include <QRegularExpression>
#include <QStringList>

using namespace Qt::StringLiterals;

namespace mcpbridge::openapi {

QString cleanText(const QString &text)
{
    if (text.isEmpty())
        return text;
    QString out = text;
    out.replace(u"\r\n"_s, u"\n"_s);
    if (out.contains(u'<')) {
        static const QRegularExpression breaks(u"<\\s*(br|/p|/li|/div|/h[1-6])\\s*/?\\s*>"_s,
                                               QRegularExpression::CaseInsensitiveOption);
        static const QRegularExpression items(u"<\\s*li[^>]*>"_s,
                                              QRegularExpression::CaseInsensitiveOption);
        static const QRegularExpression tags(u"</?[A-Za-z][A-Za-z0-9-]*(\\s[^<>]*)?/?>"_s);
        static const QRegularExpression comments(u"<!--.*?-->"_s,
                                                 QRegularExpression::DotMatchesEverythingOption);
        out.remove(comments);
        out.replace(breaks, u"\n"_s);
        out.replace(items, u"- "_s);
        out.remove(tags);
    }
    if (out.contains(u'&')) {
        out.replace(u"&nbsp;"_s, u" "_s);
        out.replace(u"&lt;"_s, u"<"_s);
        out.replace(u"&gt;"_s, u">"_s);
        out.replace(u"&quot;"_s, u"\""_s);
        out.replace(u"&#39;"_s, u"'"_s);
        out.replace(u"&amp;"_s, u"&"_s);
    }
    // Link targets cost many tokens and rarely help a model; keep the link text.
    if (out.contains(u"]("_s)) {
        static const QRegularExpression images(
            u"!\\[[^\\]]*\\]\\([^()\\s]*(\\([^()]*\\))?[^()\\s]*\\)"_s);
        static const QRegularExpression links(
            u"\\[([^\\]]+)\\]\\([^()\\s]*(\\([^()]*\\))?[^()\\s]*(\\s+\"[^\"]*\")?\\)"_s);
        out.remove(images);
        out.replace(links, u"\\1"_s);
    }
    // Trim every line's end, and keep at most one blank line between paragraphs.
    const QStringList lines = out.split(u'\n');
    QString result;
    result.reserve(out.size());
    int blank = 0;
    for (const QString &line : lines) {
        QString l = line;
        while (!l.isEmpty() && l.back().isSpace())
            l.chop(1);
        if (l.trimmed().isEmpty()) {
            ++blank;
            continue;
        }
        if (!result.isEmpty())
            result += blank > 0 ? u"\n\n"_s : u"\n"_s;
        blank = 0;
        result += l;
    }
    return result.trimmed();
}

QString trimToBudget(const QString &text, int budget)
{
    if (text.size() <= budget)
        return text;
    if (budget <= 1)
        return text.left(budget);
    const QString head = text.left(budget - 1); // room for the ellipsis
    const qsizetype minimum = budget / 2;       // never throw away more than half
    qsizetype cut = head.lastIndexOf(u"\n\n"_s);
    if (cut < minimum) {
        static const QRegularExpression sentenceEnd(u"[.!?](\\s|$)"_s);
        qsizetype best = -1;
        for (auto it = sentenceEnd.globalMatch(head); it.hasNext();)
            best = it.next().capturedStart() + 1;
        cut = best;
    }
    if (cut < minimum) {
        cut = head.lastIndexOf(u' ');
        if (cut < minimum)
            cut = head.size();
    }
    QString out = head.left(cut);
    while (!out.isEmpty() && (out.back().isSpace() || out.back() == u','))
        out.chop(1);
    return out + u'…';
}

QString compactText(const QString &text, int budget)
{
    return trimToBudget(cleanText(text), budget);
}

} // namespace mcpbridge::openapi
