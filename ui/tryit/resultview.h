#pragma once

// Shows what a tool call returned, the way a person can read it: each content item in turn (text
// in a monospace pane, pretty-printed when it is JSON; images as pictures; audio and resources
// described), with results the tool marked as errors, and failed calls, plainly flagged.
// Part of the Try-it panel.

#include <QJsonObject>
#include <QStringList>
#include <QWidget>

class QLabel;
class QVBoxLayout;

namespace mcpbridge::tryit {

class ResultView : public QWidget
{
    Q_OBJECT
public:
    explicit ResultView(QWidget *parent = nullptr);

    // A tools/call result object ({content: [...], isError?, structuredContent?}).
    void showResult(const QJsonObject &result);
    // The call did not produce a result (refused, bridge stopped, timed out ...).
    void showFailure(const QString &message);
    // A note instead of a result ("Cancelled.", "Waiting for the answer …").
    void showNote(const QString &note);
    void clear();

    bool isError() const { return m_isError; }
    // The shown text of every text-like item, in order, separated by blank lines (for tests and
    // "copy").
    QString text() const { return m_texts.join(u"\n\n"); }
    int imageCount() const { return m_images; }
    QString heading() const;

private:
    void setHeading(const QString &text, bool error);
    void addText(const QString &text, const QString &caption = {});
    void addImage(const QByteArray &base64, const QString &mimeType);
    void addItem(const QJsonObject &item);

    QLabel *m_icon = nullptr;
    QLabel *m_heading = nullptr;
    QWidget *m_items = nullptr;
    QVBoxLayout *m_itemsLayout = nullptr;
    QStringList m_texts;
    int m_images = 0;
    bool m_isError = false;
};

} // namespace mcpbridge::tryit
