#include "ui/welcomepage.h"

#include <QDir>
#include <QFileInfo>
#include <QLabel>
#include <QListView>
#include <QPushButton>
#include <QStringListModel>
#include <QVBoxLayout>

using namespace Qt::StringLiterals;

namespace mcpbridge::ui {

WelcomePage::WelcomePage(QWidget *parent)
    : QWidget(parent)
{
    auto *title = new QLabel(tr("Welcome to McpBridge Studio"));
    QFont big = title->font();
    big.setPointSizeF(big.pointSizeF() * 1.6);
    big.setBold(true);
    title->setFont(big);

    m_intro = new QLabel(
        tr("Turn a REST API into tools Claude and other AI assistants can use — no code. Pick "
           "the endpoints, describe them in your words, and watch every call the model makes."));
    m_intro->setWordWrap(true);

    const auto makeButton = [this](const QString &text, const QString &tip) {
        auto *button = new QPushButton(text, this);
        button->setToolTip(tip);
        button->setMinimumHeight(button->sizeHint().height() * 3 / 2);
        return button;
    };
    m_demo = makeButton(tr("&Try the demo bridge"),
                        tr("Opens a ready-made bridge to a small built-in recipes API and starts "
                           "it, so you can try tools and see live traffic right away"));
    m_new = makeButton(tr("&New bridge…"),
                       tr("Create a bridge from an OpenAPI/Swagger file or URL, or from the "
                          "address of an API"));
    m_open
        = makeButton(tr("&Open bridge…"), tr("Open a bridge you saved before (*.mcpbridge.json)"));
    connect(m_demo, &QPushButton::clicked, this, &WelcomePage::demoRequested);
    connect(m_new, &QPushButton::clicked, this, &WelcomePage::newRequested);
    connect(m_open, &QPushButton::clicked, this, &WelcomePage::openRequested);

    m_recentLabel = new QLabel(tr("&Recent bridges"));
    m_recentModel = new QStringListModel(this);
    m_recent = new QListView;
    m_recent->setModel(m_recentModel);
    m_recent->setEditTriggers(QAbstractItemView::NoEditTriggers);
    m_recent->setToolTip(tr("Double-click or press Enter to open"));
    m_recent->setAccessibleName(tr("Recent bridges"));
    m_recentLabel->setBuddy(m_recent);
    connect(m_recent, &QListView::activated, this, [this](const QModelIndex &index) {
        if (index.row() < m_recentPaths.size())
            emit recentChosen(m_recentPaths.at(index.row()));
    });

    auto *column = new QVBoxLayout;
    column->addStretch(1);
    column->addWidget(title);
    column->addWidget(m_intro);
    column->addSpacing(12);
    column->addWidget(m_demo);
    column->addWidget(m_new);
    column->addWidget(m_open);
    column->addSpacing(12);
    column->addWidget(m_recentLabel);
    column->addWidget(m_recent, 2);
    column->addStretch(1);

    auto *outer = new QHBoxLayout(this);
    outer->addStretch(1);
    outer->addLayout(column, 3);
    outer->addStretch(1);
    setRecentFiles({});
}

void WelcomePage::setRecentFiles(const QStringList &paths)
{
    m_recentPaths = paths;
    QStringList lines;
    for (const QString &path : paths)
        lines << u"%1 — %2"_s.arg(QFileInfo(path).fileName(),
                                  QDir::toNativeSeparators(QFileInfo(path).absolutePath()));
    m_recentModel->setStringList(lines);
    m_recentLabel->setVisible(!paths.isEmpty());
    m_recent->setVisible(!paths.isEmpty());
}

void WelcomePage::setFirstRun(bool firstRun)
{
    if (firstRun) {
        m_intro->setText(m_intro->text() + u"\n\n"_s
                         + tr("New here? Start with the demo bridge: it runs against a small "
                              "recipes API built into the studio, so nothing can break."));
        m_demo->setDefault(true);
        m_demo->setFocus();
    }
}

} // namespace mcpbridge::ui
