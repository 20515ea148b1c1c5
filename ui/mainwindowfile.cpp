// MainWindow: new, open, save, recent bridges, recovery copies and closing with unsaved changes.

#include "ui/bridgerunner.h"
#include "ui/documentsession.h"
#include "ui/mainwindow.h"
#include "ui/welcomepage.h"
#include "ui/wizard/importwizard.h"

#include <QAction>
#include <QDir>
#include <QFileInfo>
#include <QMenu>
#include <QStandardPaths>
#include <QStatusBar>

using namespace Qt::StringLiterals;

namespace mcpbridge::ui {

QString MainWindow::documentPath() const
{
    return m_session->path();
}

const bridge::BridgeDocument &MainWindow::document() const
{
    return m_session->document();
}

bool MainWindow::openDocument(const QString &givenPath)
{
    if (!maybeKeepChanges())
        return false;
    QString path = givenPath;
    if (path.isEmpty()) {
        const QString folder
            = m_session->isUntitled()
                  ? QStandardPaths::writableLocation(QStandardPaths::DocumentsLocation)
                  : QFileInfo(m_session->path()).absolutePath();
        path = chooseFile(FileRequest::OpenBridge, folder);
        if (path.isEmpty())
            return false;
    }
    const bridge::LoadReport report = m_session->open(path);
    if (!report.document) {
        QStringList details;
        for (const bridge::Problem &problem : report.problems)
            details << problem.toString();
        showProblems(tr("Cannot open bridge"),
                     tr("%1 has problems that need fixing first.").arg(QFileInfo(path).fileName()),
                     details);
        return false;
    }
    if (report.hasErrors()) {
        const auto errors = std::count_if(report.problems.cbegin(), report.problems.cend(),
                                          [](const bridge::Problem &p) {
                                              return p.severity == bridge::Problem::Severity::Error;
                                          });
        statusBar()->showMessage(tr("Opened %1. It has %2 problem(s) to fix, marked ⚠ in the "
                                    "outline.")
                                     .arg(QDir::toNativeSeparators(path))
                                     .arg(errors),
                                 20000);
        return true;
    }
    statusBar()->showMessage(tr("Opened %1").arg(QDir::toNativeSeparators(path)), 5000);
    return true;
}

bool MainWindow::save()
{
    if (m_session->isUntitled())
        return saveAs();
    if (const Result<void> saved = m_session->save(); !saved) {
        showProblems(tr("Cannot save bridge"), tr("The bridge was not saved."),
                     {saved.error().toString()});
        return false;
    }
    statusBar()->showMessage(tr("Saved %1").arg(QDir::toNativeSeparators(m_session->path())), 5000);
    return true;
}

bool MainWindow::saveAs(const QString &givenPath)
{
    QString path = givenPath;
    if (path.isEmpty()) {
        const QString name = m_session->document().server.name.isEmpty()
                                 ? u"bridge"_s
                                 : m_session->document().server.name;
        const QString suggestion
            = m_session->isUntitled()
                  ? QStandardPaths::writableLocation(QStandardPaths::DocumentsLocation) + u'/'
                        + name + u".mcpbridge.json"_s
                  : m_session->path();
        path = chooseFile(FileRequest::SaveBridge, suggestion);
        if (path.isEmpty())
            return false;
    }
    if (!path.endsWith(".json"_L1)) {
        path += u".mcpbridge.json"_s;
        // The file dialog only asked about the name as typed, not this one.
        if (QFileInfo::exists(path) && QFileInfo(path) != QFileInfo(m_session->path())
            && ask(tr("Replace file?"),
                   tr("%1 already exists. Replace it with this bridge?")
                       .arg(QDir::toNativeSeparators(path)),
                   QMessageBox::Yes | QMessageBox::Cancel)
                   != QMessageBox::Yes)
            return false;
    }
    if (const Result<void> saved = m_session->saveAs(path); !saved) {
        showProblems(tr("Cannot save bridge"),
                     tr("The bridge was not saved to %1.").arg(QDir::toNativeSeparators(path)),
                     {saved.error().toString()});
        return false;
    }
    statusBar()->showMessage(tr("Saved %1").arg(QDir::toNativeSeparators(m_session->path())), 5000);
    updateRecentMenu();
    return true;
}

bool MainWindow::maybeKeepChanges()
{
    if (!m_session->hasDocument() || !m_session->isModified())
        return true;
    const auto answer = ask(tr("Unsaved changes"),
                            tr("%1 has changes that are not saved yet. Save them before going on?")
                                .arg(m_session->displayName()),
                            QMessageBox::Save | QMessageBox::Discard | QMessageBox::Cancel);
    if (answer == QMessageBox::Save)
        return save();
    if (answer == QMessageBox::Discard) {
        // The recovery copy goes too: the user chose to drop these changes.
        m_session->close();
        return true;
    }
    return false;
}

void MainWindow::closeDocument()
{
    m_session->close();
}

void MainWindow::offerRecovery()
{
    for (const QString &file : DocumentSession::leftoverRecoveryFiles()) {
        const QString original = DocumentSession::originalPathOfRecovery(file);
        const QString name
            = original.isEmpty() ? tr("an untitled bridge") : QDir::toNativeSeparators(original);
        const auto answer = ask(tr("Recover unsaved changes?"),
                                tr("The studio did not close normally last time. It kept the "
                                   "unsaved changes to %1. Open them now?")
                                    .arg(name),
                                QMessageBox::Open | QMessageBox::Discard);
        if (answer != QMessageBox::Open) {
            DocumentSession::discardRecoveryFile(file);
            continue;
        }
        const bridge::LoadReport report = m_session->restoreRecovery(file);
        if (report.hasErrors()) {
            QStringList details;
            for (const bridge::Problem &problem : report.problems)
                details << problem.toString();
            showProblems(tr("Cannot recover"), tr("The recovery copy could not be read."), details);
            continue;
        }
        statusBar()->showMessage(
            tr("Recovered the unsaved changes to %1. Save to keep them.").arg(name), 15000);
        return; // one document at a time; the others stay for the next start
    }
}

void MainWindow::newBridge()
{
    if (!maybeKeepChanges())
        return;
    ImportWizard wizard(this);
    if (wizard.exec() != QDialog::Accepted || wizard.savedPath().isEmpty())
        return;
    openDocument(wizard.savedPath());
}

void MainWindow::updateRecentMenu()
{
    const QStringList files = DocumentSession::recentFiles();
    m_recentMenu->clear();
    for (const QString &file : files) {
        QAction *action = m_recentMenu->addAction(QFileInfo(file).fileName(), this,
                                                  [this, file] { openDocument(file); });
        action->setToolTip(QDir::toNativeSeparators(file));
        action->setStatusTip(QDir::toNativeSeparators(file));
    }
    if (!files.isEmpty()) {
        m_recentMenu->addSeparator();
        m_recentMenu->addAction(tr("Clear the List"), this, [this] {
            DocumentSession::clearRecentFiles();
            updateRecentMenu();
            m_welcome->setRecentFiles({});
        });
    }
    m_recentMenu->setEnabled(!files.isEmpty());
}

} // namespace mcpbridge::ui
