#include "ui/traffic/jsonhighlighter.h"

#include <QGuiApplication>

using namespace Qt::StringLiterals;

namespace mcpbridge::ui {

namespace {

// A hue at a lightness that contrasts with the base colour: dark text on light palettes,
// light text on dark ones.
QColor accent(int hue, const QPalette &palette)
{
    const bool dark = palette.color(QPalette::Base).lightness() < 128;
    return QColor::fromHsl(hue, dark ? 160 : 200, dark ? 175 : 85);
}

} // namespace

JsonHighlighter::JsonHighlighter(QTextDocument *document)
    : QSyntaxHighlighter(document)
    , m_token(
          uR"(("(?:[^"\\]|\\.)*")(\s*:)?|(-?\d+(?:\.\d+)?(?:[eE][+-]?\d+)?)|\b(true|false|null)\b)"_s)
{
    setPalette(QGuiApplication::palette());
}

void JsonHighlighter::setPalette(const QPalette &palette)
{
    m_key.setForeground(accent(210, palette));
    m_string.setForeground(accent(120, palette));
    m_number.setForeground(accent(30, palette));
    m_keyword.setForeground(accent(290, palette));
    m_heading.setForeground(palette.color(QPalette::PlaceholderText));
    m_heading.setFontWeight(QFont::Bold);
    rehighlight();
}

void JsonHighlighter::highlightBlock(const QString &text)
{
    if (text.startsWith(u'#')) {
        setFormat(0, int(text.size()), m_heading);
        return;
    }
    auto it = m_token.globalMatch(text);
    while (it.hasNext()) {
        const QRegularExpressionMatch match = it.next();
        if (match.capturedLength(1) > 0) {
            const bool isKey = match.capturedLength(2) > 0;
            setFormat(int(match.capturedStart(1)), int(match.capturedLength(1)),
                      isKey ? m_key : m_string);
        } else if (match.capturedLength(3) > 0) {
            setFormat(int(match.capturedStart(3)), int(match.capturedLength(3)), m_number);
        } else if (match.capturedLength(4) > 0) {
            setFormat(int(match.capturedStart(4)), int(match.capturedLength(4)), m_keyword);
        }
    }
}

} // namespace mcpbridge::ui
