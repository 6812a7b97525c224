#include "engine/secrets/envsecretresolver.h"

namespace syncline::engine::secrets {

Result<QString> EnvSecretResolver::resolve(const SecretRef &ref)
{
    if (ref.kind != SecretRef::Kind::Env)
        return fail(QStringLiteral("secret.unsupported"),
            QStringLiteral("secret '%1' is a %2 reference, not an environment variable")
                .arg(ref.name, secretKindName(ref.kind)));
    if (ref.name.isEmpty() || !qEnvironmentVariableIsSet(ref.name.toLocal8Bit().constData()))
        return fail(QStringLiteral("secret.missing"),
            QStringLiteral("the environment variable %1 is not set; set it to the secret before running "
                           "(e.g. export %1=...)")
                .arg(ref.name.isEmpty() ? QStringLiteral("(unnamed)") : ref.name),
            false, { { QStringLiteral("env"), ref.name } });
    return qEnvironmentVariable(ref.name.toLocal8Bit().constData());
}

} // namespace syncline::engine::secrets
