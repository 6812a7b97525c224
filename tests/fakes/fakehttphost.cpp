#include "tests/fakes/fakehttphost.h"

#include <QHostAddress>

namespace syncline::testfakes {

FakeHttpHost::FakeHttpHost(FakeApiServer::Handler handler)
    : m_handler(std::move(handler))
{
    m_thread.setObjectName(QStringLiteral("fake-http"));
}

FakeHttpHost::~FakeHttpHost()
{
    if (m_server) {
        QMetaObject::invokeMethod(
            m_server, [this] { delete m_server; }, Qt::BlockingQueuedConnection);
        m_server = nullptr;
    }
    m_thread.quit();
    m_thread.wait();
}

bool FakeHttpHost::start(quint16 port, QString *error)
{
    if (m_server)
        return true;
    m_thread.start();
    m_server = new FakeApiServer(m_handler);
    m_server->moveToThread(&m_thread);
    bool listening = false;
    QString why;
    QMetaObject::invokeMethod(
        m_server,
        [this, port, &listening, &why] {
            listening = m_server->listen(QHostAddress::LocalHost, port);
            if (listening)
                m_port = m_server->serverPort();
            else
                why = m_server->errorString();
        },
        Qt::BlockingQueuedConnection);
    if (!listening) {
        QMetaObject::invokeMethod(
            m_server, [this] { delete m_server; }, Qt::BlockingQueuedConnection);
        m_server = nullptr;
        if (error)
            *error = QStringLiteral("the fake cannot listen on 127.0.0.1:%1: %2").arg(port).arg(why);
    }
    return listening;
}

QUrl FakeHttpHost::url(const QString &path) const
{
    return QUrl(QStringLiteral("http://127.0.0.1:%1%2").arg(m_port).arg(path));
}

} // namespace syncline::testfakes
