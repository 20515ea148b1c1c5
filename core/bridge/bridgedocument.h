#pragma once

// The bridge document (*.mcpbridge.json, "format": 1) in memory: the single source of truth for
// what a bridge serves and which API it calls. Edited by the studio, served by McpServer,
// produced by the OpenAPI importer. It never holds a secret value, only secret names.

#include <QJsonObject>
#include <QList>
#include <QMap>
#include <QString>
#include <QStringList>

#include <optional>

namespace mcpbridge::bridge {

inline constexpr int CurrentFormat = 1;

struct ServerInfo
{
    QString name;  // machine name, e.g. "pantry"; also the keychain namespace
    QString title; // shown to people, e.g. "Pantry & Recipes"
    QString version = QStringLiteral("1.0.0");
    QString instructions; // sent in the initialize result

    bool operator==(const ServerInfo &) const = default;
};

// How the bridge authenticates to the upstream API. Secret fields name a secret (looked up in
// the SecretStore under the bridge's name), never hold its value.
struct AuthConfig
{
    QString kind
        = QStringLiteral("none"); // none | bearer | apiKey | basic | oauth2ClientCredentials
    QString secret;               // bearer token / API key / basic password / client secret
    QString in;                   // apiKey: header | query | cookie
    QString name;                 // apiKey: header, query or cookie name
    QString username;             // basic
    QString tokenUrl;             // oauth2ClientCredentials
    QString clientId;             // oauth2ClientCredentials
    QStringList scopes;           // oauth2ClientCredentials

    bool operator==(const AuthConfig &) const = default;
};

// TLS settings for an https upstream. Paths name PEM files; write them absolute (a relative path
// is taken from the bridge's working directory, which a client that starts it may choose).
// Verification is on unless insecureSkipVerify says otherwise, explicitly.
struct TlsConfig
{
    QString caBundle;                // extra certificate authorities trusted for this API
    QString clientCertificate;       // client certificate for mutual TLS
    QString clientKey;               // its private key
    QString clientKeySecret;         // name of the secret holding the key's passphrase (optional)
    bool insecureSkipVerify = false; // never verify the server: every call logs a warning

    bool isEmpty() const { return *this == TlsConfig{}; }
    bool operator==(const TlsConfig &) const = default;
};

// Retries of idempotent calls (GET, HEAD, PUT, DELETE; POST only with idempotencyKey) after a
// connection error, 429, 502, 503 or 504: exponential backoff with full jitter.
struct RetryConfig
{
    int maxAttempts = 3; // 1: never retry
    int baseDelayMs = 250;
    int maxDelayMs = 10000; // also the longest Retry-After the bridge waits for by itself

    bool operator==(const RetryConfig &) const = default;
};

// A token bucket per upstream; calls over the rate wait their turn, they do not fail.
struct RateLimit
{
    double requestsPerSecond = 0; // 0: no limit
    int burst = 1;

    bool operator==(const RateLimit &) const = default;
};

struct Upstream
{
    QString baseUrl;                // e.g. "https://api.example.com/v1"; every call stays under it
    QMap<QString, QString> headers; // sent with every call; values may say ${secret:NAME}
    int timeoutMs = 30000;
    AuthConfig auth;
    int connectTimeoutMs = 10000; // to open the connection (TCP + TLS), within timeoutMs
    TlsConfig tls;
    RetryConfig retry;
    int maxConcurrent = 0; // calls in flight at once; 0: no cap (others wait)
    RateLimit rateLimit;

    bool operator==(const Upstream &) const = default;
};

// One argument of a tool and where it goes in the HTTP request.
struct Parameter
{
    QString name;     // the argument name the model sees (a property of inputSchema)
    QString in;       // path | query | header | body
    QString wireName; // the name at the API when it differs from `name` (clash renames)
    bool required = false;
    QString description;
    QJsonObject schema; // JSON Schema of the value: type, enum, default, format, examples ...
    // in=body only: the value IS the whole request body (an array, a string, a free-form object)
    // instead of one property of a JSON object body. At most one per tool. (OpenAPI importer)
    bool wholeBody = false;

    QString apiName() const { return wireName.isEmpty() ? name : wireName; }
    bool operator==(const Parameter &) const = default;

    // Headers that decide where and how a request travels (Host, Content-Length,
    // Transfer-Encoding, Connection ...): the bridge sets them, an argument never may.
    static bool isReservedHeader(QStringView name);
};

struct Annotations
{
    QString title;
    std::optional<bool> readOnlyHint;
    std::optional<bool> destructiveHint;
    std::optional<bool> idempotentHint;
    std::optional<bool> openWorldHint;

