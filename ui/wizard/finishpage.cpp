#include "core/bridge/documentio.h"
#include "ui/wizard/importwizard.h"
#include "ui/wizard/wizardpages.h"

#include <QDir>
#include <QFileInfo>
#include <QFileDialog>
#include <QFormLayout>
#include <QHBoxLayout>
#include <QLabel>
#include <QLineEdit>
#include <QPushButton>
#include <QRegularExpression>
#include <QRegularExpressionValidator>
#include <QUrl>
#include <QVBoxLayout>

using namespace Qt::StringLiterals;

namespace mcpbridge::ui {

namespace {

// A machine name from anything people type: "Swagger Petstore" -> "swagger-petstore".
QString machineName(const QString &text)
{
    static const QRegularExpression other(u"[^a-z0-9_.]+"_s);
    QString name = text.toLower().replace(other, u"-"_s);
    while (name.startsWith(u'-'))
        name.remove(0, 1);
    while (name.endsWith(u'-'))
        name.chop(1);
    return name.isEmpty() ? u"my-bridge"_s : name.left(64);
}

} // namespace

FinishPage::FinishPage(QWidget *parent)
    : QWizardPage(parent)
{
    setTitle(tr("Name and save the bridge"));
    setSubTitle(tr("The short name identifies the bridge in your assistant's settings; the "
                   "title is what people see."));
    setFinalPage(true);

    m_name = new QLineEdit(this);
    m_name->setObjectName(u"name"_s);
    m_name->setToolTip(tr("Letters, digits, dots, dashes and underscores only, for example "
                          "\"pet-store\"."));
    m_name->setValidator(
        new QRegularExpressionValidator(QRegularExpression(u"[A-Za-z0-9_.-]{1,64}"_s), m_name));
    m_title = new QLineEdit(this);
    m_title->setObjectName(u"title"_s);
    m_title->setToolTip(tr("A friendly name shown to people, for example \"Pet Store\"."));
    m_file = new QLineEdit(this);
    m_file->setObjectName(u"file"_s);
    m_file->setToolTip(tr("The file the bridge is saved to (it ends in .mcpbridge.json)."));
    m_browse = new QPushButton(tr("&Browse…"), this);
    m_browse->setToolTip(tr("Choose where to save the bridge."));
    m_problems = new QLabel(this);
    m_problems->setObjectName(u"problems"_s);
    m_problems->setWordWrap(true);
    m_problems->setTextInteractionFlags(Qt::TextSelectableByMouse);
    m_problems->setVisible(false);

    auto *fileRow = new QHBoxLayout;
    fileRow->addWidget(m_file, 1);
    fileRow->addWidget(m_browse);
    auto *form = new QFormLayout;
    form->addRow(tr("Short &name:"), m_name);
    form->addRow(tr("&Title:"), m_title);
    form->addRow(tr("Save &to:"), fileRow);
    if (auto *fileLabel = qobject_cast<QLabel *>(form->labelForField(fileRow)))
        fileLabel->setBuddy(m_file);
    auto *layout = new QVBoxLayout(this);
    layout->addLayout(form);
    layout->addWidget(m_problems);
    layout->addStretch();

    for (QLineEdit *edit : {m_name, m_title, m_file})
        connect(edit, &QLineEdit::textChanged, this, [this] {
            m_problems->setVisible(false);
            Q_EMIT completeChanged();
        });
    connect(m_browse, &QPushButton::clicked, this, &FinishPage::browse);
}

ImportWizard *FinishPage::importWizard() const
{
    return qobject_cast<ImportWizard *>(wizard());
}

void FinishPage::initializePage()
{
    const ImportWizard *w = importWizard();
    QString name;
    QString title;
    if (w->fromSpec() && w->report()) {
        name = w->report()->document.server.name;
        title = w->report()->document.server.title;
    } else {
        name = QUrl(w->baseUrl()).host();
        title = name;
    }
    if (m_name->text().isEmpty())
        m_name->setText(machineName(name.isEmpty() ? title : name));
    if (m_title->text().isEmpty())
        m_title->setText(title);
    if (m_file->text().isEmpty())
        m_file->setText(QDir(w->defaultFolder()).filePath(m_name->text() + u".mcpbridge.json"_s));
}

void FinishPage::browse()
{
    const QString file = QFileDialog::getSaveFileName(this, tr("Save the bridge"), m_file->text(),
                                                      tr("Bridges (*.mcpbridge.json)"));
    if (!file.isEmpty())
        m_file->setText(file);
}

bool FinishPage::isComplete() const
{
    return m_name->hasAcceptableInput() && !m_file->text().trimmed().isEmpty();
}

bool FinishPage::validatePage()
{
    ImportWizard *w = importWizard();
    bridge::BridgeDocument document = w->draftDocument();
    document.server.name = m_name->text().trimmed();
    document.server.title = m_title->text().trimmed();
    const QString path = m_file->text().trimmed();

    QStringList errors;
    for (const bridge::Problem &p : bridge::validateDocument(document, QFileInfo(path).fileName()))
        if (p.severity == bridge::Problem::Severity::Error)
            errors.append(u"• "_s + p.toString());
    if (!errors.isEmpty()) {
        m_problems->setText(tr("The bridge was not saved because of these problems:") + u'\n'
                            + errors.join(u'\n'));
        m_problems->setVisible(true);
        return false;
    }
    if (const Result<void> saved = bridge::saveDocument(document, path); !saved) {
        m_problems->setText(tr("The bridge could not be saved: %1").arg(saved.error().toString()));
        m_problems->setVisible(true);
        return false;
    }
    w->setSaved(document, path);
    return true;
}

} // namespace mcpbridge::ui
