#pragma once
// A fake Google Sheets API (and Google's token endpoint at /token) on 127.0.0.1, served from its
// own thread by the shared FakeApiServer, so a test can block in a local event loop or wait for a
// syncline-cli process while it answers. Behaviour and state: SheetsFakeState. Every accessor is
// thread-safe; the destructor stops the thread.

#include "tests/fakes/googlesheets/sheetsfakestate.h"

#include <QThread>
#include <QUrl>

#include <memory>

namespace syncline::testfakes {
class FakeApiServer;
}

namespace syncline::testfakes::googlesheets {

class SheetsFake
{
public:
    explicit SheetsFake(SheetsFakeConfig config = {});
    ~SheetsFake();
    SheetsFake(const SheetsFake &) = delete;
    SheetsFake &operator=(const SheetsFake &) = delete;

    bool start(quint16 port = 0, QString *error = nullptr);
    quint16 port() const { return m_port; }
    QUrl url(const QString &path = {}) const; // http://127.0.0.1:<port><path>
    QUrl tokenUrl() const { return url(QStringLiteral("/token")); }

    SheetsFakeState &state() { return *m_state; }
    const SheetsFakeState &state() const { return *m_state; }

private:
    std::unique_ptr<SheetsFakeState> m_state;
    QThread m_thread;
    FakeApiServer *m_server = nullptr; // lives in m_thread
    quint16 m_port = 0;
};

} // namespace syncline::testfakes::googlesheets
