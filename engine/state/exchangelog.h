#pragma once
// The request inspector's recorder for one run. It redacts each exchange the connector reports
// (ExchangeRedactor), keeps every failed one and a sample of the successful ones, and buffers
// them in memory until the runner writes them in its own per-batch transaction, so recording
// adds no transaction per request. Writing also prunes the oldest runs' exchanges past the
// workspace's cap. A run's own kept exchanges never exceed that cap; past it they are counted only.
// Thread: the run's thread (the connector's deliver() runs there); record() never touches SQLite.
// Failure: writePending() returns the SQL error; after a rollback the exchanges stay buffered.

#include "engine/connector/connector.h"
#include "engine/core/error.h"
#include "engine/state/exchangeredactor.h"

#include <QStringList>

#include <vector>

namespace syncline::engine::state {

class Workspace;

struct ExchangeLogLimits
{
    static constexpr qsizetype StoredBodyBytes = 64 * 1024; // per body, after redaction
    static constexpr int SampleFirst = 20; // successful exchanges kept at the start of a run
    static constexpr int SampleEvery = 100; // then one in this many
    static constexpr qint64 WorkspaceBytes = 50LL * 1024 * 1024; // every run's kept exchanges together

    qsizetype storedBodyBytes = StoredBodyBytes;
    int sampleFirst = SampleFirst;
    int sampleEvery = SampleEvery;
    qint64 workspaceBytes = WorkspaceBytes;
};

class ExchangeLog final : public connector::ExchangeRecorder
{
public:
    // `secretValues`: the run's resolved secrets; no occurrence of them is ever stored.
    ExchangeLog(Workspace &workspace, qint64 runId, const QStringList &secretValues, ExchangeLogLimits limits = {});
    ~ExchangeLog() override;
    ExchangeLog(const ExchangeLog &) = delete;
    ExchangeLog &operator=(const ExchangeLog &) = delete;

    void record(connector::Exchange exchange) override;

    // Writes what was recorded since the last committed write, and prunes older runs past the
    // cap. Call inside the caller's transaction; then pendingWritten() once it has committed.
    // On failure nothing of it was written, and the caller's own work in the transaction stands.
    Result<void> writePending();
    void pendingWritten();

    bool hasPending() const { return !m_pending.empty() || m_pendingRecorded > 0; }
    qint64 recorded() const { return m_recorded; }
    qint64 kept() const { return m_kept; }

    struct Row; // one redacted exchange waiting to be written

private:
    Result<void> writeRows();
    Result<void> prune();

    Workspace &m_workspace;
    qint64 m_runId = 0;
    ExchangeRedactor m_redactor;
    ExchangeLogLimits m_limits;
    std::vector<Row> m_pending;
    qint64 m_recorded = 0;
    qint64 m_succeeded = 0;
    qint64 m_kept = 0;
    qint64 m_keptBytes = 0; // written and pending, for the run's share of the cap
    // Counts not yet written to run_exchange_totals.
    qint64 m_pendingRecorded = 0;
    qint64 m_pendingFailed = 0;
    qint64 m_pendingOverCap = 0;
};

} // namespace syncline::engine::state
