#include "screenshots.h"

#include "core/demo/demoapi.h"
#include "core/jsonrpc/message.h"
#include "core/mcp/mcpserver.h"
#include "core/secrets/memorysecretstore.h"
#include "ui/bridgerunner.h"
#include "ui/dialogs/credentialsdialog.h"
#include "ui/dialogs/exportdialog.h"
#include "ui/editors/tooleditor.h"
#include "ui/mainwindow.h"
#include "ui/traffic/trafficlogmodel.h"
#include "ui/traffic/trafficview.h"
#include "ui/tryit/schemaform.h"
#include "ui/tryit/tryitpanel.h"
#include "ui/welcomepage.h"
#include "ui/wizard/importwizard.h"

#include <QApplication>
#include <QPalette>
#include <QDeadlineTimer>
#include <QDir>
#include <QLineEdit>
#include <QPushButton>
#include <QSpinBox>
#include <QTabWidget>
#include <QTextStream>
#include <QThread>
#include <QTimer>

#include <functional>

using namespace Qt::StringLiterals;
using namespace mcpbridge;

namespace {

QTextStream &err()
{
    static QTextStream stream(stderr);
    return stream;
}

// Lets the event loop run until `done` holds or `ms` pass.
bool waitUntil(const std::function<bool()> &done, int ms = 10000)
{
    const QDeadlineTimer deadline(ms);
    while (!done()) {
        if (deadline.hasExpired())
            return false;
        QApplication::processEvents(QEventLoop::AllEvents, 50);
        QThread::msleep(10);
    }
    return true;
}

void settle()
{
    waitUntil([] { return false; }, 400); // layouts, repaints, timers
}

bool save(QWidget *widget, const QString &folder, const QString &name)
{
    settle();
    const QString path = folder + u'/' + name + u".png"_s;
    if (!widget->grab().save(path)) {
        err() << "mcpbridge-studio: could not write " << path << '\n';
        return false;
    }
    err() << "wrote " << path << '\n';
    err().flush();
    return true;
}

// A client session on the studio's server, making the calls a model would.
void makeTraffic(mcp::McpServer *server)
{
    mcp::Session *session = server->createSession(u"in-process"_s);
    const QJsonObject init{
        {u"protocolVersion"_s, u"2025-06-18"_s},
        {u"capabilities"_s, QJsonObject{}},
        {u"clientInfo"_s, QJsonObject{{u"name"_s, u"claude-ai"_s}, {u"version"_s, u"0.1.0"_s}}}};
    qint64 id = 0;
    server->receive(session, jsonrpc::Message::request(jsonrpc::Id{++id}, u"initialize"_s, init));
    server->receive(session, jsonrpc::Message::notification(u"notifications/initialized"_s));
    server->receive(session, jsonrpc::Message::request(jsonrpc::Id{++id}, u"tools/list"_s));
    const auto call = [&](const QString &tool, const QJsonObject &arguments) {
        server->receive(
            session, jsonrpc::Message::request(jsonrpc::Id{++id}, u"tools/call"_s,
                                               {{u"name"_s, tool}, {u"arguments"_s, arguments}}));
    };
    call(u"search_recipes"_s, {{u"query"_s, u"soup"_s}});
    call(u"list_pantry"_s, {});
    call(u"get_recipe"_s, {{u"id"_s, u"no-such-recipe"_s}});
    call(u"search_recipes"_s, {{u"query"_s, u"pasta"_s}, {u"limit"_s, 3}});
}

// A dark palette like the ones desktop themes set, to check the studio follows it.
QPalette darkPalette()
{
    QPalette p;
    const QColor window(0x2b, 0x2b, 0x2b), base(0x1e, 0x1e, 0x1e), text(0xe6, 0xe6, 0xe6);
    p.setColor(QPalette::Window, window);
    p.setColor(QPalette::WindowText, text);
    p.setColor(QPalette::Base, base);
    p.setColor(QPalette::AlternateBase, window);
    p.setColor(QPalette::ToolTipBase, base);
    p.setColor(QPalette::ToolTipText, text);
    p.setColor(QPalette::Text, text);
    p.setColor(QPalette::Button, window);
    p.setColor(QPalette::ButtonText, text);
    p.setColor(QPalette::Highlight, QColor(0x3d, 0x7a, 0xd6));
    p.setColor(QPalette::HighlightedText, Qt::white);
    p.setColor(QPalette::PlaceholderText, QColor(0x9a, 0x9a, 0x9a));
    p.setColor(QPalette::Link, QColor(0x7a, 0xb4, 0xff));
    p.setColor(QPalette::Disabled, QPalette::Text, QColor(0x80, 0x80, 0x80));
    p.setColor(QPalette::Disabled, QPalette::ButtonText, QColor(0x80, 0x80, 0x80));
    p.setColor(QPalette::Disabled, QPalette::WindowText, QColor(0x80, 0x80, 0x80));
    return p;
}

} // namespace

