#pragma once

// The messages of one prompt as a list: each row sums up one message (who says it, and its
// text or the resource it includes). The message itself is edited beside the list through
// message()/setMessage(). Used by PromptEditor.

#include "core/bridge/bridgedocument.h"

#include <QAbstractListModel>
#include <QList>

namespace mcpbridge::editors {

class PromptMessageModel : public QAbstractListModel
{
    Q_OBJECT

public:
    explicit PromptMessageModel(QObject *parent = nullptr);

    static QStringList roles(); // user, assistant
    static QStringList types(); // text, resource, image

    void setMessages(const QList<bridge::PromptMessage> &messages);
    const QList<bridge::PromptMessage> &messages() const { return m_messages; }
    bridge::PromptMessage message(int row) const { return m_messages.value(row); }
    // Replaces the message at `row`; emits messagesEdited when it changed.
    void setMessage(int row, const bridge::PromptMessage &message);
    // Rows whose summary carries a warning sign (they have a problem); shown on the next update.
    void setFlaggedRows(const QList<int> &rows);

    // Appends a user text message; returns its row.
    int addMessage();
    bool removeRows(int row, int count, const QModelIndex &parent = {}) override;
    bool moveRows(const QModelIndex &sourceParent, int sourceRow, int count,
                  const QModelIndex &destinationParent, int destinationChild) override;

    int rowCount(const QModelIndex &parent = {}) const override;
    QVariant data(const QModelIndex &index, int role = Qt::DisplayRole) const override;

signals:
    void messagesEdited(); // any change made through the model (not setMessages)

private:
    bool isRow(const QModelIndex &index) const;

    QList<bridge::PromptMessage> m_messages;
    QList<int> m_flagged;
};

} // namespace mcpbridge::editors
