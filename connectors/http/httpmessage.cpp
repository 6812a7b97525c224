#include "connectors/http/httpmessage.h"

namespace syncline::connectors::http {

QByteArray headerValue(const HeaderList &headers, QByteArrayView name)
{
    for (const auto &header : headers) {
        if (header.first.compare(name, Qt::CaseInsensitive) == 0)
            return header.second;
    }
    return {};
}

void setHeader(HeaderList &headers, const QByteArray &name, const QByteArray &value)
{
    for (auto &header : headers) {
        if (header.first.compare(name, Qt::CaseInsensitive) == 0) {
            header.second = value;
            return;
        }
    }
    headers.append({ name, value });
}

QString HttpResponse::summary() const
{
    switch (end) {
    case End::Answered:
        return QStringLiteral("HTTP %1").arg(status);
    case End::TimedOut:
        return QStringLiteral("no answer within the timeout (%1 ms)").arg(durationMs);
    case End::ConnectionFailed:
        return QStringLiteral("connection failed: %1").arg(transportError);
    case End::TlsRefused:
        return QStringLiteral("TLS refused: %1").arg(transportError);
    case End::Cancelled:
        return QStringLiteral("cancelled before the API answered");
    }
    return {};
}

} // namespace syncline::connectors::http
