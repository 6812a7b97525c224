#include "connectors/http/staticauth.h"

#include <QUrlQuery>

namespace syncline::connectors::http {

void BearerTokenAuth::apply(HttpRequest &request) const
{
    setHeader(request.headers, "Authorization", "Bearer " + m_token.toUtf8());
}

void ApiKeyAuth::apply(HttpRequest &request) const
{
    if (m_queryName.isEmpty()) {
        setHeader(request.headers, m_headerName, m_key.toUtf8());
        return;
    }
    QUrlQuery query(request.url);
    query.removeAllQueryItems(m_queryName);
    query.addQueryItem(m_queryName, QString::fromLatin1(QUrl::toPercentEncoding(m_key)));
    request.url.setQuery(query);
}

void BasicAuth::apply(HttpRequest &request) const
{
    setHeader(
        request.headers, "Authorization", "Basic " + (m_user + QLatin1Char(':') + m_password).toUtf8().toBase64());
}

} // namespace syncline::connectors::http
