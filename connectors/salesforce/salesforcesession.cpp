#include "connectors/salesforce/salesforcesession.h"

#include <QJsonObject>

namespace syncline::connectors::salesforce {

using engine::Result;

namespace {

// How long the account's limiter holds every request once the daily allocation is used up: long
// enough that other syncs of this process stop at once instead of each meeting the 403.
constexpr std::chrono::minutes dailyLimitPause { 15 };
constexpr double usageWarningShare = 0.9;

} // namespace

SalesforceSession::SalesforceSession(QString destinationName, SalesforceSettings settings,
    http::OAuth2RefreshAuth::Config oauth, engine::SecretResolver *resolver, std::shared_ptr<http::RateLimiter> limiter)
    : m_name(std::move(destinationName))
    , m_settings(std::move(settings))
    , m_limiter(std::move(limiter))
    , m_transport(std::make_unique<http::HttpTransport>(m_settings.timeout))
{
    oauth.onToken = [this](const QJsonObject &token) { return acceptToken(token); };
    m_auth = std::make_unique<http::OAuth2RefreshAuth>(std::move(oauth), resolver);
}

void SalesforceSession::setDiagnostics(engine::DiagnosticSink *sink)
{
    m_diagnostics = sink;
    m_auth->setDiagnostics(sink);
}

Result<void> SalesforceSession::acceptToken(const QJsonObject &token)
{
    const QUrl instance(token.value(QStringLiteral("instance_url")).toString(), QUrl::StrictMode);
    const QString scheme = instance.scheme().toLower();
    if (instance.isValid() && !instance.host().isEmpty()
        && (scheme == QLatin1String("https") || scheme == QLatin1String("http"))) {
        m_instanceUrl = instance;
        return {};
    }
    if (!m_settings.baseUrl.isEmpty())
        return {};
    return engine::fail(QStringLiteral("auth.refresh"),
        QStringLiteral("Destination '%1': the token response of %2 has no usable instance_url, so the org's API "
                       "address is unknown; set base_url to the org's https://<my-domain>.my.salesforce.com")
            .arg(m_name, m_settings.tokenUrl.toString(QUrl::RemoveQuery)));
}

QUrl SalesforceSession::dataUrl(const QString &path, const QUrlQuery &query) const
{
    QUrl url = m_settings.baseUrl.isEmpty() ? m_instanceUrl : m_settings.baseUrl;
    QString base = url.path();
    while (base.endsWith(QLatin1Char('/')))
        base.chop(1);
    url.setPath(base + QStringLiteral("/services/data/") + m_settings.apiVersion + path);
    if (!query.isEmpty())
        url.setQuery(query);
    return url;
}

http::HttpRequest SalesforceSession::request(const QByteArray &method, const QString &path, const QByteArray &body,
    const QByteArray &contentType, const QUrlQuery &query) const
{
    http::HttpRequest request;
    request.method = method;
    request.url = dataUrl(path, query);
    request.headers = { { "Accept", "application/json" } };
    if (!body.isEmpty() || method == "POST" || method == "PATCH" || method == "PUT")
        request.headers.append({ "Content-Type", contentType });
    request.body = body;
    return request;
}

std::unique_ptr<http::RequestWindow> SalesforceSession::window(int concurrency)
{
    return std::make_unique<http::RequestWindow>(*m_transport, *m_auth, *m_limiter, m_settings.retry, concurrency);
}

void SalesforceSession::warn(const QString &message)
{
    if (m_diagnostics)
        m_diagnostics->report(engine::Severity::Warning, QStringLiteral("destination '%1'").arg(m_name), message);
}

QString SalesforceSession::inspect(const http::HttpResponse &response)
{
    if (auto usage = parseLimitInfo(response.header("Sforce-Limit-Info"))) {
        m_usage = usage;
        if (!m_warnedUsage && double(usage->used) >= usageWarningShare * double(usage->limit)) {
            m_warnedUsage = true;
            warn(QStringLiteral("the Salesforce org has used %1 of its %2 API requests of the last 24 hours "
                                "(Sforce-Limit-Info); other integrations of the org share them")
                     .arg(usage->used)
                     .arg(usage->limit));
        }
    }
    bool daily = false;
    if (!requestLimitExceeded(response, &daily))
        return {};
    if (!daily)
        return QStringLiteral("Salesforce refused the request for now (REQUEST_LIMIT_EXCEEDED: %1)")
            .arg(describe(apiErrors(response)));
    if (!m_stopped) {
        const QString usage = m_usage ? QStringLiteral(" (api-usage %1/%2)").arg(m_usage->used).arg(m_usage->limit)
                                      : QString();
        m_stopped = engine::Error { QStringLiteral("salesforce.api_limit"),
            QStringLiteral("Destination '%1': the Salesforce org's API requests of the last 24 hours are used up%2; "
                           "the rows not sent stay pending for the next run (ask the Salesforce admin about the "
                           "allocation, or lower bulk_threshold: a Bulk API job costs a few requests for any "
                           "number of rows)")
                .arg(m_name, usage),
            false, { { QStringLiteral("http_status"), QString::number(response.status) } } };
        http::RateLimitHint pause;
        pause.retryAfter = std::chrono::duration_cast<std::chrono::milliseconds>(dailyLimitPause);
        m_limiter->observe(pause);
        warn(m_stopped->message);
    }
    return {};
}

Result<http::HttpResponse> SalesforceSession::call(
    std::function<http::HttpRequest()> build, const engine::CancellationToken &cancellation)
{
    if (m_stopped)
        return std::unexpected(*m_stopped);
    std::optional<http::HttpResponse> answer;
    QString abandoned;
    auto requests = window(1);
    requests->submit(http::RequestWindow::Job {
        std::move(build),
        [&](const http::HttpResponse &response) {
            const QString again = inspect(response);
            if (again.isEmpty())
                answer = response;
            return again;
        },
        [&](const QString &reason) { abandoned = reason; },
    });
    const Result<void> ran = requests->run(cancellation);
    if (m_stopped)
        return std::unexpected(*m_stopped);
    if (answer)
        return *answer;
    if (!ran)
        return std::unexpected(ran.error());
    return engine::fail(QStringLiteral("http.unreachable"),
        QStringLiteral("Destination '%1': %2").arg(m_name, abandoned), true);
}

} // namespace syncline::connectors::salesforce
