#include "ui/syncs/sendcontroller.h"

#include "engine/sync/syncrunner.h"
#include "ui/services/backgroundpool.h"
#include "ui/services/backgroundpriority.h"
#include "ui/syncs/syncengine.h"

#include <QPointer>
#include <QtConcurrent/QtConcurrentRun>

#include <cmath>

namespace syncline::ui {

SendController::SendController(std::shared_ptr<engine::SecretResolver> secrets, QObject *parent)
    : QObject(parent)
    , m_secrets(std::move(secrets))
{
}

SendController::~SendController()
{
    // A send still going stops after its batch in flight, as with Ctrl-C; its result is dropped.
    m_cancellation.cancel();
}

bool SendController::start(const QString &workspacePath, qint64 planId, bool force)
{
    if (m_running)
        return false;
    m_running = true;
    m_cancellation = engine::CancellationToken();
    m_progress = SendProgress{};
    m_clock.start();
    QPointer<SendController> guard(this);
    const engine::CancellationToken cancellation = m_cancellation;
    auto secrets = m_secrets;
    (void)QtConcurrent::run(&backgroundPool(), [guard, workspacePath, planId, force, secrets, cancellation] {
        lowerThreadPriority();
        auto lastReport = std::make_shared<QElapsedTimer>();
        engine::sync::ApplyOptions options;
        options.force = force;
        options.cancellation = cancellation;
        options.trigger = engine::state::RunTrigger::Manual;
        // Counts cross to the GUI thread at most every 100 ms (and the first one at once).
        options.progress = [guard, lastReport](qint64 runId, const engine::state::RunCounts &counts) {
            if (lastReport->isValid() && lastReport->elapsed() < 100)
                return;
            lastReport->start();
            if (!guard)
                return;
            QMetaObject::invokeMethod(guard.data(), [guard, runId, counts] {
                if (guard)
                    guard->onCounts(runId, counts);
            }, Qt::QueuedConnection);
        };
        engine::Result<engine::state::RunInfo> run = [&]() -> engine::Result<engine::state::RunInfo> {
            auto engine = SyncEngine::open(workspacePath, secrets);
            if (!engine)
                return std::unexpected(engine.error());
            return engine::sync::SyncRunner((*engine)->services()).apply(planId, options);
        }();
        if (!guard)
            return;
        QMetaObject::invokeMethod(guard.data(), [guard, run = std::move(run)] {
            if (!guard)
                return;
            guard->m_running = false;
            if (!run) {
                emit guard->failed(run.error());
                return;
            }
            guard->onCounts(run->id, run->counts);
            emit guard->finished(*run);
        }, Qt::QueuedConnection);
    });
    return true;
}

void SendController::cancel()
{
    m_cancellation.cancel();
}

void SendController::onCounts(qint64 runId, const engine::state::RunCounts &counts)
{
    const bool first = m_progress.runId == 0;
    m_progress.runId = runId;
    m_progress.planned = counts.planned;
    m_progress.sent = counts.sent;
    m_progress.accepted = counts.accepted;
    m_progress.rejected = counts.rejected;
    const double seconds = double(m_clock.elapsed()) / 1000.0;
    if (counts.sent > 0 && seconds > 0) {
        m_progress.rowsPerSecond = double(counts.sent) / seconds;
        m_progress.secondsLeft = qint64(std::ceil(double(counts.planned - counts.sent) / m_progress.rowsPerSecond));
    }
    if (first)
        emit started(runId);
    emit progressed(m_progress);
}

} // namespace syncline::ui
