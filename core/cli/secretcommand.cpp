// `mcpbridge secret set|delete|status BRIDGE [NAME]`: manages the API secrets of a bridge in the
// OS keychain. The value is read from stdin (when it is not a terminal) or a prompt that does not
// echo; it is never printed, logged or written to a file. No plaintext fallback: without a
// keychain the command says so and points at the environment variable instead.

#include "core/cli/commands.h"

#include "core/bridge/documentio.h"
#include "core/secrets/envsecretstore.h"
#include "core/secrets/keychainsecretstore.h"

#include <QCommandLineParser>
#include <QEventLoop>
#include <QFile>
#include <QFileInfo>
#include <QLoggingCategory>
#include <QRegularExpression>
#include <QTextStream>

#include <optional>

#include <termios.h>
#include <unistd.h>

using namespace Qt::StringLiterals;

namespace mcpbridge::cli {

namespace {

bool isName(const QString &text)
{
    static const QRegularExpression re(u"^[A-Za-z0-9_.-]{1,128}$"_s);
    return re.match(text).hasMatch();
}

// The bridge's name, from a document path or given as is; the document's secret names too.
struct BridgeRef
{
    QString name;
    std::optional<QStringList> secretNames; // set when a document was read
};

std::optional<BridgeRef> resolveBridge(const QString &text, QTextStream &err)
{
    const QFileInfo info(text);
    const bool looksLikePath = text.contains(u'/') || text.endsWith(u".json"_s);
    if (info.isFile()) {
        const bridge::LoadReport report = bridge::loadDocument(text);
        if (!report.document) {
            for (const bridge::Problem &p : report.problems)
                err << p.toString() << '\n';
            err << "mcpbridge secret: " << text << " could not be read as a bridge document.\n";
            return std::nullopt;
        }
        if (report.document->server.name.isEmpty()) {
            err << "mcpbridge secret: " << text
                << " has no server.name; the keychain entries of a bridge are stored under it.\n";
            return std::nullopt;
        }
        return BridgeRef{report.document->server.name, report.document->secretNames()};
    }
    if (looksLikePath || !isName(text)) {
        err << "mcpbridge secret: \"" << text
            << "\" is neither a bridge document (no such file) nor a bridge name (letters, "
               "digits, \"_\", \".\" and \"-\").\n";
        return std::nullopt;
    }
    return BridgeRef{text, std::nullopt};
}

// Reads the value: all of stdin when it is a pipe or file (one trailing line break dropped),
// else one line typed at a prompt on the terminal, without echo.
std::optional<QString> readValue(const QString &bridgeName, const QString &name, QTextStream &err)
{
    if (!isatty(STDIN_FILENO)) {
        QFile in;
        if (!in.open(stdin, QIODevice::ReadOnly)) {
            err << "mcpbridge secret: cannot read the value from standard input.\n";
            return std::nullopt;
        }
        QByteArray bytes = in.readAll();
        if (bytes.endsWith('\n'))
            bytes.chop(1);
        if (bytes.endsWith('\r'))
            bytes.chop(1);
        return QString::fromUtf8(bytes);
    }
    err << "Value of the secret \"" << name << "\" for the bridge \"" << bridgeName
        << "\" (not shown): ";
    err.flush();
    termios saved{};
    const bool haveTerminal = tcgetattr(STDIN_FILENO, &saved) == 0;
    if (haveTerminal) {
        termios quiet = saved;
        quiet.c_lflag &= ~tcflag_t(ECHO);
        quiet.c_lflag |= ECHONL;
        tcsetattr(STDIN_FILENO, TCSAFLUSH, &quiet);
    }
    QByteArray line;
    char c = 0;
    while (::read(STDIN_FILENO, &c, 1) == 1 && c != '\n')
        line.append(c);
    if (haveTerminal)
        tcsetattr(STDIN_FILENO, TCSAFLUSH, &saved);
    if (line.endsWith('\r'))
        line.chop(1);
    const QString value = QString::fromUtf8(line);
    line.fill('\0');
    return value;
}

QString keychainAdvice(const QString &name)
{
    return u"no secret service is running; on a headless server use the environment variable "
           "%1 instead"_s.arg(secrets::EnvSecretStore::variableName(name));
}

// Keychain jobs are asynchronous; a command-line tool simply waits for the one it started.
template<typename Start>
void waitFor(Start start)
{
    QEventLoop loop;
    bool finished = false;
    start([&](int) {
        finished = true;
        loop.quit();
    });
    if (!finished)
        loop.exec();
}

} // namespace

int runSecret(const QStringList &args)
{
    QTextStream out(stdout);
    QTextStream err(stderr);
    // This command reports keychain failures itself, in words; the store's log line would only
    // repeat them as noise.
    QLoggingCategory::setFilterRules(
        u"mcpbridge.secrets.debug=false\nmcpbridge.secrets.warning=false"_s);
    QCommandLineParser parser;
    parser.setApplicationDescription(
        u"Stores, removes or checks a secret (API token, password, client secret) of a bridge in "
        "the OS keychain. The value is read from standard input, or asked for without echo; it "
        "is never shown. On a server without a keychain, set the environment variable "
        "MCPBRIDGE_SECRET_<NAME> where the bridge runs instead."_s);
    parser.addHelpOption();
    parser.addPositionalArgument(u"action"_s, u"set, delete or status"_s);
    parser.addPositionalArgument(u"bridge"_s,
                                 u"The bridge document (*.mcpbridge.json) or the bridge's name."_s);
    parser.addPositionalArgument(u"name"_s,
                                 u"The secret's name, as the document writes it (e.g. api_token). "
                                 "status without a name lists every secret the document uses."_s,
                                 u"[name]"_s);
    if (!parser.parse(args.mid(1))) {
        err << "mcpbridge secret: " << parser.errorText() << "\n";
        return ExitProblems;
    }
    if (parser.isSet(u"help"_s)) {
        out << parser.helpText();
        return ExitOk;
    }
    // args[0] is the program and args[1] "secret": parse(args.mid(1)) leaves "secret" first.
    QStringList rest = parser.positionalArguments();
    if (!rest.isEmpty() && rest.first() == u"secret")
        rest.removeFirst();
    if (rest.size() < 2 || rest.size() > 3) {
        err << "Usage: mcpbridge secret set|delete|status BRIDGE NAME\n"
               "  BRIDGE is a bridge document (*.mcpbridge.json) or a bridge name.\n";
        return ExitProblems;
    }
    const QString action = rest.at(0);
    if (action != u"set" && action != u"delete" && action != u"status") {
        err << "mcpbridge secret: unknown action \"" << action
            << "\"; use set, delete or status.\n";
        return ExitProblems;
    }
    const auto bridgeRef = resolveBridge(rest.at(1), err);
    if (!bridgeRef)
        return ExitProblems;
    QStringList names;
    if (rest.size() == 3) {
        names = {rest.at(2)};
    } else if (action == u"status" && bridgeRef->secretNames) {
        names = *bridgeRef->secretNames;
        if (names.isEmpty()) {
            out << "The bridge \"" << bridgeRef->name << "\" uses no secrets.\n";
            return ExitOk;
        }
    } else {
        err << "mcpbridge secret: name the secret, e.g. mcpbridge secret " << action << ' '
            << rest.at(1) << " api_token\n";
        return ExitProblems;
    }
    for (const QString &name : std::as_const(names)) {
        if (!isName(name)) {
            err << "mcpbridge secret: \"" << name
                << "\" is not a secret name; use letters, digits, \"_\", \".\" and \"-\".\n";
            return ExitProblems;
        }
    }
    if (bridgeRef->secretNames && rest.size() == 3
        && !bridgeRef->secretNames->contains(names.first())) {
        err << "Note: the document does not use a secret named \"" << names.first() << "\""
            << (bridgeRef->secretNames->isEmpty()
                    ? u"; it uses none."_s
                    : u"; it uses: %1."_s.arg(bridgeRef->secretNames->join(u", "_s)))
            << '\n';
    }

    secrets::KeychainSecretStore keychain;
    keychain.setTimeoutMs(20000);
    const QString bridgeName = bridgeRef->name;

    if (action == u"set") {
        const QString name = names.first();
        const auto value = readValue(bridgeName, name, err);
        if (!value)
            return ExitFailure;
        if (value->isEmpty()) {
            err << "mcpbridge secret: the value is empty; nothing was stored.\n";
            return ExitProblems;
        }
        Result<void> result;
        waitFor([&](std::function<void(int)> finish) {
            keychain.write(bridgeName, name, *value, [&, finish](Result<void> r) {
                result = r;
                finish(0);
            });
        });
        if (!result) {
            const bool unavailable = result.error().code == secrets::StoreUnavailable;
            err << "mcpbridge secret: could not store \"" << name << "\" in the keychain: "
                << (unavailable ? keychainAdvice(name) : result.error().message) << ".\n";
            if (unavailable)
                err << "  (" << result.error().message << ")\n";
            return ExitFailure;
        }
        out << "Stored the secret \"" << name << "\" of the bridge \"" << bridgeName << "\" in "
            << keychain.describe() << ".\n";
        return ExitOk;
    }

    if (action == u"delete") {
        const QString name = names.first();
        Result<void> result;
        waitFor([&](std::function<void(int)> finish) {
            keychain.remove(bridgeName, name, [&, finish](Result<void> r) {
                result = r;
                finish(0);
            });
        });
        if (!result) {
            const int code = result.error().code;
            if (code == secrets::SecretNotFound) {
                out << "The secret \"" << name << "\" of the bridge \"" << bridgeName
                    << "\" was not in the keychain; nothing to delete.\n";
                return ExitOk;
            }
            err << "mcpbridge secret: could not delete \"" << name << "\" from the keychain: "
                << (code == secrets::StoreUnavailable ? keychainAdvice(name)
                                                      : result.error().message)
                << ".\n";
            return ExitFailure;
        }
        out << "Deleted the secret \"" << name << "\" of the bridge \"" << bridgeName << "\" from "
            << keychain.describe() << ".\n";
        return ExitOk;
    }

    // status: where each secret would be found when the bridge runs (environment first).
    bool allFound = true;
    for (const QString &name : std::as_const(names)) {
        const QString variable = secrets::EnvSecretStore::variableName(name);
        if (!qEnvironmentVariable(variable.toLatin1().constData()).isEmpty()) {
            out << name << ": set by the environment variable " << variable << ".\n";
            continue;
        }
        Result<QString> result;
        waitFor([&](std::function<void(int)> finish) {
            keychain.read(bridgeName, name, [&, finish](Result<QString> r) {
                result = r;
                finish(0);
            });
        });
        if (result) {
            out << name << ": stored in " << keychain.describe() << ".\n";
        } else if (result.error().code == secrets::SecretNotFound) {
            allFound = false;
            out << name << ": not set. Store it with: mcpbridge secret set " << rest.at(1) << ' '
                << name << "\n";
        } else {
            allFound = false;
            out << name << ": unknown, the keychain cannot be used: "
                << (result.error().code == secrets::StoreUnavailable ? keychainAdvice(name)
                                                                     : result.error().message)
                << ".\n";
        }
    }
    return allFound ? ExitOk : ExitFailure;
}

} // namespace mcpbridge::cli
