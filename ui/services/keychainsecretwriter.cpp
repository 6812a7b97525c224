#include "ui/services/keychainsecretwriter.h"

#include "engine/secrets/keychainsecretresolver.h"
#include "ui/services/backgroundpool.h"

#include <QFutureWatcher>
#include <QtConcurrent/QtConcurrentRun>

namespace syncline::ui {

using engine::Result;

void KeychainSecretWriter::store(const QString &name, const QString &secret, QObject *context,
                                 std::function<void(Result<void>)> done)
{
    auto *watcher = new QFutureWatcher<Result<void>>(context);
    QObject::connect(watcher, &QFutureWatcher<Result<void>>::finished, context, [watcher, done = std::move(done)] {
        watcher->deleteLater();
        done(watcher->result());
    });
    watcher->setFuture(QtConcurrent::run(&backgroundPool(), [name, secret]() -> Result<void> {
        return engine::secrets::KeychainSecretResolver().store(name, secret);
    }));
}

} // namespace syncline::ui
