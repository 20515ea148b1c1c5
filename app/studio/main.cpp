// mcpbridge-studio: the desktop app. Parses the command line and opens the main window.

#include "ui/mainwindow.h"

#include <QApplication>
#include <QCommandLineParser>

using namespace Qt::StringLiterals;

int main(int argc, char *argv[])
{
    QApplication app(argc, argv);
    QApplication::setApplicationName(u"mcpbridge-studio"_s);
    QApplication::setApplicationDisplayName(u"McpBridge Studio"_s);
    QApplication::setOrganizationName(u"McpBridge"_s);
    QApplication::setApplicationVersion(QStringLiteral(MCPBRIDGE_VERSION));

    QCommandLineParser parser;
    parser.setApplicationDescription(u"Build, test and export MCP bridges to REST APIs."_s);
    parser.addHelpOption();
    parser.addVersionOption();
    parser.addOption({u"base-url"_s,
                      u"Call the API at this URL instead of the document's base URL."_s, u"url"_s});
    parser.addPositionalArgument(u"bridge"_s, u"A bridge document to open (*.mcpbridge.json)."_s);
    parser.process(app);

    mcpbridge::ui::MainWindow window;
    if (!parser.positionalArguments().isEmpty())
        window.openDocument(parser.positionalArguments().constFirst());
    window.show();
    return app.exec();
}
