#include "engine/secrets/keychainsecretresolver.h"

#include <QCoreApplication>
#include <QEventLoop>
#include <qt6keychain/keychain.h>

namespace syncline::engine::secrets {

namespace {

// Starts the job and waits for it in a local event loop.
Result<void> runJob(QKeychain::Job &job, const QString &entry, const QString &service)
{
    if (!QCoreApplication::instance())
        return fail(QStringLiteral("secret.keychain_unavailable"),
            QStringLiteral("the keychain needs a running Qt application; resolve keychain secrets inside Syncline"));
    job.setAutoDelete(false);
    job.setKey(entry);
    QEventLoop loop;
    QObject::connect(&job, &QKeychain::Job::finished, &loop, &QEventLoop::quit);
    job.start();
    loop.exec();
    switch (job.error()) {
    case QKeychain::NoError:
        return {};
    case QKeychain::EntryNotFound:
        return fail(QStringLiteral("secret.missing"),
            QStringLiteral("the keychain has no entry '%1' (service %2); store the password in Syncline's "
                           "connection settings, or use { env: VARIABLE } for headless runs")
                .arg(entry, service),
            false, { { QStringLiteral("keychain"), entry } });
    case QKeychain::AccessDenied:
    case QKeychain::AccessDeniedByUser:
        return fail(QStringLiteral("secret.denied"),
            QStringLiteral("the keychain refused access to entry '%1' (service %2): %3; unlock the keychain and retry")
                .arg(entry, service, job.errorString()),
            true, { { QStringLiteral("keychain"), entry } });
    case QKeychain::CouldNotDeleteEntry:
    case QKeychain::NoBackendAvailable:
    case QKeychain::NotImplemented:
    case QKeychain::OtherError:
        break;
    }
    return fail(QStringLiteral("secret.keychain_unavailable"),
        QStringLiteral(
            "the OS keychain is not available for entry '%1' (%2); on a server use { env: VARIABLE } instead")
            .arg(entry, job.errorString()),
        false, { { QStringLiteral("keychain"), entry } });
}

} // namespace

KeychainSecretResolver::KeychainSecretResolver(QString service)
    : m_service(std::move(service))
{ }

Result<QString> KeychainSecretResolver::resolve(const SecretRef &ref)
{
    if (ref.kind != SecretRef::Kind::Keychain)
        return fail(QStringLiteral("secret.unsupported"),
            QStringLiteral("secret '%1' is a %2 reference, not a keychain entry")
                .arg(ref.name, secretKindName(ref.kind)));
    return read(ref.name);
}

Result<void> KeychainSecretResolver::store(const SecretRef &ref, const QString &value)
{
    if (ref.kind != SecretRef::Kind::Keychain)
        return SecretResolver::store(ref, value);
    return store(ref.name, value);
}

Result<QString> KeychainSecretResolver::read(const QString &entry)
{
    QKeychain::ReadPasswordJob job(m_service);
    if (auto ok = runJob(job, entry, m_service); !ok)
        return std::unexpected(ok.error());
    return job.textData();
}

Result<void> KeychainSecretResolver::store(const QString &entry, const QString &secret)
{
    if (entry.trimmed().isEmpty())
        return fail(QStringLiteral("secret.invalid"), QStringLiteral("a keychain entry needs a name"));
    QKeychain::WritePasswordJob job(m_service);
    job.setTextData(secret);
    return runJob(job, entry, m_service);
}

Result<void> KeychainSecretResolver::remove(const QString &entry)
{
    QKeychain::DeletePasswordJob job(m_service);
    auto result = runJob(job, entry, m_service);
    if (!result && result.error().code == QLatin1String("secret.missing"))
        return {};
    return result;
}

} // namespace syncline::engine::secrets
