#pragma once
// A fake JSON HTTP API for tests and benchmarks, served on 127.0.0.1 from its own thread so a
// test can block in a local event loop (or in QProcess::waitForFinished) while it answers.
// POST/PUT/PATCH of a JSON array or object upserts records keyed by the match field;
// DELETE .../<key> removes one; GET .../<key> reads one. Faults, latency and a rate limit are
// configurable at any time. /_fake/stats, /_fake/records (GET) and /_fake/reset,
// /_fake/reset-counters (POST) are control paths, never faulted or counted.
// Every accessor is thread-safe; the destructor stops the thread.

#include "tests/fakes/fakeapitypes.h"

#include <QHash>
#include <QJsonObject>
#include <QSet>
#include <QThread>
#include <QUrl>

#include <memory>

namespace syncline::testfakes {

class FakeApiServer;
class FakeApiState;

class FakeApi
{
public:
    explicit FakeApi(FakeApiConfig config = {});
    ~FakeApi();
    FakeApi(const FakeApi &) = delete;
    FakeApi &operator=(const FakeApi &) = delete;

    // Listens on 127.0.0.1:`port` (0: any free port). False with `error` set when it cannot.
    bool start(quint16 port = 0, QString *error = nullptr);
    quint16 port() const { return m_port; }
    QUrl url(const QString &path = QStringLiteral("/records")) const; // http://127.0.0.1:<port><path>

    void setConfig(const FakeApiConfig &config); // records, counters and scripted faults stay
    FakeApiConfig config() const;
    void scriptFaults(const QList<Fault> &faults); // the next API requests get these, in order
    void reset();
    void resetCounters();

    QHash<QString, QJsonObject> records() const; // key -> record as last upserted
    FakeApiCounters counters() const;
    QList<FakeRequest> requests() const;
    QHash<QString, int> upsertsPerKey() const;   // since the last reset or resetCounters
    QSet<QString> lostAckKeys() const;           // keys written by requests whose ack was dropped

private:
    std::unique_ptr<FakeApiState> m_state;
    QThread m_thread;
    FakeApiServer *m_server = nullptr; // lives in m_thread
    quint16 m_port = 0;
};

} // namespace syncline::testfakes
