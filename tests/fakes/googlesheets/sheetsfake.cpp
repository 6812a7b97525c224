#include "tests/fakes/googlesheets/sheetsfake.h"

#include "tests/fakes/fakeapiserver.h"

#include <QHostAddress>

namespace syncline::testfakes::googlesheets {

SheetsFake::SheetsFake(SheetsFakeConfig config)
    : m_state(std::make_unique<SheetsFakeState>(std::move(config)))
{
    m_thread.setObjectName(QStringLiteral("fake-sheets"));
}

SheetsFake::~SheetsFake()
{
    if (m_server) {
        QMetaObject::invokeMethod(m_server, [this] { delete m_server; }, Qt::BlockingQueuedConnection);
        m_server = nullptr;
    }
    m_thread.quit();
    m_thread.wait();
}

bool SheetsFake::start(quint16 port, QString *error)
{
    if (m_server)
        return true;
    m_thread.start();
    SheetsFakeState *state = m_state.get();
    m_server = new FakeApiServer([state](const HttpRequest &request) { return state->handle(request); });
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
            *error = QStringLiteral("the fake Google Sheets cannot listen on 127.0.0.1:%1: %2").arg(port).arg(why);
    }
    return listening;
}

QUrl SheetsFake::url(const QString &path) const
{
    return QUrl(QStringLiteral("http://127.0.0.1:%1%2").arg(m_port).arg(path));
}

} // namespace syncline::testfakes::googlesheets
