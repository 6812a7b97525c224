#pragma once
// One Sheets API request at a time, sent through the shared HTTP machinery (HttpTransport,
// RequestWindow: the account's rate limiter, token refresh before expiry and after a 401, 429
// backoff) and classified for the writer: Done (2xx), Refused (Google answered an error: it
// applied nothing, every Sheets request being atomic), or Unknown (no answer: it may or may not
// have been applied). Requests that are not safe to repeat (append, deleteDimension) are sent with
// one attempt only, so a lost answer is never resent blindly: the writer reads the key column
// first. Thread: the run's thread; one instance per run.

#include "connectors/googlesheets/googlesheetssettings.h"
#include "connectors/http/httpauth.h"
#include "connectors/http/httptransport.h"
#include "connectors/http/ratelimiter.h"
#include "engine/core/cancellation.h"

#include <QJsonObject>
#include <QUrlQuery>

#include <memory>
#include <optional>

namespace syncline::connectors::googlesheets {

class SheetsClient
{
public:
    struct Reply
    {
        enum class Kind { Done, Refused, Unknown };
        Kind kind = Kind::Unknown;
        int status = 0;
        QJsonObject body;
        QString message; // Google's error message, or why no answer came (no secret)
        // The run cannot go on (credential refused, cancelled, a long quota wait): its error.
        std::optional<engine::Error> stopped;
        bool done() const { return kind == Kind::Done; }
    };

    SheetsClient(GoogleSheetsSettings settings, std::unique_ptr<http::HttpAuth> auth,
        std::shared_ptr<http::RateLimiter> limiter);
    ~SheetsClient();

    void setRunContext(engine::connector::ExchangeRecorder *recorder, engine::DiagnosticSink *diagnostics);
    const GoogleSheetsSettings &settings() const { return m_settings; }

    // `path` follows /v4/spreadsheets/<id> ("", "/values/<encoded range>", ":batchUpdate").
    Reply get(const QString &path, const QUrlQuery &query, const engine::CancellationToken &cancellation);
    Reply post(const QString &path, const QUrlQuery &query, const QJsonObject &body, bool repeatable,
        const engine::CancellationToken &cancellation);

    // "/values/<range>" with the range percent-encoded ('!' and ':' too) as one path segment.
    static QString valuesPath(const QString &range, const QString &suffix = {});
    int requestsSent() const { return m_sent; }

private:
    Reply send(http::HttpRequest request, bool repeatable, const engine::CancellationToken &cancellation);

    GoogleSheetsSettings m_settings;
    std::unique_ptr<http::HttpAuth> m_auth;
    std::shared_ptr<http::RateLimiter> m_limiter;
    std::unique_ptr<http::HttpTransport> m_transport;
    int m_sent = 0;
};

} // namespace syncline::connectors::googlesheets
