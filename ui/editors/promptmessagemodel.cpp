#include "promptmessagemodel.h"

using namespace Qt::StringLiterals;

namespace mcpbridge::editors {

namespace {

constexpr int SummaryLength = 70;

QString roleLabel(const QString &role)
{
    if (role == u"user")
        return u"User"_s;
    if (role == u"assistant")
        return u"Assistant"_s;
    return role;
}

QString summary(const bridge::PromptMessage &m)
{
    QString body;
    if (m.type == u"resource")
        body = u"includes %1"_s.arg(m.uri.isEmpty() ? u"(no resource chosen)"_s : m.uri);
    else if (m.type == u"image")
        body = u"shows the image %1"_s.arg(m.uri.isEmpty() ? u"(none chosen)"_s : m.uri);
    else
        body = m.text.simplified().isEmpty() ? u"(no text yet)"_s : m.text.simplified();
    if (body.size() > SummaryLength)
        body = body.left(SummaryLength - 1) + u'\u2026';
    return roleLabel(m.role) + u": "_s + body;
}

} // namespace

PromptMessageModel::PromptMessageModel(QObject *parent)
    : QAbstractListModel(parent)
{}

QStringList PromptMessageModel::roles()
{
    return {u"user"_s, u"assistant"_s};
}

QStringList PromptMessageModel::types()
{
    return {u"text"_s, u"resource"_s, u"image"_s};
}

bool PromptMessageModel::isRow(const QModelIndex &index) const
{
    return index.isValid() && index.model() == this && !index.parent().isValid()
           && index.column() == 0 && index.row() < m_messages.size();
}

void PromptMessageModel::setMessages(const QList<bridge::PromptMessage> &messages)
{
    beginResetModel();
    m_messages = messages;
    m_flagged.clear();
    endResetModel();
}

void PromptMessageModel::setMessage(int row, const bridge::PromptMessage &message)
{
    if (row < 0 || row >= m_messages.size() || m_messages.at(row) == message)
        return;
    m_messages[row] = message;
    emit dataChanged(index(row), index(row));
    emit messagesEdited();
}

void PromptMessageModel::setFlaggedRows(const QList<int> &rows)
{
    if (rows == m_flagged)
        return;
    m_flagged = rows;
    if (!m_messages.isEmpty())
        emit dataChanged(index(0), index(int(m_messages.size()) - 1),
                         {Qt::DisplayRole, Qt::AccessibleTextRole});
}

int PromptMessageModel::addMessage()
{
    const int row = int(m_messages.size());
    beginInsertRows({}, row, row);
    m_messages.append(bridge::PromptMessage{});
    endInsertRows();
    emit messagesEdited();
    return row;
}

bool PromptMessageModel::removeRows(int row, int count, const QModelIndex &parent)
{
    if (parent.isValid() || row < 0 || count <= 0 || row + count > m_messages.size())
        return false;
    beginRemoveRows({}, row, row + count - 1);
    m_messages.remove(row, count);
    endRemoveRows();
    emit messagesEdited();
    return true;
}

bool PromptMessageModel::moveRows(const QModelIndex &sourceParent, int sourceRow, int count,
                                  const QModelIndex &destinationParent, int destinationChild)
{
    if (sourceParent.isValid() || destinationParent.isValid() || count != 1 || sourceRow < 0
        || sourceRow >= m_messages.size() || destinationChild < 0
        || destinationChild > m_messages.size() || destinationChild == sourceRow
        || destinationChild == sourceRow + 1)
        return false;
    beginMoveRows({}, sourceRow, sourceRow, {}, destinationChild);
    m_messages.move(sourceRow,
                    destinationChild > sourceRow ? destinationChild - 1 : destinationChild);
    endMoveRows();
    emit messagesEdited();
    return true;
}

int PromptMessageModel::rowCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : int(m_messages.size());
}

QVariant PromptMessageModel::data(const QModelIndex &index, int role) const
{
    if (!isRow(index))
        return {};
    const bridge::PromptMessage &m = m_messages.at(index.row());
    const bool flagged = m_flagged.contains(index.row());
    switch (role) {
    case Qt::DisplayRole:
        return QString((flagged ? u"\u26A0 "_s : QString()) + u"%1. "_s.arg(index.row() + 1)
                       + summary(m));
    case Qt::AccessibleTextRole:
        return u"Message %1%2, %3"_s.arg(index.row() + 1)
            .arg(flagged ? u" (has a problem)"_s : QString(), summary(m));
    case Qt::ToolTipRole: return m.type == u"text" ? m.text : m.uri;
    default: return {};
    }
}

} // namespace mcpbridge::editors
