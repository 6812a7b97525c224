#pragma once
// Resolves { env: NAME } references from the process environment: the headless way (cron, CI,
// servers). Other kinds are refused with "secret.unsupported". Thread: any.

#include "engine/secrets/secretresolver.h"

namespace syncline::engine::secrets {

class EnvSecretResolver : public SecretResolver
{
public:
    Result<QString> resolve(const SecretRef &ref) override;
};

} // namespace syncline::engine::secrets
