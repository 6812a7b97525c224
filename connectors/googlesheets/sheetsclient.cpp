#include "connectors/googlesheets/sheetsclient.h"

#include "connectors/http/requestwindow.h"

#include <QJsonDocument>

namespace syncline::connectors::googlesheets {

SheetsClient::SheetsClient(
    GoogleSheetsSettings settings, std::unique_ptr<http::HttpAuth> auth, std::shared_ptr<http::RateLimiter> limiter)
    : m_settings(std::move(settings))
    , m_auth(std::move(auth))
    , m_limiter(std::move(limiter))
    , m_transport(std::make_unique<http::HttpTransport>(m_settings.timeout))
{ }

SheetsClient::~SheetsClient() = default;

void SheetsClient::setRunContext(engine::connector::ExchangeRecorder *recorder, engine::DiagnosticSink *diagnostics)
{
    m_transport->setRecorder(recorder);
    m_auth->setDiagnostics(diagnostics);
}

QString SheetsClient::valuesPath(const QString &range, const QString &suffix)
{
    return QStringLiteral("/values/") + QString::fromLatin1(QUrl::toPercentEncoding(range)) + suffix;
}

SheetsClient::Reply SheetsClient::get(
    const QString &path, const QUrlQuery &query, const engine::CancellationToken &cancellation)
{
    http::HttpRequest request;
    request.method = "GET";
    QString url = m_settings.baseUrl.toString(QUrl::FullyEncoded | QUrl::StripTrailingSlash)
        + QStringLiteral("/v4/spreadsheets/") + QString::fromLatin1(QUrl::toPercentEncoding(m_settings.spreadsheetId))
        + path;
    if (!query.isEmpty())
        url += QLatin1Char('?') + query.toString(QUrl::FullyEncoded);
    request.url = QUrl::fromEncoded(url.toLatin1(), QUrl::StrictMode);
    request.headers = { { "Accept", "application/json" } };
    return send(std::move(request), true, cancellation);
}

SheetsClient::Reply SheetsClient::post(const QString &path, const QUrlQuery &query, const QJsonObject &body,
    bool repeatable, const engine::CancellationToken &cancellation)
{
    http::HttpRequest request;
    request.method = "POST";
    QString url = m_settings.baseUrl.toString(QUrl::FullyEncoded | QUrl::StripTrailingSlash)
        + QStringLiteral("/v4/spreadsheets/") + QString::fromLatin1(QUrl::toPercentEncoding(m_settings.spreadsheetId))
        + path;
    if (!query.isEmpty())
        url += QLatin1Char('?') + query.toString(QUrl::FullyEncoded);
    request.url = QUrl::fromEncoded(url.toLatin1(), QUrl::StrictMode);
    request.headers = { { "Accept", "application/json" }, { "Content-Type", "application/json" } };
    request.body = QJsonDocument(body).toJson(QJsonDocument::Compact);
    return send(std::move(request), repeatable, cancellation);
}

SheetsClient::Reply SheetsClient::send(
    http::HttpRequest request, bool repeatable, const engine::CancellationToken &cancellation)
{
    http::RetryPolicy policy = m_settings.retry;
    if (!repeatable)
        policy.maxAttempts = 1; // an answer that never came is settled by reading the sheet, not by resending
    http::RequestWindow window(*m_transport, *m_auth, *m_limiter, policy, 1);
    Reply reply;
    bool ended = false;
    http::RequestWindow::Job job;
    job.build = [&request] { return request; };
    job.answered = [&](const http::HttpResponse &response) -> QString {
        ended = true;
        reply.status = response.status;
        reply.body = QJsonDocument::fromJson(response.body).object();
        if (response.isSuccess()) {
            reply.kind = Reply::Kind::Done;
            return {};
        }
        // Google's envelope: {"error": {"code", "message", "status"}}.
        const QJsonObject error = reply.body.value(QStringLiteral("error")).toObject();
        const QString status = error.value(QStringLiteral("status")).toString();
        reply.kind = Reply::Kind::Refused;
        reply.message = QStringLiteral("HTTP %1%2: %3")
                            .arg(response.status)
                            .arg(status.isEmpty() ? QString() : QLatin1Char(' ') + status)
                            .arg(error.value(QStringLiteral("message")).toString().left(300));
        if (error.isEmpty())
            reply.message = response.summary();
        return {};
    };
    job.abandoned = [&](const QString &reason) {
        ended = true;
        reply.kind = Reply::Kind::Unknown;
        reply.message = reason;
    };
    window.submit(std::move(job));
    const engine::Result<void> ran = window.run(cancellation);
    m_sent += window.requestsSent();
    if (!ran)
        reply.stopped = ran.error();
    if (!ended) {
        reply.kind = Reply::Kind::Unknown;
        reply.message = ran ? QStringLiteral("no answer") : ran.error().message;
    }
    return reply;
}

} // namespace syncline::connectors::googlesheets
