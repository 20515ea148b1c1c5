#include "core/openapi/openapiimporter.h"

#include "core/openapi/specloader.h"

#include <QFileInfo>
#include <QLoggingCategory>
#include <QNetworkAccessManager>
#include <QNetworkReply>
#include <QNetworkRequest>
#include <QThread>
#include <QTimer>

#include <memory>

using namespace Qt::StringLiterals;

Q_LOGGING_CATEGORY(lcImport, "mcpbridge.import")

namespace mcpbridge::openapi {

OpenApiLoader::OpenApiLoader(QObject *parent)
    : QObject(parent)
{}

OpenApiLoader::~OpenApiLoader()
{
    if (m_reply)
        m_reply->abort();
}

void OpenApiLoader::setNetworkAccessManager(QNetworkAccessManager *manager)
{
    m_network = manager;
}

void OpenApiLoader::setTimeout(int ms)
{
    m_timeoutMs = ms;
}

bool OpenApiLoader::isRunning() const
{
    return m_running;
}

const std::optional<Result<ImportReport>> &OpenApiLoader::result() const
{
    return m_result;
}

void OpenApiLoader::abort()
{
    if (!m_running)
        return;
    ++m_generation; // a running import finishes unseen
    if (m_reply) {
        m_reply->disconnect(this);
        m_reply->abort();
        m_reply->deleteLater();
    }
    m_running = false;
}

void OpenApiLoader::finish(Result<ImportReport> result)
{
    m_running = false;
    m_result = std::move(result);
    Q_EMIT finished();
}

void OpenApiLoader::start(const QString &location, const ImportOptions &options)
{
    if (m_running)
        return;
    m_running = true;
    m_result.reset();
    const quint64 generation = ++m_generation;

    const QUrl url(location);
    const bool web = url.scheme() == u"http" || url.scheme() == u"https";
    if (!web) {
        const QString path = url.isLocalFile() ? url.toLocalFile() : location;
        // Queued so finished() never fires before start() returns.
        QTimer::singleShot(0, this, [this, path, options, generation] {
            if (generation != m_generation)
                return;
            ImportOptions o = options;
            if (o.sourceUrl.isEmpty())
                o.sourceUrl = QUrl::fromLocalFile(QFileInfo(path).absoluteFilePath());
            Q_EMIT progress(u"Reading %1"_s.arg(path), 0, -1);
            QFile file(path);
            if (!QFileInfo(path).isFile()) {
                finish(fail(u"The file does not exist."_s, path));
                return;
            }
            if (QFileInfo(path).size() > MaxSpecBytes || !file.open(QIODevice::ReadOnly)) {
                finish(fail(QFileInfo(path).size() > MaxSpecBytes
                                ? u"The file is too large."_s
                                : u"The file could not be read: %1."_s.arg(file.errorString()),
                            path));
                return;
            }
            importBytes(file.readAll(), o);
        });
        return;
    }

    if (!m_network)
        m_network = new QNetworkAccessManager(this);
    QNetworkRequest request(url);
    request.setAttribute(QNetworkRequest::RedirectPolicyAttribute,
                         QNetworkRequest::NoLessSafeRedirectPolicy);
    request.setTransferTimeout(m_timeoutMs);
    request.setRawHeader("Accept", "application/json, application/yaml, text/yaml, */*");
    QNetworkReply *reply = m_network->get(request);
    m_reply = reply;
    qCInfo(lcImport) << "Downloading" << url.toString(QUrl::RemoveUserInfo);
    connect(reply, &QNetworkReply::downloadProgress, this,
            [this, reply, url](qint64 received, qint64 total) {
                if (received > MaxSpecBytes) {
                    reply->disconnect(this);
                    reply->abort();
                    reply->deleteLater();
                    finish(
                        fail(u"The spec is larger than %1 MB."_s.arg(MaxSpecBytes / (1024 * 1024)),
                             url.toString(QUrl::RemoveUserInfo)));
                    return;
                }
                Q_EMIT progress(u"Downloading %1"_s.arg(url.toString(QUrl::RemoveUserInfo)),
                                received, total);
            });
    connect(reply, &QNetworkReply::finished, this, [this, reply, url, options] {
        reply->deleteLater();
        const QString shown = url.toString(QUrl::RemoveUserInfo);
        if (reply->error() != QNetworkReply::NoError) {
            const int status = reply->attribute(QNetworkRequest::HttpStatusCodeAttribute).toInt();
            finish(
                fail(status ? u"The server answered %1 %2."_s.arg(status).arg(
                         reply->attribute(QNetworkRequest::HttpReasonPhraseAttribute).toString())
                            : u"The spec could not be downloaded: %1."_s.arg(reply->errorString()),
                     shown));
            return;
        }
        ImportOptions o = options;
        if (o.sourceUrl.isEmpty())
            o.sourceUrl = reply->url(); // after redirects: relative server URLs resolve here
        importBytes(reply->readAll(), o);
    });
}

void OpenApiLoader::importBytes(const QByteArray &bytes, const ImportOptions &options)
{
    Q_EMIT progress(u"Importing"_s, 0, -1);
    const quint64 generation = m_generation;
    // A big spec takes a noticeable moment; keep the caller's event loop free meanwhile.
    auto outcome = std::make_shared<std::optional<Result<ImportReport>>>();
    QThread *thread
        = QThread::create([bytes, options, outcome] { *outcome = importSpec(bytes, options); });
    connect(thread, &QThread::finished, thread, &QObject::deleteLater);
    connect(thread, &QThread::finished, this, [this, outcome, generation] {
        if (generation != m_generation || !outcome->has_value())
            return;
        finish(std::move(**outcome));
    });
    thread->start();
}

} // namespace mcpbridge::openapi
