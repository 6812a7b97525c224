#pragma once

#include "engine/core/cancellation.h"
#include "engine/core/error.h"
#include "engine/secrets/secretresolver.h"
#include "engine/state/runstore.h"

#include <QElapsedTimer>
#include <QObject>

#include <memory>

namespace syncline::ui {

// How far a send is: counts so far, and the rate and time left estimated from them.
struct SendProgress
{
    qint64 runId = 0;
    qint64 planned = 0;
    qint64 sent = 0;
    qint64 accepted = 0;
    qint64 rejected = 0;
    double rowsPerSecond = 0;  // 0 until a first batch is recorded
    qint64 secondsLeft = -1;   // -1: not known yet
};

// Sends exactly one previewed frozen plan (SyncRunner::apply, the code 'syncline-cli apply'
// runs) in the background pool on a private engine. cancel() is the CLI's Ctrl-C: the batch in
// flight finishes and is recorded, nothing else is sent, and the run ends "cancelled" with the
// ledger consistent. `force` is the CLI's --force: it sends a plan a guardrail blocked.
// One send at a time; signals arrive on the GUI thread.
class SendController : public QObject
{
    Q_OBJECT
public:
    SendController(std::shared_ptr<engine::SecretResolver> secrets, QObject *parent = nullptr);
    ~SendController() override;

    // False (and nothing happens) while a send is running.
    bool start(const QString &workspacePath, qint64 planId, bool force);
    void cancel();
    bool isRunning() const { return m_running; }
    bool isCancelling() const { return m_running && m_cancellation.isCancelled(); }
    const SendProgress &progress() const { return m_progress; }

signals:
    void started(qint64 runId);
    void progressed(const syncline::ui::SendProgress &progress);
    // The run ended (succeeded, partial, failed or cancelled): its record as stored.
    void finished(const syncline::engine::state::RunInfo &run);
    // Refused before anything was sent (a stale or blocked plan, a sync running elsewhere).
    void failed(const syncline::engine::Error &error);

private:
    void onCounts(qint64 runId, const engine::state::RunCounts &counts);

    std::shared_ptr<engine::SecretResolver> m_secrets;
    engine::CancellationToken m_cancellation;
    bool m_running = false;
    SendProgress m_progress;
    QElapsedTimer m_clock;
};

} // namespace syncline::ui
