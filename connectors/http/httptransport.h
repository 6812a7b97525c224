#pragma once
// Sends HttpRequests through one QNetworkAccessManager: keep-alive connections, gzip (Qt asks for
// it and decompresses), TLS verification always on (never relaxed), redirects only to the same
// origin, and a timeout on every request (counted from when Qt writes it). Each finished
// exchange goes to the run's ExchangeRecorder, when there is one, as sent and received (the
// recorder redacts). Note: Qt's HTTP/1.1 layer itself resends a request whose connection closed
// before a complete answer (up to twice, any method) before reporting an error; such a resend is
// invisible here and is one more reason inserts carry an Idempotency-Key.
// Thread: created, used and destroyed in one thread (the run's); callbacks run in that thread
// from its event loop. The QNetworkAccessManager is created on first use, so in that thread.

#include "connectors/http/httpmessage.h"
#include "engine/connector/connector.h"

#include <QObject>
#include <QPointer>

#include <chrono>
#include <functional>
#include <map>
#include <memory>

class QNetworkAccessManager;
class QNetworkReply;

namespace syncline::connectors::http {

class HttpTransport
{
public:
    using Done = std::function<void(const HttpResponse &)>;

    explicit HttpTransport(std::chrono::milliseconds timeout);
    ~HttpTransport();
    HttpTransport(const HttpTransport &) = delete;
    HttpTransport &operator=(const HttpTransport &) = delete;

    void setRecorder(engine::connector::ExchangeRecorder *recorder) { m_recorder = recorder; }
    std::chrono::milliseconds timeout() const { return m_timeout; }

    // Starts the exchange; `done` runs exactly once, later, from the event loop (never inside send()).
    // `record` false keeps it out of the inspector (a token request: its body is all secrets).
    void send(const HttpRequest &request, Done done, bool record = true);
    // Aborts every exchange in flight; their `done` callbacks run with End::Cancelled.
    void abortAll();
    int inFlight() const { return int(m_pending.size()); }

private:
    struct Pending
    {
        HttpRequest request;
        Done done;
        qint64 startedAtMs = 0;
        bool timedOut = false;
        bool cancelled = false;
        bool record = true;
    };
    void finish(QNetworkReply *reply);

    std::chrono::milliseconds m_timeout;
    engine::connector::ExchangeRecorder *m_recorder = nullptr;
    std::unique_ptr<QNetworkAccessManager> m_manager;
    std::map<QNetworkReply *, Pending> m_pending;
};

} // namespace syncline::connectors::http
