#include "connectors/http/httptransport.h"

#include "connectors/http/sequentialbody.h"

#include <QDateTime>
#include <QNetworkAccessManager>
#include <QNetworkReply>
#include <QNetworkRequest>
#include <QTimer>

namespace syncline::connectors::http {

namespace {

// Transport-level failures (the exchange did not complete), as opposed to an HTTP status.
bool isTransportFailure(QNetworkReply::NetworkError error)
{
    return error != QNetworkReply::NoError && (int(error) < 200 || error == QNetworkReply::UnknownNetworkError);
}

} // namespace

HttpTransport::HttpTransport(std::chrono::milliseconds timeout)
    : m_timeout(timeout)
{ }

HttpTransport::~HttpTransport()
{
    // Replies are children of the manager; drop their callbacks first so none runs during teardown.
    for (auto &[reply, pending] : m_pending) {
        QObject::disconnect(reply, nullptr, nullptr, nullptr);
        reply->abort();
    }
    m_pending.clear();
}

void HttpTransport::send(const HttpRequest &request, Done done, bool record)
{
    if (!m_manager) {
        m_manager = std::make_unique<QNetworkAccessManager>();
        m_manager->setRedirectPolicy(QNetworkRequest::SameOriginRedirectPolicy);
        m_manager->setAutoDeleteReplies(false);
    }
    QNetworkRequest networkRequest(request.url);
    for (const auto &header : request.headers)
        networkRequest.setRawHeader(header.first, header.second);
    if (!request.body.isEmpty() && !networkRequest.hasRawHeader("Content-Type"))
        networkRequest.setRawHeader("Content-Type", "application/json");
    // Our own timer covers the whole exchange; Qt's transfer timeout only covers silence.
    networkRequest.setTransferTimeout(int(m_timeout.count()));

    QNetworkReply *reply = nullptr;
    if (request.body.isEmpty()) {
        reply = m_manager->sendCustomRequest(networkRequest, request.method);
    } else {
        // Never let Qt resend a body on its own (see sequentialbody.h): a write is sent again only
        // by the retry policy, which the inspector and the duplicate checks see.
        networkRequest.setHeader(QNetworkRequest::ContentLengthHeader, request.body.size());
        networkRequest.setAttribute(QNetworkRequest::DoNotBufferUploadDataAttribute, true);
        auto *body = new SequentialBody(request.body);
        reply = m_manager->sendCustomRequest(networkRequest, request.method, body);
        body->setParent(reply);
    }
    Pending pending;
    pending.request = request;
    pending.done = std::move(done);
    pending.record = record;
    pending.startedAtMs = QDateTime::currentMSecsSinceEpoch();
    m_pending.emplace(reply, std::move(pending));

    auto *timer = new QTimer(reply);
    timer->setSingleShot(true);
    QObject::connect(timer, &QTimer::timeout, reply, [this, reply] {
        if (auto it = m_pending.find(reply); it != m_pending.end())
            it->second.timedOut = true;
        reply->abort();
    });
    timer->start(m_timeout);
    // Qt keeps 6 HTTP/1.1 connections per host and queues the rest: time a request from when it
    // is written, so waiting in that queue behind slow answers is not a timeout.
    QObject::connect(reply, &QNetworkReply::requestSent, timer, [timer, this] { timer->start(m_timeout); });
    QObject::connect(reply, &QNetworkReply::finished, reply, [this, reply] { finish(reply); });
}

void HttpTransport::abortAll()
{
    std::vector<QNetworkReply *> replies;
    for (auto &[reply, pending] : m_pending) {
        pending.cancelled = true;
        replies.push_back(reply);
    }
    for (QNetworkReply *reply : replies)
        reply->abort();
}

void HttpTransport::finish(QNetworkReply *reply)
{
    auto it = m_pending.find(reply);
    if (it == m_pending.end())
        return;
    Pending pending = std::move(it->second);
    m_pending.erase(it);

    HttpResponse response;
    response.startedAtMs = pending.startedAtMs;
    response.host = pending.request.url.host();
    response.durationMs = QDateTime::currentMSecsSinceEpoch() - pending.startedAtMs;
    response.status = reply->attribute(QNetworkRequest::HttpStatusCodeAttribute).toInt();
    response.headers = reply->rawHeaderPairs();
    if (reply->isOpen())
        response.body = reply->readAll();
    const QNetworkReply::NetworkError error = reply->error();
    if (pending.cancelled)
        response.end = HttpResponse::End::Cancelled;
    else if (pending.timedOut || error == QNetworkReply::TimeoutError || error == QNetworkReply::OperationCanceledError)
        response.end = HttpResponse::End::TimedOut;
    else if (error == QNetworkReply::SslHandshakeFailedError)
        response.end = HttpResponse::End::TlsRefused;
    else if (isTransportFailure(error) || response.status == 0)
        response.end = HttpResponse::End::ConnectionFailed;
    else
        response.end = HttpResponse::End::Answered;
    if (!response.answered())
        response.transportError = reply->errorString();
    reply->deleteLater();

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
