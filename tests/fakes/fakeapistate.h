#pragma once
// The fake API's behaviour and memory: the record store, counters, request log, rate limit and
// fault decisions. Thread-safe: the server thread calls handle(), tests read it from theirs.

#include "tests/fakes/fakeapitypes.h"
#include "tests/fakes/httprequestparser.h"

#include <QElapsedTimer>
#include <QHash>
#include <QMutex>
#include <QRandomGenerator>
#include <QSet>

#include <deque>

namespace syncline::testfakes {

// What the server does with a request, decided by FakeApiState::handle().
struct FakeReply
{
    enum class Action { Reply, NoReply, ResetMidResponse, Drop };
    Action action = Action::Reply;
    int status = 200;
    QList<QPair<QByteArray, QByteArray>> headers;
    QByteArray body;
    int delayMs = 0;
};

class FakeApiState
{
public:
    explicit FakeApiState(FakeApiConfig config = {});

    FakeReply handle(const HttpRequest &request);

    void setConfig(const FakeApiConfig &config); // keeps records, counters and scripted faults
    FakeApiConfig config() const;
    void scriptFaults(const QList<Fault> &faults); // the next API requests get these, in order
    void reset();                                  // records, counters, log, script
    void resetCounters();                          // counters, log, per-key upserts, lost-ack keys; records stay

    QHash<QString, QJsonObject> records() const;
    FakeApiCounters counters() const;
    QList<FakeRequest> requests() const;
    QHash<QString, int> upsertsPerKey() const;
    QSet<QString> lostAckKeys() const; // keys applied by a request whose ack was dropped
    QJsonObject statsJson() const;     // counters as JSON for /_fake/stats

    static QString keyOf(const QJsonValue &value); // 17 -> "17", "a" -> "a"

private:
    FakeReply handleControl(const HttpRequest &request);
    FakeReply applyWrite(const HttpRequest &request, std::optional<Fault> fault);
    std::optional<Fault> nextFault(bool isWrite);
    std::optional<FakeReply> rateLimit();
    FakeReply json(int status, const QJsonObject &body) const;

    mutable QMutex m_mutex;
    FakeApiConfig m_config;
    QRandomGenerator m_random;
    QElapsedTimer m_clock;
    qint64 m_window = -1;
    int m_windowCount = 0;
    std::deque<Fault> m_script;
    QHash<QString, QJsonObject> m_records;
    QHash<QString, int> m_upserts;
    QSet<QString> m_lostAckKeys;
    QHash<QByteArray, FakeReply> m_idempotent; // Idempotency-Key -> the answer of the write it made
    FakeApiCounters m_counters;
    QList<FakeRequest> m_log;
};

} // namespace syncline::testfakes
