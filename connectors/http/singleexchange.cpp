#include "connectors/http/singleexchange.h"

#include "connectors/http/requestwindow.h"

#include <optional>

namespace syncline::connectors::http {

engine::Result<HttpResponse> sendSingle(HttpTransport &transport, HttpAuth &auth, RateLimiter &limiter,
    const RetryPolicy &policy, const HttpRequest &request, const engine::CancellationToken &cancellation)
{
    RequestWindow window(transport, auth, limiter, policy, 1);
    std::optional<HttpResponse> answer;
    QString abandoned;
    window.submit(RequestWindow::Job {
        [request] { return request; },
        [&answer](const HttpResponse &response) {
            answer = response;
            return QString();
        },
        [&abandoned](const QString &reason) { abandoned = reason; },
    });
    const engine::Result<void> ran = window.run(cancellation);
    if (answer)
        return *answer;
    if (!ran)
        return std::unexpected(ran.error());
    return engine::fail(QStringLiteral("http.unreachable"),
        QStringLiteral("%1 %2: %3").arg(QString::fromLatin1(request.method), request.url.host(), abandoned), true);
}

} // namespace syncline::connectors::http
