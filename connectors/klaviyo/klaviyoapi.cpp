#include "connectors/klaviyo/klaviyoapi.h"

#include "connectors/http/singleexchange.h"

#include <QJsonArray>
#include <QJsonDocument>

namespace syncline::connectors::klaviyo {

http::HttpRequest KlaviyoApi::request(
    const QByteArray &method, const QString &path, const QString &query, const QJsonObject *body) const
{
    http::HttpRequest request;
    request.method = method;
    request.url = settings.baseUrl;
    QString base = settings.baseUrl.path();
    if (base.endsWith(QLatin1Char('/')))
        base.chop(1);
    request.url.setPath(base + path);
    if (!query.isEmpty())
        request.url.setQuery(query, QUrl::StrictMode);
    request.headers.append({ "revision", settings.revision.toLatin1() });
    request.headers.append({ QByteArray("Accept"), QByteArray("application/vnd.api+json") });
    if (body) {
        request.headers.append({ QByteArray("Content-Type"), QByteArray("application/vnd.api+json") });
        request.body = QJsonDocument(*body).toJson(QJsonDocument::Compact);
    }
    return request;
}

engine::Result<http::HttpResponse> KlaviyoApi::send(
    const http::HttpRequest &request, const engine::CancellationToken &cancellation) const
{
    return http::sendSingle(*transport, *auth, *limiter, settings.retry, request, cancellation);
}

QString KlaviyoApi::errorText(const http::HttpResponse &response)
{
    const QJsonArray errors = QJsonDocument::fromJson(response.body).object().value(QStringLiteral("errors")).toArray();
    QStringList texts;
    for (const QJsonValue &value : errors) {
        const QJsonObject error = value.toObject();
        QString text = error.value(QStringLiteral("detail")).toString();
        if (text.isEmpty())
            text = error.value(QStringLiteral("title")).toString();
        const QString pointer = error.value(QStringLiteral("source")).toObject().value(QStringLiteral("pointer")).toString();
        if (!pointer.isEmpty())
            text += QStringLiteral(" (at %1)").arg(pointer);
        texts << text;
    }
    if (texts.isEmpty())
        return response.summary();
    return QStringLiteral("HTTP %1: %2").arg(response.status).arg(texts.join(QStringLiteral("; ")));
}

} // namespace syncline::connectors::klaviyo
