#include "ui/keychainsecrets.h"

#include <qt6keychain/keychain.h>

#include <QEventLoop>
#include <QPointer>
#include <QProcessEnvironment>

namespace syncline::ui {

using engine::fail;
using engine::Result;
using engine::SecretRef;

QString KeychainSecrets::serviceName()
{
    return QStringLiteral("Syncline");
}

Result<QString> KeychainSecrets::resolve(const SecretRef &ref)
{
    switch (ref.kind) {
    case SecretRef::Kind::None:
        return QString();
    case SecretRef::Kind::Env: {
        const QString value = QProcessEnvironment::systemEnvironment().value(ref.name);
        if (value.isEmpty())
            return fail(QStringLiteral("secret.missing"),
                        QStringLiteral("The environment variable %1 is not set: set it to the password.").arg(ref.name));
        return value;
    }
    case SecretRef::Kind::Keychain:
        break;
    }
    QKeychain::ReadPasswordJob job(serviceName());
    job.setAutoDelete(false);
    job.setKey(ref.name);
    QEventLoop loop;
    QObject::connect(&job, &QKeychain::Job::finished, &loop, &QEventLoop::quit);
    job.start();
    loop.exec();
    if (job.error() != QKeychain::NoError)
        return fail(QStringLiteral("secret.missing"),
                    QStringLiteral("The password \"%1\" could not be read from the system keychain (%2). "
                                   "Open the source and enter the password again.")
                        .arg(ref.name, job.errorString()));
    return job.textData();
}

void KeychainSecrets::store(const QString &name, const QString &secret, QObject *context,
                            std::function<void(Result<void>)> done)
{
    auto *job = new QKeychain::WritePasswordJob(serviceName());
    job->setAutoDelete(true);
    job->setKey(name);
    job->setTextData(secret);
    QObject::connect(job, &QKeychain::Job::finished, context, [job, name, done = std::move(done)] {
        if (job->error() != QKeychain::NoError) {
            done(fail(QStringLiteral("secret.store"),
                      QStringLiteral("The password could not be saved in the system keychain (%1): %2")
                          .arg(name, job->errorString())));
            return;
        }
        done({});
    });
    job->start();
}

} // namespace syncline::ui
