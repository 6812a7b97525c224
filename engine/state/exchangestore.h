#pragma once
// Reads what the request inspector kept of a run (ExchangeLog writes it): the exchanges, already
// redacted, and the run's totals (how many were made, failed, kept, or pruned to stay in the cap).
// Thread: the workspace's thread.

#include "engine/core/error.h"

#include <QByteArray>
#include <QList>
#include <QPair>
#include <QString>

#include <vector>

namespace syncline::engine::state {

class Workspace;

struct StoredExchange
{
    struct Message
    {
        QList<QPair<QByteArray, QByteArray>> headers;
        QByteArray body; // redacted, at most ExchangeLogLimits::StoredBodyBytes
        qint64 bytes = 0; // the body's size as sent or received
        bool truncated = false;
    };
    qint64 seq = 0; // 1-based, in the order the run made its exchanges (kept or not)
    bool failed = false;
    QString method;
    QString url;
    int status = 0; // 0: no HTTP status
    QString error;
    qint64 startedAtMs = 0;
    qint64 durationMs = 0;
    Message request;
    Message response;
};

struct ExchangeTotals
{
    qint64 recorded = 0; // exchanges the run made
    qint64 failed = 0;
    qint64 kept = 0; // still stored
    qint64 overCap = 0; // not kept: the run reached the size cap
    qint64 storedBytes = 0;
    bool pruned = false; // deleted later to keep the workspace within the cap
};

class ExchangeStore
{
public:
    explicit ExchangeStore(Workspace &workspace)
        : m_workspace(workspace)
    { }

    // All zero when the run recorded no exchange (e.g. a file destination).
    Result<ExchangeTotals> totals(qint64 runId);
    Result<std::vector<StoredExchange>> exchanges(qint64 runId, bool failedOnly);
    // Every run's kept exchanges together (what the cap bounds).
    Result<qint64> storedBytes();

private:
    Workspace &m_workspace;
};

} // namespace syncline::engine::state
