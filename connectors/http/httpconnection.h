#pragma once
// One keep-alive HTTP/1.1 connection to one origin, carrying one exchange at a time. It exists
// because Qt 6.4's QNetworkAccessManager leaves Nagle's algorithm on and writes the headers and
// the body separately: every request with a body larger than a segment then waited ~40 ms for
// the server's delayed ACK (measured: 1,000 POSTs of 100 records, 44 s instead of ~4 s). Here the
// socket has TCP_NODELAY and a request goes out in one write. It also never resends anything on
// its own: a dropped connection is reported, and the retry policy decides, visibly.
// TLS is QSslSocket's with full verification (never relaxed); a certificate error is TlsRefused.
// Thread: created, used and destroyed in one thread; the callback runs from its event loop.

#include "connectors/http/httpmessage.h"
#include "connectors/http/httpresponsereader.h"

#include <QObject>
#include <QUrl>

#include <functional>
#include <memory>
#include <optional>

class QTcpSocket;

namespace syncline::connectors::http {

// Where a connection goes: the part of a URL connections are shared by.
struct HttpOrigin
{
    QString scheme;
    QString host;
    int port = 0;

    static HttpOrigin of(const QUrl &url);
    QString key() const { return scheme + QLatin1String("://") + host + QLatin1Char(':') + QString::number(port); }
    bool operator==(const HttpOrigin &) const = default;
};

// The bytes of `request` as sent on the wire, headers and body together.
QByteArray serializeRequest(const HttpRequest &request);

class HttpConnection final : public QObject
{
    Q_OBJECT
public:
    struct Outcome
    {
        HttpResponse::End end = HttpResponse::End::Answered;
        int status = 0;
        HeaderList headers;
        QByteArray body;
        QString error; // for ends other than Answered
    };
    using Finished = std::function<void(Outcome)>;

    explicit HttpConnection(HttpOrigin origin, QObject *parent = nullptr);
    ~HttpConnection() override;

    const HttpOrigin &origin() const { return m_origin; }
    // Free for the next exchange: connected (or never connected) and nothing in flight.
    bool isIdle() const;
    // Sends `request` (connecting first when needed); `finished` runs exactly once, later.
    void send(const HttpRequest &request, Finished finished);
    // Drops the connection; an exchange in flight finishes as Cancelled (the caller may relabel it).
    void abort();

private:
    void writeRequest();
    void onReadyRead();
    void onSocketError();
    void onDisconnected();
    void complete(Outcome outcome);
    void fail(HttpResponse::End end, const QString &error);

    HttpOrigin m_origin;
    std::unique_ptr<QTcpSocket> m_socket;
    bool m_ready = false; // connected (and TLS established)
    bool m_reused = false; // this exchange runs on a connection that answered before
    bool m_closed = false;
    QByteArray m_pendingBytes;
    std::optional<HttpResponseReader> m_reader;
    Finished m_finished;
};

} // namespace syncline::connectors::http
