#include "connectors/http/httptransport.h"

#include "connectors/http/contentdecoding.h"

#include <QDateTime>
#include <QTimer>

namespace syncline::connectors::http {

namespace {

constexpr int kMaxRedirects = 5;
// Idle connections kept beyond this are closed: a run's window rarely needs more at once.
constexpr std::size_t kMaxIdle = 32;

bool isRedirect(int status)
{
    return status == 301 || status == 302 || status == 303 || status == 307 || status == 308;
}

} // namespace

HttpTransport::HttpTransport(std::chrono::milliseconds timeout)
    : m_timeout(timeout)
{ }

HttpTransport::~HttpTransport()
{
    // Connections call back into this transport: delete them (their sockets abort silently) now.
    for (auto &[id, pending] : m_pending)
        delete pending.connection;
    m_pending.clear();
    for (HttpConnection *connection : m_idle)
        delete connection;
    m_idle.clear();
}

void HttpTransport::send(const HttpRequest &request, Done done, bool record)
{
    const quint64 id = m_nextId++;
    Pending pending;
    pending.request = request;
    pending.done = std::move(done);
    pending.record = record;
    pending.startedAtMs = QDateTime::currentMSecsSinceEpoch();
    pending.timer = std::make_unique<QTimer>();
    pending.timer->setSingleShot(true);
    QObject::connect(pending.timer.get(), &QTimer::timeout, [this, id] {
        auto it = m_pending.find(id);
        if (it == m_pending.end() || !it->second.connection)
            return;
        it->second.timedOut = true;
        it->second.connection->abort();
    });
    pending.timer->start(m_timeout);
    m_pending.emplace(id, std::move(pending));
    start(id, request);
}

void HttpTransport::start(quint64 id, const HttpRequest &request)
{
    HttpConnection *connection = connectionFor(request.url);
    m_pending.at(id).connection = connection;
    connection->send(request, [this, id, connection](HttpConnection::Outcome outcome) {
        onFinished(id, connection, std::move(outcome));
    });
}

HttpConnection *HttpTransport::connectionFor(const QUrl &url)
{
    const HttpOrigin origin = HttpOrigin::of(url);
    for (auto it = m_idle.rbegin(); it != m_idle.rend(); ++it) {
        HttpConnection *connection = *it;
        if (!(connection->origin() == origin))
            continue;
        m_idle.erase(std::next(it).base());
        if (connection->isIdle())
            return connection;
        connection->deleteLater(); // closed by the server while idle
        return connectionFor(url);
    }
    return new HttpConnection(origin);
}

void HttpTransport::release(HttpConnection *connection)
{
    if (!connection->isIdle()) {
        connection->deleteLater();
        return;
    }
    m_idle.push_back(connection);
    if (m_idle.size() > kMaxIdle) {
        m_idle.front()->deleteLater();
        m_idle.erase(m_idle.begin());
    }
}

void HttpTransport::abortAll()
{
    std::vector<HttpConnection *> connections;
    for (auto &[id, pending] : m_pending) {
        pending.cancelled = true;
        if (pending.connection)
            connections.push_back(pending.connection);
    }
    for (HttpConnection *connection : connections)
        connection->abort(); // finishes its exchange now, as Cancelled
}

void HttpTransport::onFinished(quint64 id, HttpConnection *connection, HttpConnection::Outcome outcome)
{
    release(connection);
    auto it = m_pending.find(id);
    if (it == m_pending.end())
        return;
    Pending &pending = it->second;
    pending.connection = nullptr;
    if (outcome.end == HttpResponse::End::Answered && followRedirect(id, pending, outcome))
        return;

    HttpResponse response;
    response.startedAtMs = pending.startedAtMs;
    response.host = pending.request.url.host();
    response.durationMs = QDateTime::currentMSecsSinceEpoch() - pending.startedAtMs;
    response.end = outcome.end;
    if (pending.cancelled)
        response.end = HttpResponse::End::Cancelled;
    else if (pending.timedOut)
        response.end = HttpResponse::End::TimedOut;
    if (response.end == HttpResponse::End::Answered) {
        response.status = outcome.status;
        response.headers = std::move(outcome.headers);
        auto body = decodeContent(response.header("Content-Encoding"), outcome.body);
        if (body) {
            response.body = std::move(*body);
        } else {
            response.end = HttpResponse::End::ConnectionFailed;
            response.transportError = body.error().message;
            response.body = std::move(outcome.body);
        }
    } else {
        response.transportError = outcome.error;
    }
    Pending finished = std::move(pending);
    m_pending.erase(it);
    finish(std::move(finished), std::move(response));
}

bool HttpTransport::followRedirect(quint64 id, Pending &pending, const HttpConnection::Outcome &outcome)
{
    if (!isRedirect(outcome.status) || pending.redirects >= kMaxRedirects)
        return false;
    const QByteArray location = headerValue(outcome.headers, "Location");
    if (location.isEmpty())
        return false;
    const QUrl target = pending.request.url.resolved(QUrl::fromEncoded(location));
    if (!(HttpOrigin::of(target) == HttpOrigin::of(pending.request.url)))
        return false; // another origin never gets our credentials: the 3xx is the answer
    HttpRequest next = pending.request;
    next.url = target;
    if (outcome.status == 303 || ((outcome.status == 301 || outcome.status == 302) && next.method == "POST")) {
        next.method = "GET";
        next.body.clear();
        next.headers.removeIf([](const auto &header) { return header.first.compare("Content-Type", Qt::CaseInsensitive) == 0; });
    }
    ++pending.redirects;
    pending.request = next;
    start(id, next);
    return true;
}

void HttpTransport::finish(Pending pending, HttpResponse response)
{
    if (m_recorder && pending.record) {
        engine::connector::Exchange exchange;
        exchange.method = QString::fromLatin1(pending.request.method);
        exchange.url = pending.request.url.toString();
        exchange.status = response.answered() ? response.status : 0;
        exchange.error = response.answered() ? QString() : response.summary();
        exchange.failed = !response.isSuccess();
        exchange.startedAtMs = response.startedAtMs;
        exchange.durationMs = response.durationMs;
        exchange.requestHeaders = pending.request.headers;
        exchange.requestBody = pending.request.body;
        exchange.responseHeaders = response.headers;
        exchange.responseBody = response.body;
        m_recorder->record(std::move(exchange));
    }
    pending.done(response);
}

} // namespace syncline::connectors::http
