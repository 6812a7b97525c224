#include "ui/services/workspaceservice.h"

#include <QSemaphore>

namespace syncline::ui {

using engine::Result;
using engine::state::Workspace;

WorkspaceService::WorkspaceService(QObject *parent)
    : QObject(parent)
{
    m_thread.setObjectName(QStringLiteral("workspace"));
    // The context object that receives work is created on the workspace thread itself.
    QSemaphore ready;
    connect(&m_thread, &QThread::started, this, [this, &ready] {
        m_threadContext = new QObject;
        ready.release();
    }, Qt::DirectConnection);
    m_thread.start();
    ready.acquire();
}

WorkspaceService::~WorkspaceService()
{
    // Close the workspace on its own thread, after any work already queued (a short SQLite call).
    QMetaObject::invokeMethod(m_threadContext, [this] {
        m_workspace.reset();
        m_threadContext->deleteLater(); // deleted when the thread finishes
    }, Qt::BlockingQueuedConnection);
    m_thread.quit();
    m_thread.wait();
}

void WorkspaceService::post(std::function<void()> work)
{
    QMetaObject::invokeMethod(m_threadContext, std::move(work), Qt::QueuedConnection);
}

void WorkspaceService::open(const QString &path)
{
    openPrepared([path]() -> Result<QString> { return path; });
}

void WorkspaceService::openPrepared(std::function<Result<QString>()> prepare)
{
    QPointer<WorkspaceService> self(this);
    post([this, self, prepare = std::move(prepare)] {
        Result<QString> path = prepare();
        Result<std::unique_ptr<Workspace>> workspace = path ? Workspace::open(*path)
                                                            : Result<std::unique_ptr<Workspace>>(std::unexpected(path.error()));
        const QString openedPath = path ? *path : QString();
        if (workspace)
            m_workspace = std::move(*workspace);
        const std::optional<engine::Error> error = workspace ? std::nullopt : std::optional(workspace.error());
        QMetaObject::invokeMethod(this, [this, openedPath, error] {
            if (error) {
                emit openFailed(openedPath, *error);
                return;
            }
            m_path = openedPath;
            emit opened(openedPath);
        }, Qt::QueuedConnection);
    });
}

} // namespace syncline::ui