int takeScreenshots(const QString &folder)
{
    QDir().mkpath(folder);
    secrets::MemorySecretStore secrets;
    ui::MainWindow window(nullptr, &secrets);
    window.setAsk([](const QString &, const QString &text, QMessageBox::StandardButtons) {
        err() << "question: " << text << '\n';
        return QMessageBox::Cancel;
    });
    window.portSpin()->setValue(0);
    window.resize(1400, 900);
    window.show();
    bool ok = true;

    window.welcomePage()->setFirstRun(true);
    ok &= save(&window, folder, u"01-welcome"_s);

    if (!window.openDemo()) {
        err() << "mcpbridge-studio: the demo bridge did not open\n";
        return 1;
    }
    makeTraffic(window.runner()->server());
    waitUntil([&] { return window.trafficView()->model()->eventCount() >= 14; });
    window.selectItem(ui::BridgeItemModel::Kind::Tool, 0);
    ok &= save(&window, folder, u"02-main-window-with-traffic"_s);

    window.toolTabs()->setCurrentIndex(0);
    ok &= save(window.toolTabs(), folder, u"03-tool-editor"_s);

    window.toolTabs()->setCurrentWidget(window.tryItPanel());
    tryit::TryItPanel *panel = window.tryItPanel();
    if (auto *query = qobject_cast<QLineEdit *>(panel->form()->editor(u"query"_s)))
        query->setText(u"soup"_s);
    waitUntil([&] { return panel->callButton()->isEnabled(); });
    panel->callTool();
    waitUntil([&] { return !panel->isBusy(); });
    ok &= save(&window, folder, u"04-try-it"_s);

    {
        ui::ImportWizard wizard(&window);
        wizard.resize(1000, 700);
        wizard.show();
        wizard.next();
        if (auto *location = wizard.currentPage()->findChild<QLineEdit *>(u"location"_s))
            location->setText(u"http://127.0.0.1:%1/openapi.json"_s.arg(window.demoApi()->port()));
        wizard.next();
        if (waitUntil([&] { return wizard.currentId() == ui::ImportWizard::PickerPageId; }))
            ok &= save(&wizard, folder, u"05-wizard-picker"_s);
        else
            ok = false, err() << "the wizard did not reach the endpoint picker\n";
    }
    {
        ui::CredentialsDialog dialog(window.document(), &secrets, &window);
        dialog.setKind(ui::CredentialsDialog::Kind::Bearer);
        dialog.show();
        ok &= save(&dialog, folder, u"06-credentials"_s);
    }
    {
        ui::ExportDialog dialog(window.documentPath(), window.document(), &window);
        dialog.resize(900, 650);
        dialog.show();
        ok &= save(&dialog, folder, u"07-export"_s);
    }
    window.selectItem(ui::BridgeItemModel::Kind::Template, 0);
    ok &= save(&window, folder, u"09-resource-template-editor"_s);
    window.selectItem(ui::BridgeItemModel::Kind::Prompt, 0);
    ok &= save(&window, folder, u"10-prompt-editor"_s);
    window.selectItem(ui::BridgeItemModel::Kind::Tool, 0);

    // The same window in a dark system palette: everything must stay readable.
    QApplication::setStyle(u"Fusion"_s);
    QApplication::setPalette(darkPalette());
    window.toolTabs()->setCurrentIndex(0);
    ok &= save(&window, folder, u"08-main-window-dark"_s);

    window.stopServing();
    return ok ? 0 : 1;
}
