#pragma once

#include "engine/core/error.h"

#include <QObject>
#include <QString>

#include <functional>

namespace syncline::ui {

// Stores a secret (a warehouse password) in the OS keychain under `name`, asynchronously;
// `done` runs on `context`'s thread. The workspace keeps only SecretRef{Keychain, name}.
class SecretWriter
{
public:
    virtual ~SecretWriter() = default;
    virtual void store(const QString &name, const QString &secret, QObject *context,
                       std::function<void(engine::Result<void>)> done) = 0;
};

} // namespace syncline::ui
