#pragma once
// Sends HttpRequests over keep-alive HTTP/1.1 connections of its own (HttpConnection: TCP_NODELAY,
// one write per request), as many per origin as there are requests in flight, reused when idle.
// gzip/deflate answers are decoded; TLS verification is always on (never relaxed); redirects are
// followed only to the same origin (at most 5); every request has a timeout counted from when it
// is sent. Nothing is ever resent on its own: a dropped connection is reported, and the retry
// policy decides, visibly. Each finished exchange goes to the run's ExchangeRecorder, when there
// is one, as sent and received (the recorder redacts).
// Thread: created, used and destroyed in one thread (the run's); callbacks run in that thread
// from its event loop.

#include "connectors/http/httpconnection.h"
#include "connectors/http/httpmessage.h"
#include "engine/connector/connector.h"

#include <QObject>
#include <QPointer>

#include <chrono>
#include <functional>
#include <map>
#include <memory>
#include <vector>

class QTimer;

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
        int redirects = 0;
        HttpConnection *connection = nullptr;
        std::unique_ptr<QTimer> timer;
    };
    void start(quint64 id, const HttpRequest &request);
    HttpConnection *connectionFor(const QUrl &url);
    void onFinished(quint64 id, HttpConnection *connection, HttpConnection::Outcome outcome);
    bool followRedirect(quint64 id, Pending &pending, const HttpConnection::Outcome &outcome);
    void finish(Pending pending, HttpResponse response);
    void release(HttpConnection *connection);

    std::chrono::milliseconds m_timeout;
    engine::connector::ExchangeRecorder *m_recorder = nullptr;
    quint64 m_nextId = 1;
    std::map<quint64, Pending> m_pending;
    std::vector<HttpConnection *> m_idle; // kept-alive connections, most recently used last
};

} // namespace syncline::connectors::http
