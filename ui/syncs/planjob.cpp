#include "ui/syncs/planjob.h"

#include "engine/state/definitionstore.h"
#include "engine/sync/syncplanner.h"
#include "ui/services/backgroundpool.h"
#include "ui/services/backgroundpriority.h"
#include "ui/syncs/syncengine.h"

#include <QElapsedTimer>
#include <QPointer>
#include <QtConcurrent/QtConcurrentRun>

#include <atomic>

namespace syncline::ui {

namespace {

engine::Result<PlanPreview> planSync(const QString &path, const QString &syncName,
                                     const std::shared_ptr<engine::SecretResolver> &secrets,
                                     const engine::CancellationToken &cancellation,
                                     std::function<void(qint64)> progress)
{
    auto engine = SyncEngine::open(path, secrets);
    if (!engine)
        return std::unexpected(engine.error());
    engine::sync::PlanOptions options;
    options.cancellation = cancellation;
    options.diff.examplesPerKind = PlanJob::kInvalidExamplesPerKind; // the CLI keeps 5
    options.progress = std::move(progress);
    auto plan = engine::sync::SyncPlanner((*engine)->services()).plan(syncName, options);
    if (!plan)
        return std::unexpected(plan.error());
    PlanPreview preview;
    preview.syncName = syncName;
    preview.plan = *plan;
    preview.modelRows = qint64(plan->timings.value(QStringLiteral("model_rows")).toDouble());
    auto sync = engine::state::DefinitionStore((*engine)->workspace()).sync(syncName);
    if (sync && *sync) {
        preview.matchField = (*sync)->matchField;
        for (const engine::MappingEntry &entry : (*sync)->mapping)
            if (!preview.fields.contains(entry.field))
                preview.fields << entry.field;
        if (!preview.matchField.isEmpty() && !preview.fields.contains(preview.matchField))
            preview.fields.prepend(preview.matchField);
    }
    return preview;
}

} // namespace

PlanJob::PlanJob(std::shared_ptr<engine::SecretResolver> secrets, QObject *parent)
    : QObject(parent)
    , m_secrets(std::move(secrets))
{
}

PlanJob::~PlanJob()
{
    m_cancellation.cancel(); // the worker stops at its next block; its result is dropped
}

void PlanJob::start(const QString &workspacePath, const QString &syncName)
{
    m_cancellation.cancel();
    m_cancellation = engine::CancellationToken();
    const quint64 generation = ++m_generation;
    m_running = true;
    m_rowsRead = 0;
    QPointer<PlanJob> guard(this);
    const engine::CancellationToken cancellation = m_cancellation;
    auto secrets = m_secrets;
    (void)QtConcurrent::run(&backgroundPool(), [guard, generation, workspacePath, syncName, secrets, cancellation] {
        lowerThreadPriority();
        // Progress crosses to the GUI thread at most every 100 ms.
        auto lastReport = std::make_shared<QElapsedTimer>();
        lastReport->start();
        auto progress = [guard, generation, lastReport](qint64 rows) {
            if (lastReport->elapsed() < 100)
                return;
            lastReport->restart();
            if (!guard)
                return;
            QMetaObject::invokeMethod(guard.data(), [guard, generation, rows] {
                if (guard && guard->m_generation == generation) {
                    guard->m_rowsRead = rows;
                    emit guard->progressed(rows);
                }
            }, Qt::QueuedConnection);
        };
        auto result = planSync(workspacePath, syncName, secrets, cancellation, progress);
        if (!guard)
            return;
        QMetaObject::invokeMethod(guard.data(), [guard, generation, result = std::move(result)] {
            if (!guard || guard->m_generation != generation)
                return;
            guard->m_running = false;
            if (result)
                emit guard->planned(*result);
            else
                emit guard->failed(result.error());
        }, Qt::QueuedConnection);
    });
}

void PlanJob::cancel()
{
    m_cancellation.cancel();
}

} // namespace syncline::ui
