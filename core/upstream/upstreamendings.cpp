// How an upstream call ends: the result for the model (shaped content or an error with a hint),
// the traffic event, logs and progress. Part of UpstreamCall (upstreamcall.h).

#include "core/upstream/upstreamcall.h"

#include "core/upstream/errorhints.h"

#include <QLoggingCategory>

using namespace Qt::StringLiterals;

Q_DECLARE_LOGGING_CATEGORY(lcUpstream)

namespace mcpbridge::upstream {

// ---- endings --------------------------------------------------------------------------------

void UpstreamCall::finishWithResponse(const HttpResponse &response)
{
    if (m_finished)
        return;
    if (response.status >= 400 && retryAfterResponse(response))
        return;
    releaseSlot();
    m_finished = true;
    if (progressWanted(2))
        progress(2, u"The API answered %1"_s.arg(response.status));
    const qint64 ms = m_clock.elapsed();
    const qint64 size = response.totalBytes >= 0 ? response.totalBytes : response.body.size();
    const QString mime = response.mimeType();
    const bool isError = response.status >= 400;
    const QString statusText = response.reason.isEmpty()
                                   ? QString::number(response.status)
                                   : QString::number(response.status) + u' ' + response.reason;
    QString outcome = u"%1 after %2 ms, %3%4"_s.arg(statusText)
                          .arg(ms)
                          .arg(hints::formatSize(size), mime.isEmpty() ? QString() : u' ' + mime);
    if (!response.complete)
        outcome += u" (stopped reading after %1)"_s.arg(hints::formatSize(response.body.size()));
    log(isError ? u"warning"_s : u"info"_s, outcome);

    HttpResponse redacted = response;
    redacted.body = m_shared->redactor.redact(response.body);
    recordTraffic(response.status, response.reason, response.headers, redacted.body, size, isError,
                  QString::number(response.status));

    const QString method = QString::fromLatin1(m_spec.method);
    if (isError) {
        const QString hint = hints::forStatus(
            response.status, redact(ResponseShaper::apiMessage(redacted)), secretNameForHints(),
            listToolFor404(), response.retryAfterSeconds());
        const QString text
            = redact(ResponseShaper::httpErrorText(redacted, method, displayPath(), hint));
        log(u"debug"_s, u"Returned an error result: %1"_s.arg(hint));
        progress(3, u"Done (the API reported an error)"_s);
        if (m_kind == Kind::Tool) {
            deliverToolResult(ResponseShaper::errorResult(text));
        } else {
            deliverResource(fail(u"Reading %1 failed. %2"_s.arg(m_resourceUri, text), m_resourceUri,
                                 response.status));
        }
        return;
    }

    // JSON and resources are read whole; past the hard limit nothing sensible can be shown.
    const bool needsWhole
        = m_kind == Kind::Resource || response.body.size() > ResponseShaper::HardLimitBytes;
    if (!response.complete && needsWhole) {
        const QString text = hints::tooLarge(ResponseShaper::HardLimitBytes);
        log(u"debug"_s, u"Returned an error result: the answer is too large"_s);
        progress(3, u"Done (the answer is too large)"_s);
        if (m_kind == Kind::Tool)
            deliverToolResult(ResponseShaper::errorResult(text));
        else
            deliverResource(
                fail(u"Reading %1 failed. %2"_s.arg(m_resourceUri, text), m_resourceUri));
        return;
    }

    if (m_kind == Kind::Resource) {
        const QJsonArray contents
            = ResponseShaper::resourceContents(response, m_resourceUri, m_resourceMimeType);
        log(u"debug"_s,
            u"Shaped the resource: %1"_s.arg(contents.first().toObject().contains(u"text"_s)
                                                 ? u"text"_s
                                                 : u"binary (base64)"_s));
        progress(3, u"Done"_s);
        deliverResource(contents);
        return;
    }
    QString summary;
    const ToolResult result = ResponseShaper::toolResult(response, m_tool, &summary);
    if (logWanted(u"debug"_s))
        log(u"debug"_s, u"Shaped the response: %1"_s.arg(summary));
    progress(3, u"Done"_s);
    deliverToolResult(result);
}

// Failures before any answer may be retried (idempotent calls only): a fresh connection often
// works where the last one was refused, reset or never opened.
void UpstreamCall::failRetryable(const QString &message, const QString &shortReason)
{
    if (!retryAfterFailure(shortReason, true))
        finishWithFailure(message, shortReason);
}

bool UpstreamCall::finishIfStoppedByUs(bool clientTimedOut)
{
    const auto wholeSeconds = [](int ms) { return std::max(1, (ms + 999) / 1000); };
    const QString base = m_document.upstream.baseUrl;
    if (m_connectTimedOut) {
        failRetryable(hints::connectTimedOut(base, wholeSeconds(connectTimeoutMs())),
                      u"connect timeout"_s);
        return true;
    }
    if (!m_redirectRefused.isEmpty()) {
        finishWithFailure(hints::redirectRefused(m_redirectRefused), u"redirect refused"_s);
        return true;
    }
    if (m_timedOut || clientTimedOut) {
        finishWithFailure(hints::timedOut(base, wholeSeconds(timeoutMs())), u"timed out"_s);
        return true;
    }
    return false;
}

void UpstreamCall::finishWithFailure(const QString &message, const QString &shortReason)
{
    if (m_finished)
        return;
    releaseSlot();
    m_finished = true;
    const qint64 ms = m_clock.isValid() ? m_clock.elapsed() : 0;
    if (m_progress < 2)
        progress(2, u"No answer from the API"_s);
    log(u"error"_s, u"No answer after %1 ms: %2"_s.arg(ms).arg(shortReason));
    recordTraffic(0, {}, {}, {}, m_body.size(), true, shortReason);
    const QString text = redact(message);
    log(u"debug"_s, u"Returned an error result: %1"_s.arg(text));
    progress(3, u"Done (%1)"_s.arg(shortReason));
    if (m_kind == Kind::Tool)
        deliverToolResult(ResponseShaper::errorResult(text));
    else
        deliverResource(fail(u"Reading %1 failed. %2"_s.arg(m_resourceUri, text), m_resourceUri));
}

void UpstreamCall::finishBeforeSending(const QString &message)
{
    if (m_finished)
        return;
    releaseSlot();
    m_finished = true;
    const QString text = redact(message);
    log(u"error"_s, u"The request was not sent: %1"_s.arg(text));
    if (m_kind == Kind::Tool)
        deliverToolResult(ResponseShaper::errorResult(text));
    else
        deliverResource(fail(u"Reading %1 failed. %2"_s.arg(m_resourceUri, text), m_resourceUri));
}

void UpstreamCall::deliverToolResult(const ToolResult &result)
{
    if (m_aborted)
        return;
    if (m_starting) {
        QMetaObject::invokeMethod(
            this, [this, result] { deliverToolResult(result); }, Qt::QueuedConnection);
        return;
    }
    auto done = std::move(m_toolDone);
    m_toolDone = nullptr;
    deleteLater();
    if (done)
        done(result);
}

void UpstreamCall::deliverResource(Result<QJsonArray> contents)
{
    if (m_aborted)
        return;
    if (m_starting) {
        QMetaObject::invokeMethod(
            this, [this, contents] { deliverResource(contents); }, Qt::QueuedConnection);
        return;
    }
    auto done = std::move(m_resourceDone);
    m_resourceDone = nullptr;
    deleteLater();
    if (done)
        done(std::move(contents));
}

// ---- helpers --------------------------------------------------------------------------------

bool UpstreamCall::logWanted(const QString &level) const
{
    return lcUpstream().isDebugEnabled()
           || (m_context.log && (!m_context.wantsLog || m_context.wantsLog(level)));
}

void UpstreamCall::log(const QString &level, const QString &message) const
{
    if (!logWanted(level))
        return;
    const QString text = redact(message);
    qCDebug(lcUpstream).noquote() << level << text;
    if (m_context.log)
        m_context.log(level, text);
}

bool UpstreamCall::progressWanted(double step)
{
    if (step <= m_progress)
        return false;
    if (m_context.progress)
        return true;
    m_progress = step;
    return false;
}

void UpstreamCall::progress(double step, const QString &message)
{
    if (step <= m_progress)
        return;
    m_progress = step;
    if (m_context.progress)
        m_context.progress(step, 3, redact(message));
}

QString UpstreamCall::redact(const QString &text) const
{
    QString out = m_shared->redactor.redact(text);
    if (m_shared->traffic)
        out = m_shared->traffic->redact(out);
    return out;
}

QString UpstreamCall::listToolFor404() const
{
    if (m_kind != Kind::Tool)
        return {};
    QString best;
    qsizetype bestLength = -1;
    for (const bridge::Tool &candidate : std::as_const(m_document.tools)) {
        if (candidate.name == m_tool.name || candidate.method.toUpper() != u"GET"
            || candidate.path.contains(u'{') || candidate.path.isEmpty())
            continue;
        QString prefix = candidate.path.section(u'?', 0, 0);
        while (prefix.endsWith(u'/'))
            prefix.chop(1);
        if (m_tool.path.startsWith(prefix + u'/') && prefix.size() > bestLength) {
            best = candidate.name;
            bestLength = prefix.size();
        }
    }
    return best;
}

QString UpstreamCall::secretNameForHints() const
{
    const bridge::AuthConfig &auth = m_document.upstream.auth;
    if (auth.kind != u"none" && !auth.kind.isEmpty() && !auth.secret.isEmpty())
        return auth.secret;
    return m_secretNames.value(0);
}

} // namespace mcpbridge::upstream
