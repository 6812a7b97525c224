#include "ui/destinations/destinationdiscovery.h"

#include "ui/services/backgroundpool.h"

#include <QCoreApplication>
#include <QPointer>
#include <QtConcurrent/QtConcurrentRun>

namespace syncline::ui {

using engine::Error;
using engine::Result;
using engine::SecretRef;
using engine::connector::Connector;
using engine::connector::ObjectSpec;

namespace {

QString tr(const char *text)
{
    return QCoreApplication::translate("syncline::ui::DestinationDiscovery", text);
}

constexpr auto kTypedPrefix = "unsaved-in-form/";

// Resolves the secrets typed in the form (not yet in the keychain), then the stored ones.
class TypedSecretResolver final : public engine::SecretResolver
{
public:
    TypedSecretResolver(engine::SecretResolver *stored, QMap<QString, QString> typed)
        : m_stored(stored)
        , m_typed(std::move(typed))
    { }
    Result<QString> resolve(const SecretRef &ref) override
    {
        if (ref.name.startsWith(QLatin1String(kTypedPrefix)))
            return m_typed.value(ref.name.mid(int(qstrlen(kTypedPrefix))));
        if (!m_stored)
            return engine::fail(QStringLiteral("secret.missing"), tr("No secret store is available."));
        return m_stored->resolve(ref);
    }
    Result<void> store(const SecretRef &, const QString &) override { return {}; } // a test rotates nothing

private:
    engine::SecretResolver *m_stored;
    QMap<QString, QString> m_typed;
};

// Runs `work` on the pool and `done` with its value on `context`'s thread.
template <typename R>
void inBackground(QObject *context, std::function<R()> work, std::function<void(R)> done)
{
    QPointer<QObject> guard(context);
    (void)QtConcurrent::run(&backgroundPool(), [guard, work = std::move(work), done = std::move(done)] {
        R result = work();
        if (!guard)
            return;
        QMetaObject::invokeMethod(guard.data(), [guard, done, result = std::move(result)] {
            if (guard)
                done(result);
        }, Qt::QueuedConnection);
    });
}

Result<std::unique_ptr<Connector>> create(const ConnectorAccess &access, const engine::DestinationDef &destination,
                                          engine::SecretResolver &secrets)
{
    if (!access.registry)
        return engine::fail(QStringLiteral("destination.unknown_type"), tr("No connectors are registered."));
    return access.registry->create(destination, secrets);
}

QString objectNames(const std::vector<ObjectSpec> &objects)
{
    QStringList names;
    for (const ObjectSpec &object : objects)
        names << object.name;
    constexpr int kShown = 8;
    QString text = QStringList(names.mid(0, kShown)).join(QStringLiteral(", "));
    if (names.size() > kShown)
        text += tr(" and %1 more").arg(names.size() - kShown);
    return text;
}

} // namespace

ConnectionReport describeDestinationError(const Error &error)
{
    ConnectionReport report;
    QStringList lines{QStringLiteral("code: ") + error.code};
    for (auto it = error.details.cbegin(); it != error.details.cend(); ++it)
        lines << it.key() + QStringLiteral(": ") + it.value();
    lines << QStringLiteral("message: ") + error.message;
    report.details = lines.join(QLatin1Char('\n'));
    const QString status = error.detail(QStringLiteral("http_status"));
    if (error.code.startsWith(QLatin1String("secret."))) {
        report.summary = tr("A secret of this destination could not be read.");
        report.hint = tr("Type the secret again in the form; it is kept in the system keychain.");
    } else if (status == QLatin1String("401") || status == QLatin1String("403")) {
        report.summary = tr("The service refused the credentials (HTTP %1).").arg(status);
        report.hint = tr("Check the token or sign in again.");
    } else if (error.code == QLatin1String("file.folder_missing")) {
        report.summary = tr("The folder does not exist.");
        report.hint = error.message;
    } else if (error.code == QLatin1String("file.folder_not_writable")) {
        report.summary = tr("Syncline cannot write to the folder.");
        report.hint = error.message;
    } else if (error.code == QLatin1String("destination.unknown_type")) {
        report.summary = tr("This version of Syncline has no connector of that type.");
    } else if (error.message.contains(QLatin1String("refused"), Qt::CaseInsensitive)
               || error.message.contains(QLatin1String("host not found"), Qt::CaseInsensitive)
               || error.code.endsWith(QLatin1String("unreachable"))) {
        report.summary = tr("Syncline could not reach the destination.");
        report.hint = tr("Check the address, that the service is up, and whether a VPN or firewall is in the way.");
    } else {
        report.summary = tr("The destination is not usable yet.");
        report.hint = error.message;
    }
    return report;
}

void testDestination(const ConnectorAccess &access, engine::DestinationDef destination, QMap<QString, QString> typedSecrets,
                     QObject *context, std::function<void(ConnectionReport)> done)
{
    for (auto it = typedSecrets.cbegin(); it != typedSecrets.cend(); ++it)
        destination.secrets.insert(it.key(), SecretRef{SecretRef::Kind::Keychain, QLatin1String(kTypedPrefix) + it.key()});
    inBackground<ConnectionReport>(context, [access, destination, typedSecrets]() -> ConnectionReport {
        TypedSecretResolver secrets(access.secrets.get(), typedSecrets);
        auto connector = create(access, destination, secrets);
        if (!connector)
            return describeDestinationError(connector.error());
        auto objects = (*connector)->objects();
        if (!objects)
            return describeDestinationError(objects.error());
        ConnectionReport report;
        report.ok = true;
        report.objects = *objects;
        const bool discovers = (*connector)->capabilities().discoversObjects;
        if (!objects->empty())
            report.summary = tr("Connected. Its objects: %1.").arg(objectNames(*objects));
        else if (discovers)
            report.summary = tr("Connected. It has no objects yet.");
        else
            report.summary = tr("Ready. This destination takes any object name; a sync names its own.");
        return report;
    }, std::move(done));
}

void listObjects(const ConnectorAccess &access, engine::DestinationDef destination, QObject *context,
                 std::function<void(Result<std::vector<ObjectSpec>>)> done)
{
    inBackground<Result<std::vector<ObjectSpec>>>(context, [access, destination]() -> Result<std::vector<ObjectSpec>> {
        TypedSecretResolver secrets(access.secrets.get(), {});
        auto connector = create(access, destination, secrets);
        if (!connector)
            return std::unexpected(connector.error());
        return (*connector)->objects();
    }, std::move(done));
}

void describeObject(const ConnectorAccess &access, engine::DestinationDef destination, QString object, QObject *context,
                    std::function<void(Result<ObjectSpec>)> done)
{
    inBackground<Result<ObjectSpec>>(context, [access, destination, object]() -> Result<ObjectSpec> {
        TypedSecretResolver secrets(access.secrets.get(), {});
        auto connector = create(access, destination, secrets);
        if (!connector)
            return std::unexpected(connector.error());
        return (*connector)->object(object);
    }, std::move(done));
}

} // namespace syncline::ui
