#include "resultview.h"

#include "core/util/jsontext.h"
#include "ui/traffic/jsonhighlighter.h"

#include <QFontDatabase>
#include <QHBoxLayout>
#include <QImage>
#include <QJsonArray>
#include <QJsonDocument>
#include <QLabel>
#include <QPixmap>
#include <QPlainTextEdit>
#include <QScrollArea>
#include <QStyle>
#include <QVBoxLayout>

using namespace Qt::StringLiterals;

namespace mcpbridge::tryit {

namespace {

// Text that is a JSON object or array comes back indented; anything else as it was.
QString readable(const QString &text)
{
    const QString trimmed = text.trimmed();
    if (!trimmed.startsWith(u'{') && !trimmed.startsWith(u'['))
        return text;
    QJsonParseError error{};
    const QJsonDocument document = QJsonDocument::fromJson(trimmed.toUtf8(), &error);
    if (error.error != QJsonParseError::NoError)
        return text;
    const QJsonValue value
        = document.isArray() ? QJsonValue(document.array()) : QJsonValue(document.object());
    return QString::fromUtf8(json::pretty(value)).trimmed();
}

QString sizeText(qsizetype bytes)
{
    if (bytes >= 1024 * 1024)
        return ResultView::tr("%1 MB").arg(bytes / (1024.0 * 1024.0), 0, 'f', 1);
    if (bytes >= 1024)
        return ResultView::tr("%1 KB").arg((bytes + 1023) / 1024);
    return ResultView::tr("%1 bytes").arg(bytes);
}

} // namespace

ResultView::ResultView(QWidget *parent)
    : QWidget(parent)
{
    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    auto *headingRow = new QHBoxLayout;
    m_icon = new QLabel(this);
    m_heading = new QLabel(this);
    m_heading->setObjectName(u"resultHeading"_s);
    m_heading->setWordWrap(true);
    m_heading->setTextInteractionFlags(Qt::TextSelectableByMouse);
    QFont bold = m_heading->font();
    bold.setBold(true);
    m_heading->setFont(bold);
    headingRow->addWidget(m_icon, 0, Qt::AlignTop);
    headingRow->addWidget(m_heading, 1);
    layout->addLayout(headingRow);

    auto *scroll = new QScrollArea(this);
    scroll->setWidgetResizable(true);
    scroll->setFrameShape(QFrame::NoFrame);
    m_items = new QWidget(scroll);
    m_itemsLayout = new QVBoxLayout(m_items);
    m_itemsLayout->setContentsMargins(0, 0, 0, 0);
    scroll->setWidget(m_items);
    layout->addWidget(scroll, 1);
    clear();
}

QString ResultView::heading() const
{
    return m_heading->text();
}

void ResultView::setHeading(const QString &text, bool error)
{
    m_isError = error;
    m_heading->setText(text);
    m_heading->setAccessibleName(text);
    const int size = style()->pixelMetric(QStyle::PM_SmallIconSize, nullptr, this);
    m_icon->setPixmap(error
                          ? style()->standardIcon(QStyle::SP_MessageBoxCritical).pixmap(size, size)
                          : QPixmap());
    m_icon->setVisible(error);
}

void ResultView::clear()
{
    while (QLayoutItem *item = m_itemsLayout->takeAt(0)) {
        delete item->widget();
        delete item;
    }
    m_texts.clear();
    m_images = 0;
    setHeading({}, false);
}

void ResultView::showNote(const QString &note)
{
    clear();
    setHeading(note, false);
    m_itemsLayout->addStretch(1);
}

void ResultView::showFailure(const QString &message)
{
    clear();
    setHeading(tr("The call failed"), true);
    addText(message);
    m_itemsLayout->addStretch(1);
}

void ResultView::showResult(const QJsonObject &result)
{
    clear();
    const bool error = result.value("isError"_L1).toBool();
    const QJsonArray content = result.value("content"_L1).toArray();
    if (error)
        setHeading(tr("The tool reported an error"), true);
    else
        setHeading(content.isEmpty() ? tr("The tool answered with no content") : tr("Result"),
                   false);
    for (const QJsonValue &item : content)
        addItem(item.toObject());
    if (content.isEmpty() && result.contains("structuredContent"_L1))
        addText(QString::fromUtf8(json::pretty(result.value("structuredContent"_L1))),
                tr("Structured content"));
    m_itemsLayout->addStretch(1);
}

void ResultView::addItem(const QJsonObject &item)
{
    const QString type = item.value("type"_L1).toString();
    if (type == "text"_L1) {
        addText(readable(item.value("text"_L1).toString()));
    } else if (type == "image"_L1) {
        addImage(item.value("data"_L1).toString().toLatin1(), item.value("mimeType"_L1).toString());
    } else if (type == "audio"_L1) {
        const qsizetype bytes
            = QByteArray::fromBase64(item.value("data"_L1).toString().toLatin1()).size();
        auto *label = new QLabel(tr("An audio clip (%1, %2). The studio does not play audio.")
                                     .arg(item.value("mimeType"_L1).toString(), sizeText(bytes)),
                                 m_items);
        label->setWordWrap(true);
        m_itemsLayout->addWidget(label);
        m_texts.append(label->text());
    } else if (type == "resource"_L1) {
        const QJsonObject resource = item.value("resource"_L1).toObject();
        const QString caption = tr("Resource %1").arg(resource.value("uri"_L1).toString());
        if (resource.contains("text"_L1)) {
            addText(readable(resource.value("text"_L1).toString()), caption);
        } else {
            const qsizetype bytes
                = QByteArray::fromBase64(resource.value("blob"_L1).toString().toLatin1()).size();
            const QString mime = resource.value("mimeType"_L1).toString();
            if (mime.startsWith("image/"_L1))
                addImage(resource.value("blob"_L1).toString().toLatin1(), mime);
            else
                addText(tr("%1 of %2 data").arg(sizeText(bytes), mime), caption);
        }
    } else if (type == "resource_link"_L1) {
        addText(item.value("uri"_L1).toString(),
                tr("A link to the resource %1").arg(item.value("name"_L1).toString()));
    } else {
        addText(QString::fromUtf8(json::pretty(item)), tr("Content of type \"%1\"").arg(type));
    }
}

void ResultView::addText(const QString &text, const QString &caption)
{
    if (!caption.isEmpty()) {
        auto *label = new QLabel(caption, m_items);
        label->setWordWrap(true);
        m_itemsLayout->addWidget(label);
    }
    auto *pane = new QPlainTextEdit(m_items);
    pane->setReadOnly(true);
    pane->setFont(QFontDatabase::systemFont(QFontDatabase::FixedFont));
    pane->setPlainText(text);
    pane->setAccessibleName(caption.isEmpty() ? tr("Result text") : caption);
    pane->setToolTip(m_isError ? tr("What the tool reported; a model would read this text")
                               : tr("What the tool returned; a model would read this text"));
    pane->setTabChangesFocus(true);
    const int lines = std::clamp(int(text.count(u'\n')) + 2, 3, 30);
    pane->setMinimumHeight(pane->fontMetrics().lineSpacing() * std::min(lines, 8));
    const QString start = text.trimmed().left(1);
    if (start == "{"_L1 || start == "["_L1)
        new ui::JsonHighlighter(pane->document());
    m_itemsLayout->addWidget(pane, lines);
    m_texts.append(text);
}

void ResultView::addImage(const QByteArray &base64, const QString &mimeType)
{
    QImage image;
    const QByteArray bytes = QByteArray::fromBase64(base64);
    auto *label = new QLabel(m_items);
    if (image.loadFromData(bytes)) {
        constexpr int MaxSide = 480;
        QPixmap pixmap = QPixmap::fromImage(image);
        if (pixmap.width() > MaxSide || pixmap.height() > MaxSide)
            pixmap = pixmap.scaled(MaxSide, MaxSide, Qt::KeepAspectRatio, Qt::SmoothTransformation);
        label->setPixmap(pixmap);
        label->setAccessibleName(
            tr("Image (%1, %2 × %3)").arg(mimeType).arg(image.width()).arg(image.height()));
        label->setToolTip(label->accessibleName());
        ++m_images;
    } else {
        label->setText(
            tr("An image (%1, %2) the studio cannot show.").arg(mimeType, sizeText(bytes.size())));
        m_texts.append(label->text());
    }
    m_itemsLayout->addWidget(label, 0, Qt::AlignLeft);
}

} // namespace mcpbridge::tryit
