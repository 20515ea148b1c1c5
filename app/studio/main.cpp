// mcpbridge-studio: the desktop app. Parses the command line and opens the main window: on the
// given bridge, on the unsaved changes a crash left behind, or on the welcome page, which offers
// the demo bridge first to someone who has never used the studio.

#include "screenshots.h"
#include "ui/mainwindow.h"
#include "ui/welcomepage.h"

#include <QApplication>
#include <QCommandLineParser>
#include <QSettings>

using namespace Qt::StringLiterals;

int main(int argc, char *argv[])
{
    QApplication app(argc, argv);
    QApplication::setApplicationName(u"mcpbridge-studio"_s);
    QApplication::setApplicationDisplayName(u"McpBridge Studio"_s);
    QApplication::setOrganizationName(u"McpBridge"_s);
    QApplication::setApplicationVersion(QStringLiteral(MCPBRIDGE_VERSION));
    QApplication::setDesktopFileName(u"mcpbridge-studio"_s);

    QCommandLineParser parser;
    parser.setApplicationDescription(u"Build, test and export MCP bridges to REST APIs."_s);
    parser.addHelpOption();
    parser.addVersionOption();
    const QCommandLineOption baseUrl(
        u"base-url"_s, u"Call the API at this URL instead of the document's base URL."_s, u"url"_s);
    const QCommandLineOption serve(u"serve"_s, u"Start serving the bridge over HTTP right away."_s);
    const QCommandLineOption demo(u"demo"_s, u"Open the demo bridge against the built-in API."_s);
    const QCommandLineOption screenshots(
        u"screenshots"_s, u"Write a PNG of each main screen into FOLDER, then quit."_s,
        u"FOLDER"_s);
    parser.addOptions({baseUrl, serve, demo, screenshots});
    parser.addPositionalArgument(u"bridge"_s, u"A bridge document to open (*.mcpbridge.json)."_s);
    parser.process(app);

    if (parser.isSet(screenshots))
        return takeScreenshots(parser.value(screenshots));

    mcpbridge::ui::MainWindow window;
    window.setBaseUrlOverride(parser.value(baseUrl));
    window.show();

    QSettings settings;
    const bool firstRun = !settings.value(u"firstRunDone"_s).toBool();
    settings.setValue(u"firstRunDone"_s, true);

    if (parser.isSet(demo)) {
        window.openDemo();
    } else if (!parser.positionalArguments().isEmpty()) {
        if (window.openDocument(parser.positionalArguments().constFirst()) && parser.isSet(serve))
            window.startServing();
    } else {
        window.offerRecovery();
        window.welcomePage()->setFirstRun(firstRun && window.documentPath().isEmpty());
    }
    return app.exec();
}
