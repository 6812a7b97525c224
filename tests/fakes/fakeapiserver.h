#pragma once
// The fake API's socket side: a raw QTcpServer speaking HTTP/1.1 with keep-alive, which can
// delay replies, never answer, reset a connection mid-response or drop it after a write.
// Lives in one thread (the one that calls listen()); the state it serves is thread-safe.

#include "tests/fakes/fakeapistate.h"
#include "tests/fakes/httprequestparser.h"

#include <QTcpServer>

#include <functional>

class QTcpSocket;

namespace syncline::testfakes {

class FakeApiServer : public QTcpServer
{
    Q_OBJECT
public:
    using Handler = std::function<FakeReply(const HttpRequest &)>;
    explicit FakeApiServer(FakeApiState &state, QObject *parent = nullptr);
    // Serves any fake's behaviour (e.g. a vendor fake in tests/fakes/<vendor>/); called in this thread.
    explicit FakeApiServer(Handler handler, QObject *parent = nullptr);

protected:
    void incomingConnection(qintptr descriptor) override;

private:
    struct Connection
    {
        QByteArray buffer;
        bool busy = false; // a reply is pending: later pipelined requests wait
        bool dead = false; // hung or dropped: input is ignored
    };
    void serve(QTcpSocket *socket);
    void send(QTcpSocket *socket, const FakeReply &reply, bool keepAlive);

    Handler m_handle;
    HttpRequestParser m_parser;
    QHash<QTcpSocket *, Connection> m_connections;
};

} // namespace syncline::testfakes
