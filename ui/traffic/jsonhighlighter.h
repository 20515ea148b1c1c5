#pragma once

// Colours pretty-printed JSON (keys, strings, numbers, true/false/null) and "#" heading lines
// in TrafficView's detail pane, with colours that read well on the current palette.

#include <QPalette>
#include <QRegularExpression>
#include <QSyntaxHighlighter>
#include <QTextCharFormat>

namespace mcpbridge::ui {

class JsonHighlighter : public QSyntaxHighlighter
{
    Q_OBJECT
public:
    explicit JsonHighlighter(QTextDocument *document);

    // Recomputes the colours (call when the palette changes) and re-highlights.
    void setPalette(const QPalette &palette);
    QTextCharFormat keyFormat() const { return m_key; }
    QTextCharFormat stringFormat() const { return m_string; }

protected:
    void highlightBlock(const QString &text) override;

private:
    QTextCharFormat m_key;
    QTextCharFormat m_string;
    QTextCharFormat m_number;
    QTextCharFormat m_keyword;
    QTextCharFormat m_heading;
    QRegularExpression m_token;
};

} // namespace mcpbridge::ui
