#include "tests/fakes/fakeapiserver.h"

#include <QPointer>
#include <QTcpSocket>
#include <QTimer>

#include <sys/socket.h>

namespace syncline::testfakes {

namespace {

QByteArray reasonPhrase(int status)
{
    switch (status) {
    case 200: return "OK";
    case 204: return "No Content";
    case 207: return "Multi-Status";
    case 400: return "Bad Request";
    case 404: return "Not Found";
    case 415: return "Unsupported Media Type";
    case 422: return "Unprocessable Entity";
    case 429: return "Too Many Requests";
    case 500: return "Internal Server Error";
    case 502: return "Bad Gateway";
    case 503: return "Service Unavailable";
    default: return "Status";
    }
}

// Closes with a TCP reset instead of an orderly FIN, as a crashed proxy would.
void resetConnection(QTcpSocket *socket)
{
    socket->flush();
    const qintptr descriptor = socket->socketDescriptor();
    if (descriptor >= 0) {
        linger hard{1, 0};
        ::setsockopt(int(descriptor), SOL_SOCKET, SO_LINGER, &hard, sizeof hard);
    }
    socket->abort();
}

} // namespace

FakeApiServer::FakeApiServer(FakeApiState &state, QObject *parent)
    : FakeApiServer([&state](const HttpRequest &request) { return state.handle(request); }, parent)
{
}

FakeApiServer::FakeApiServer(Handler handler, QObject *parent) : QTcpServer(parent), m_handle(std::move(handler)) {}

void FakeApiServer::incomingConnection(qintptr descriptor)
{
    auto *socket = new QTcpSocket(this);
    if (!socket->setSocketDescriptor(descriptor)) {
        delete socket;
        return;
    }
    socket->setSocketOption(QAbstractSocket::LowDelayOption, 1);
    m_connections.insert(socket, Connection{});
    connect(socket, &QTcpSocket::readyRead, this, [this, socket] { serve(socket); });
    connect(socket, &QTcpSocket::disconnected, this, [this, socket] {
        m_connections.remove(socket);
        socket->deleteLater();
    });
}

void FakeApiServer::serve(QTcpSocket *socket)
{
    auto found = m_connections.find(socket);
    if (found == m_connections.end())
        return;
    Connection &connection = *found;
    if (connection.dead) {
        socket->readAll();
        return;
    }
    connection.buffer += socket->readAll();
    if (connection.busy)
        return;
    HttpRequest request;
    QString error;
    const auto status = m_parser.parse(connection.buffer, request, error);
    if (status == HttpRequestParser::Status::NeedMore)
        return;
    if (status == HttpRequestParser::Status::Error) {
        FakeReply reply;
        reply.status = 400;
        reply.body = error.toUtf8();
        connection.dead = true;
        send(socket, reply, false);
        return;
    }
    if (request.header("Expect").toLower() == "100-continue")
        socket->write("HTTP/1.1 100 Continue\r\n\r\n");
    const FakeReply reply = m_handle(request);
    const bool keepAlive = request.keepAlive();
    connection.busy = true;
    if (reply.action == FakeReply::Action::NoReply) {
        connection.dead = true; // the client gives up and closes
        return;
    }
    QPointer<QTcpSocket> guarded(socket);
    auto finish = [this, guarded, reply, keepAlive] {
        if (!guarded)
            return;
        QTcpSocket *target = guarded.data();
        switch (reply.action) {
        case FakeReply::Action::Reply:
            send(target, reply, keepAlive);
            break;
        case FakeReply::Action::ResetMidResponse:
            m_connections[target].dead = true;
            target->write(reply.body);
            resetConnection(target);
            break;
        case FakeReply::Action::Drop:
            m_connections[target].dead = true;
            target->abort();
            break;
        case FakeReply::Action::NoReply:
            break;
        }
    };
    if (reply.delayMs > 0)
        QTimer::singleShot(reply.delayMs, socket, finish);
    else
        finish();
}

void FakeApiServer::send(QTcpSocket *socket, const FakeReply &reply, bool keepAlive)
{
    QByteArray head = "HTTP/1.1 " + QByteArray::number(reply.status) + ' ' + reasonPhrase(reply.status) + "\r\n";
    for (const auto &[name, value] : reply.headers)
        head += name + ": " + value + "\r\n";
    head += "Content-Length: " + QByteArray::number(reply.body.size()) + "\r\n";
    head += keepAlive ? "Connection: keep-alive\r\n\r\n" : "Connection: close\r\n\r\n";
    socket->write(head + reply.body);
    if (!keepAlive) {
        socket->disconnectFromHost();
        return;
    }
    auto found = m_connections.find(socket);
    if (found == m_connections.end())
        return;
    found->busy = false;
    if (!found->buffer.isEmpty()) // a pipelined request waits
        QTimer::singleShot(0, socket, [this, socket] { serve(socket); });
}

} // namespace syncline::testfakes
