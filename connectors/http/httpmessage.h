#pragma once
// The values one HTTP exchange is made of: what is sent (HttpRequest) and what came back
// (HttpResponse, including how the exchange ended when no status arrived). Plain values, copyable,
// no Qt Network types, so they can be built, inspected and tested anywhere.

#include <QByteArray>
#include <QList>
#include <QPair>
#include <QString>
#include <QUrl>

namespace syncline::connectors::http {

using HeaderList = QList<QPair<QByteArray, QByteArray>>;

// The value of header `name` (case-insensitive) in `headers`, or an empty array.
QByteArray headerValue(const HeaderList &headers, QByteArrayView name);
// Sets `name` to `value`, replacing an existing header of that name (case-insensitive).
void setHeader(HeaderList &headers, const QByteArray &name, const QByteArray &value);

struct HttpRequest
{
    QByteArray method = "POST";
    QUrl url;
    HeaderList headers;
    QByteArray body;
};

struct HttpResponse
{
    enum class End {
        Answered, // a status line arrived (any status, 2xx or not)
        TimedOut, // no complete answer within the request timeout
        ConnectionFailed, // refused, reset, closed mid-response, DNS ...
        TlsRefused, // the server's certificate is not trusted (never retried: it will not change)
        Cancelled, // aborted by cancellation
    };
    End end = End::Answered;
    int status = 0;
    HeaderList headers;
    QByteArray body;
    QString transportError; // Qt's words for a transport failure; empty when answered
    QString host; // of the request, for messages
    qint64 startedAtMs = 0;
    qint64 durationMs = 0;

    bool answered() const { return end == End::Answered; }
    bool isSuccess() const { return answered() && status >= 200 && status < 300; }
    QByteArray header(QByteArrayView name) const { return headerValue(headers, name); }
    // "HTTP 503", "timed out after 30 s", "connection failed: ..." -- for messages (no secrets).
    QString summary() const;
};

} // namespace syncline::connectors::http
