#pragma once
// Serves any fake's handler (a SaaS vendor fake, say) over HTTP/1.1 on 127.0.0.1 from its own
// thread, with the FakeApiServer's socket handling, so a test can block in a local event loop
// while the fake answers. The handler runs in the host's thread and must be thread-safe with
// respect to the test thread. The destructor stops the thread.

#include "tests/fakes/fakeapiserver.h"

#include <QThread>
#include <QUrl>

namespace syncline::testfakes {

class FakeHost
{
public:
    explicit FakeHost(FakeApiServer::Handler handler, QString threadName = QStringLiteral("fake-host"));
    ~FakeHost();
    FakeHost(const FakeHost &) = delete;
    FakeHost &operator=(const FakeHost &) = delete;

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
