#pragma once

#include "engine/core/error.h"
#include "engine/definitions/definitions.h"
#include "engine/secrets/secretresolver.h"
#include "engine/warehouse/odbcconnection.h"

#include <functional>
#include <memory>

namespace syncline::ui {

// Opens a warehouse connection when called: on the worker thread that will use it.
using ConnectionOpener = std::function<engine::Result<std::unique_ptr<engine::warehouse::OdbcConnection>>()>;

// A DSN name has no '='; anything else is a connection string.
engine::warehouse::ConnectionSpec connectionSpec(const QString &connection, const std::optional<QString> &password);
ConnectionOpener connectionOpener(engine::warehouse::ConnectionSpec spec);
// Resolves the source's password through `secrets` (on the worker thread) before connecting.
ConnectionOpener connectionOpener(const engine::SourceDef &source, std::shared_ptr<engine::SecretResolver> secrets);

} // namespace syncline::ui
