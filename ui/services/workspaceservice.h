#pragma once

#include "engine/core/error.h"
#include "engine/state/workspace.h"

#include <QMetaObject>
#include <QObject>
#include <QPointer>
#include <QThread>

#include <functional>
#include <memory>

namespace syncline::ui {

// Owns the open workspace on a thread of its own, so no SQLite file work runs on the GUI thread.
// call() runs work against the workspace on that thread and hands the result (a value) back
// to `context`'s thread; a result for a destroyed context is dropped.
class WorkspaceService : public QObject
{
    Q_OBJECT
public:
    explicit WorkspaceService(QObject *parent = nullptr);
    ~WorkspaceService() override;

    // Opens (creating when missing) the workspace at `path`; emits opened() or openFailed().
    // `prepare` runs first on the workspace thread (e.g. to create the demo workspace) and
    // returns the path to open.
    void open(const QString &path);
    void openPrepared(std::function<engine::Result<QString>()> prepare);
    QString path() const { return m_path; }
    bool isOpen() const { return !m_path.isEmpty(); }

    template <typename R>
    void call(QObject *context, std::function<R(engine::state::Workspace &)> work, std::function<void(R)> done)
    {
        QPointer<QObject> guard(context);
        post([this, guard, work = std::move(work), done = std::move(done)] {
            engine::state::Workspace *workspace = m_workspace.get();
            if (!workspace)
                return;
            R result = work(*workspace);
            if (!guard)
                return;
            QMetaObject::invokeMethod(guard.data(), [guard, done, result = std::move(result)] {
                if (guard)
                    done(result);
            }, Qt::QueuedConnection);
        });
    }

    // Tells every page that definitions changed (after a save or remove).
    void notifyChanged() { emit definitionsChanged(); }

signals:
    void opened(const QString &path);
    void openFailed(const QString &path, const syncline::engine::Error &error);
    void definitionsChanged();

private:
    void post(std::function<void()> work);

    QThread m_thread;
    QObject *m_threadContext = nullptr; // lives in m_thread; deleted there
    std::unique_ptr<engine::state::Workspace> m_workspace; // touched only on m_thread
    QString m_path; // GUI thread
};

} // namespace syncline::ui
