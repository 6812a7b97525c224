#pragma once

#include "engine/core/cancellation.h"
#include "engine/core/error.h"
#include "engine/secrets/secretresolver.h"
#include "engine/state/planstore.h"

#include <QObject>
#include <QStringList>

#include <memory>

namespace syncline::ui {

// What a finished plan shows: the engine's frozen plan and the fields its payloads carry, in the
// sync's mapping order (the match field first when the mapping does not name it).
struct PlanPreview
{
    QString syncName;
    engine::state::PlanInfo plan;
    QStringList fields;
    QString matchField;
    qint64 modelRows = 0;
};

// Plans one sync through the engine (SyncPlanner, the same code as 'syncline-cli plan') in the
// background pool, on a private engine (syncengine.h). One plan at a time: start() cancels the
// previous one, whose result is dropped. Signals arrive on the GUI thread.
class PlanJob : public QObject
{
    Q_OBJECT
public:
    // Invalid rows are kept as examples with their reason, up to this many per kind of problem.
    static constexpr int kInvalidExamplesPerKind = 500;

    PlanJob(std::shared_ptr<engine::SecretResolver> secrets, QObject *parent = nullptr);
    ~PlanJob() override;

    void start(const QString &workspacePath, const QString &syncName);
    void cancel();
    bool isRunning() const { return m_running; }
    qint64 rowsRead() const { return m_rowsRead; }

signals:
    void progressed(qint64 rowsRead);
    void planned(const syncline::ui::PlanPreview &preview);
    void failed(const syncline::engine::Error &error);

private:
    std::shared_ptr<engine::SecretResolver> m_secrets;
    engine::CancellationToken m_cancellation;
    quint64 m_generation = 0;
    bool m_running = false;
    qint64 m_rowsRead = 0;
};

} // namespace syncline::ui
