#pragma once
// A fake Google Sheets API (and Google's token endpoint at /token) on 127.0.0.1, served from its
// own thread (tests/fakes/fakehttphost.h), so a test can block in a local event loop or wait for a
// syncline-cli process while it answers. Behaviour and state: SheetsFakeState (thread-safe).

#include "tests/fakes/fakehttphost.h"
#include "tests/fakes/googlesheets/sheetsfakestate.h"

#include <QUrl>

#include <memory>

namespace syncline::testfakes::googlesheets {

class SheetsFake
{
public:
    explicit SheetsFake(SheetsFakeConfig config = {});

    bool start(quint16 port = 0, QString *error = nullptr) { return m_host.start(port, error); }
    quint16 port() const { return m_host.port(); }
    QUrl url(const QString &path = {}) const { return m_host.url(path); } // http://127.0.0.1:<port><path>
    QUrl tokenUrl() const { return url(QStringLiteral("/token")); }

    SheetsFakeState &state() { return *m_state; }
    const SheetsFakeState &state() const { return *m_state; }

private:
    std::unique_ptr<SheetsFakeState> m_state; // before m_host: the host's thread ends first
    FakeHttpHost m_host;
};

} // namespace syncline::testfakes::googlesheets
