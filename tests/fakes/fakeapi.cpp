#include "tests/fakes/fakeapi.h"

#include "tests/fakes/fakeapiserver.h"
#include "tests/fakes/fakeapistate.h"

#include <QHostAddress>

namespace syncline::testfakes {

FakeApi::FakeApi(FakeApiConfig config) : m_state(std::make_unique<FakeApiState>(std::move(config)))
{
    m_thread.setObjectName(QStringLiteral("fake-api"));
}

FakeApi::~FakeApi()
{
    if (m_server) {
        QMetaObject::invokeMethod(m_server, [this] { delete m_server; }, Qt::BlockingQueuedConnection);
        m_server = nullptr;
    }
    m_thread.quit();
    m_thread.wait();
}

bool FakeApi::start(quint16 port, QString *error)
{
    if (m_server)
        return true;
    m_thread.start();
    m_server = new FakeApiServer(*m_state);
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
        QMetaObject::invokeMethod(m_server, [this] { delete m_server; }, Qt::BlockingQueuedConnection);
        m_server = nullptr;
        if (error)
            *error = QStringLiteral("the fake API cannot listen on 127.0.0.1:%1: %2").arg(port).arg(why);
    }
    return listening;
}

QUrl FakeApi::url(const QString &path) const
{
    return QUrl(QStringLiteral("http://127.0.0.1:%1%2").arg(m_port).arg(path));
}

void FakeApi::setConfig(const FakeApiConfig &config) { m_state->setConfig(config); }
FakeApiConfig FakeApi::config() const { return m_state->config(); }
void FakeApi::scriptFaults(const QList<Fault> &faults) { m_state->scriptFaults(faults); }
void FakeApi::reset() { m_state->reset(); }
void FakeApi::resetCounters() { m_state->resetCounters(); }
QHash<QString, QJsonObject> FakeApi::records() const { return m_state->records(); }
FakeApiCounters FakeApi::counters() const { return m_state->counters(); }
QList<FakeRequest> FakeApi::requests() const { return m_state->requests(); }
QHash<QString, int> FakeApi::upsertsPerKey() const { return m_state->upsertsPerKey(); }
QSet<QString> FakeApi::lostAckKeys() const { return m_state->lostAckKeys(); }

} // namespace syncline::testfakes
