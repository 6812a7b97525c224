#include "connectors/http/httpconnection.h"

#include <QSslSocket>
#include <QTcpSocket>
#include <QTimer>

namespace syncline::connectors::http {

namespace {

int defaultPort(const QString &scheme)
{
    return scheme == QLatin1String("https") ? 443 : 80;
}

bool hasHeader(const HeaderList &headers, QByteArrayView name)
{
    for (const auto &header : headers)
        if (header.first.compare(name, Qt::CaseInsensitive) == 0)
            return true;
    return false;
}

} // namespace

HttpOrigin HttpOrigin::of(const QUrl &url)
{
    const QString scheme = url.scheme().toLower();
    return { scheme, url.host().toLower(), url.port(defaultPort(scheme)) };
}

QByteArray serializeRequest(const HttpRequest &request)
{
    const QUrl &url = request.url;
    QByteArray target = url.path(QUrl::FullyEncoded).toLatin1();
    if (target.isEmpty())
        target = "/";
    if (url.hasQuery())
        target += '?' + url.query(QUrl::FullyEncoded).toLatin1();

    QByteArray bytes;
    bytes.reserve(512 + request.body.size());
    bytes += request.method + ' ' + target + " HTTP/1.1\r\n";
    if (!hasHeader(request.headers, "Host")) {
        const HttpOrigin origin = HttpOrigin::of(url);
        QByteArray host = url.host(QUrl::FullyEncoded).toLatin1();
        if (host.contains(':'))
            host = '[' + host + ']'; // IPv6 literal
        if (origin.port != defaultPort(origin.scheme))
            host += ':' + QByteArray::number(origin.port);
        bytes += "Host: " + host + "\r\n";
    }
    for (const auto &[name, value] : request.headers) {
        if (name.compare("Content-Length", Qt::CaseInsensitive) == 0)
            continue; // always computed from the body below
        bytes += name + ": " + value + "\r\n";
    }
    const bool bodyMethod = request.method == "POST" || request.method == "PUT" || request.method == "PATCH";
    if (!request.body.isEmpty() && !hasHeader(request.headers, "Content-Type"))
        bytes += "Content-Type: application/json\r\n";
    if (!request.body.isEmpty() || bodyMethod)
        bytes += "Content-Length: " + QByteArray::number(request.body.size()) + "\r\n";
    if (!hasHeader(request.headers, "Accept-Encoding"))
        bytes += "Accept-Encoding: gzip, deflate\r\n";
    if (!hasHeader(request.headers, "User-Agent"))
        bytes += "User-Agent: Syncline\r\n";
    bytes += "\r\n";
    bytes += request.body;
    return bytes;
}

HttpConnection::HttpConnection(HttpOrigin origin, QObject *parent)
    : QObject(parent)
    , m_origin(std::move(origin))
{ }

HttpConnection::~HttpConnection()
{
    if (m_socket) {
        QObject::disconnect(m_socket.get(), nullptr, this, nullptr);
        m_socket->abort();
    }
}

bool HttpConnection::isIdle() const
{
    if (m_closed || m_finished)
        return false;
    // A connection the server closed while idle may not have told us yet; one with unread bytes
    // (which a server must not send unasked) is not trusted with another exchange either.
    return !m_socket || (m_socket->state() == QAbstractSocket::ConnectedState && m_socket->bytesAvailable() == 0);
}

void HttpConnection::send(const HttpRequest &request, Finished finished)
{
    Q_ASSERT(!m_finished);
    m_finished = std::move(finished);
    m_pendingBytes = serializeRequest(request);
    m_reader.emplace(request.method == "HEAD");
    m_reused = m_ready;

    if (m_socket) {
        writeRequest();
        return;
    }
    if (m_origin.scheme == QLatin1String("https")) {
        auto *tls = new QSslSocket;
        m_socket.reset(tls);
        connect(tls, &QSslSocket::encrypted, this, [this] { m_ready = true; writeRequest(); });
        tls->connectToHostEncrypted(m_origin.host, quint16(m_origin.port));
    } else if (m_origin.scheme == QLatin1String("http")) {
        m_socket = std::make_unique<QTcpSocket>();
        connect(m_socket.get(), &QTcpSocket::connected, this, [this] { m_ready = true; writeRequest(); });
        m_socket->connectToHost(m_origin.host, quint16(m_origin.port));
    } else {
        const QString scheme = m_origin.scheme;
        QTimer::singleShot(0, this, [this, scheme] {
            fail(HttpResponse::End::ConnectionFailed,
                 QStringLiteral("unsupported URL scheme \"%1\" (use http or https)").arg(scheme));
        });
        m_closed = true;
        return;
    }
    m_socket->setReadBufferSize(0);
    connect(m_socket.get(), &QTcpSocket::readyRead, this, &HttpConnection::onReadyRead);
    connect(m_socket.get(), &QTcpSocket::errorOccurred, this, &HttpConnection::onSocketError);
    connect(m_socket.get(), &QTcpSocket::disconnected, this, &HttpConnection::onDisconnected);
}

void HttpConnection::writeRequest()
{
    if (!m_ready || m_pendingBytes.isEmpty())
        return;
    // Small requests go out in one segment, and the last segment of a large one is not held back
    // waiting for an ACK (see the header).
    m_socket->setSocketOption(QAbstractSocket::LowDelayOption, 1);
    m_socket->write(m_pendingBytes);
    m_pendingBytes.clear();
}

void HttpConnection::onReadyRead()
{
    const QByteArray bytes = m_socket->readAll();
    if (!m_finished || !m_reader)
        return; // bytes nobody asked for: isIdle() no longer trusts this connection
    if (!m_reader->feed(bytes)) {
        fail(HttpResponse::End::ConnectionFailed, m_reader->error());
        return;
    }
    if (!m_reader->complete())
        return;
    Outcome outcome;
    outcome.status = m_reader->status();
    outcome.headers = m_reader->headers();
    outcome.body = m_reader->takeBody();
    if (!m_reader->keepAlive() || m_reader->surplus() > 0) {
        m_closed = true;
        m_socket->disconnectFromHost();
    }
    complete(std::move(outcome));
}

void HttpConnection::onSocketError()
{
    if (!m_finished) {
        m_closed = true;
        return;
    }
    if (m_socket->error() == QAbstractSocket::RemoteHostClosedError)
        return onDisconnected();
    const bool tls = m_socket->error() == QAbstractSocket::SslHandshakeFailedError
        || m_socket->error() == QAbstractSocket::SslInvalidUserDataError;
    fail(tls ? HttpResponse::End::TlsRefused : HttpResponse::End::ConnectionFailed, m_socket->errorString());
}

void HttpConnection::onDisconnected()
{
    m_closed = true;
    if (!m_finished || !m_reader)
        return;
    if (m_socket->bytesAvailable() > 0)
        onReadyRead();
    if (!m_finished)
        return;
    m_reader->closed();
    if (m_reader->complete()) {
        Outcome outcome;
        outcome.status = m_reader->status();
        outcome.headers = m_reader->headers();
        outcome.body = m_reader->takeBody();
        complete(std::move(outcome));
        return;
    }
    const bool stale = m_reused && !m_reader->started();
    fail(HttpResponse::End::ConnectionFailed,
         stale ? QStringLiteral("the server closed a kept-alive connection before answering")
               : QStringLiteral("the server closed the connection before a complete answer"));
}

void HttpConnection::abort()
{
    m_closed = true;
    if (m_socket) {
        QObject::disconnect(m_socket.get(), nullptr, this, nullptr);
        m_socket->abort();
    }
    if (m_finished)
        fail(HttpResponse::End::Cancelled, QStringLiteral("aborted"));
}

void HttpConnection::fail(HttpResponse::End end, const QString &error)
{
    m_closed = true;
    if (m_socket && end != HttpResponse::End::Cancelled) {
        QObject::disconnect(m_socket.get(), nullptr, this, nullptr);
        m_socket->abort();
    }
    Outcome outcome;
    outcome.end = end;
    outcome.error = error;
    complete(std::move(outcome));
}

void HttpConnection::complete(Outcome outcome)
{
    m_reader.reset();
    Finished finished = std::move(m_finished);
    m_finished = nullptr;
    if (finished)
        finished(std::move(outcome));
}

} // namespace syncline::connectors::http
