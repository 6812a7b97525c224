#pragma once
// Serves one request handler on 127.0.0.1 from its own thread (the raw HTTP/1.1 server of
// fakeapiserver.h), so a test can block (a local event loop, QProcess::waitForFinished) while
// the fake answers. For the vendor fakes in tests/fakes/<vendor>/: their state is thread-safe
// and their handle() is the handler. The destructor stops the thread.

#include "tests/fakes/fakeapiserver.h"

#include <QThread>
#include <QUrl>

namespace syncline::testfakes {

class FakeHttpHost
{
public:
    explicit FakeHttpHost(FakeApiServer::Handler handler);
    ~FakeHttpHost();
    FakeHttpHost(const FakeHttpHost &) = delete;
    FakeHttpHost &operator=(const FakeHttpHost &) = delete;

    // Listens on 127.0.0.1:`port` (0: any free port). False with `error` set when it cannot.
    bool start(quint16 port = 0, QString *error = nullptr);
    quint16 port() const { return m_port; }
    QUrl url(const QString &path = {}) const; // http://127.0.0.1:<port><path>

private:
    FakeApiServer::Handler m_handler;
    QThread m_thread;
    FakeApiServer *m_server = nullptr; // lives in m_thread
    quint16 m_port = 0;
};

} // namespace syncline::testfakes