    bool isEmpty() const;
    bool operator==(const Annotations &) const = default;
};

// How an upstream response becomes MCP content.
struct ResponseOptions
{
    qint64 maxBytes = 100 * 1024;        // larger bodies are cut, with a note to the model
    QString as = QStringLiteral("auto"); // auto | text | resource (embed the body as a resource)
    QString resourceUri;                 // with as=resource: the uri of the embedded resource
                                         // (default: the request URL)
    QStringList fields;                  // JSON pointers to keep from a JSON body (empty: all)
    int maxItems = -1;                   // cap on array length in a JSON body (-1: none)

    bool operator==(const ResponseOptions &) const = default;
};

struct Tool
{
    QString name; // [A-Za-z0-9_.-]{1,64}, unique in the document
    QString title;
    QString description;                    // what the model reads to decide when to call it
    QString method = QStringLiteral("GET"); // GET | POST | PUT | PATCH | DELETE | HEAD
    QString path;                           // template under the base URL, e.g. "/recipes/{id}"
    QList<Parameter> parameters;
    QJsonObject inputSchema;  // optional explicit schema, kept verbatim ($schema, $defs ...);
                              // empty: built from `parameters`
    QJsonObject outputSchema; // optional; with it, results carry structuredContent
    Annotations annotations;
    ResponseOptions response;
    bool confirmDestructive = false; // ask the user (elicitation) before the call runs
    int timeoutMs = 0;               // overrides upstream.timeoutMs when > 0
    int connectTimeoutMs = 0;        // overrides upstream.connectTimeoutMs when > 0
    // POST/PATCH: send an Idempotency-Key header (the same on every retry of one call), which
    // also makes a POST safe to retry.
    bool idempotencyKey = false;
    // How in=body parameters are encoded: empty or "application/json" (a JSON object of them),
    // "application/x-www-form-urlencoded", "multipart/form-data" (text fields), or "text/plain"
    // (with one wholeBody string parameter). Set by the OpenAPI importer.
    QString bodyMediaType;

    // inputSchema if given, else an object schema built from the parameters.
    QJsonObject effectiveInputSchema() const;
    // The entry of tools/list for this tool.
    QJsonObject toMcp() const;
    const Parameter *findParameter(QStringView name) const;
    bool operator==(const Tool &) const = default;
};

// A fixed resource: reading `uri` performs GET `path` on the upstream.
struct Resource
{
    QString uri;
    QString name;
    QString title;
    QString description;
    QString mimeType;
    QString path;

    QJsonObject toMcp() const;
    bool operator==(const Resource &) const = default;
};

// A family of resources: reading a URI that matches `uriTemplate` (RFC 6570 level 1, e.g.
// "recipes://{id}") performs GET on `path` with the same variables filled in.
struct ResourceTemplate
{
    QString uriTemplate;
    QString name;
    QString title;
    QString description;
    QString mimeType;
    QString path;
    QMap<QString, QStringList> completions; // variable -> values offered by completion/complete

    QJsonObject toMcp() const;
    // The variables when `uri` matches the template, else nullopt.
    std::optional<QMap<QString, QString>> match(const QString &uri) const;
    bool operator==(const ResourceTemplate &) const = default;
};

struct PromptArgument
{
    QString name;
    QString title;
    QString description;
    bool required = false;
    QStringList values; // suggested values, offered by completion/complete

    bool operator==(const PromptArgument &) const = default;
};

// One message of a prompt. `text` and `uri` may contain {argument} placeholders.
struct PromptMessage
{
    QString role = QStringLiteral("user"); // user | assistant
    QString type = QStringLiteral("text"); // text | resource (embedded) | image
    QString text;                          // type text
    QString uri;                           // type resource/image: the resource to read

    bool operator==(const PromptMessage &) const = default;
};

struct Prompt
{
    QString name;
    QString title;
    QString description;
    QList<PromptArgument> arguments;
    QList<PromptMessage> messages;

    QJsonObject toMcp() const;
    // `text` (a message's text or uri) with every {argument} of this prompt replaced by its
    // value in `values`; an argument without a value becomes empty text. This is what
    // prompts/get sends; the studio's prompt editor renders its sample with it too.
    QString fill(const QString &text, const QJsonObject &values) const;
    bool operator==(const Prompt &) const = default;
};

struct BridgeDocument
{
    int format = CurrentFormat;
    ServerInfo server;
    Upstream upstream;
    QList<Tool> tools;
    QList<Resource> resources;
    QList<ResourceTemplate> resourceTemplates;
    QList<Prompt> prompts;

    const Tool *findTool(QStringView name) const;
    const Resource *findResource(QStringView uri) const;
    const Prompt *findPrompt(QStringView name) const;
    // The names of every secret the document refers to (auth and ${secret:NAME} headers).
    QStringList secretNames() const;
    bool operator==(const BridgeDocument &) const = default;
};

// The variable names of an RFC 6570 level-1 template ("/recipes/{id}" -> {"id"}), in order of
// first appearance. Used for paths and URI templates alike.
QStringList templateVariables(const QString &templateText);

} // namespace mcpbridge::bridge
