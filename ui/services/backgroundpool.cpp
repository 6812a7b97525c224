#include "ui/services/backgroundpool.h"

#include "ui/services/mallocpolicy.h"

#include <QCoreApplication>
#include <QMutex>
#include <QPointer>

namespace syncline::ui {

QThreadPool &backgroundPool()
{
    // Owned by the application object, so it is destroyed (waiting for its tasks, which are all
    // cancellable) while Qt and the ODBC driver manager are still alive. A function-local static
    // pool was destroyed after main returned, among other static destructors, and could delete a
    // thread still finishing a task ("QThread: Destroyed while thread is still running").
    static QMutex mutex;
    static QPointer<QThreadPool> pool;
    QMutexLocker lock(&mutex);
    if (!pool) {
        // The pool's tasks are what free millions of small cells while the GUI thread runs.
        keepMallocFromStallingTheGui();
        pool = new QThreadPool(QCoreApplication::instance());
        pool->setMaxThreadCount(32);
        pool->setExpiryTimeout(30'000);
    }
    return *pool;
}

} // namespace syncline::ui
