#pragma once

#include "engine/connector/connectorregistry.h"
#include "engine/core/error.h"
#include "engine/definitions/definitions.h"
#include "engine/secrets/secretresolver.h"

#include <QMap>
#include <QObject>

#include <functional>
#include <memory>
#include <vector>

namespace syncline::ui {

// What the UI needs to create a destination's connector off the GUI thread: the registry and
// the secret resolver. Shared with the pool threads, so both are held by shared_ptr.
struct ConnectorAccess
{
    std::shared_ptr<const engine::connector::ConnectorRegistry> registry;
    std::shared_ptr<engine::SecretResolver> secrets;
};

// "Test connection" in plain words: a summary, what to do about a failure, and the exact error.
struct ConnectionReport
{
    bool ok = false;
    QString summary;
    QString hint;
    QString details;
    std::vector<engine::connector::ObjectSpec> objects;
};

// A connector error for a person; the code, details and message go to the Details area.
ConnectionReport describeDestinationError(const engine::Error &error);

// Each runs on the background pool: creates the destination's connector in that thread (typed
// but unsaved secrets resolve from `typedSecrets`, by key), asks it, and hands the answer to
// `context`'s thread; dropped when `context` is gone.
void testDestination(const ConnectorAccess &access, engine::DestinationDef destination,
                     QMap<QString, QString> typedSecrets, QObject *context, std::function<void(ConnectionReport)> done);
void listObjects(const ConnectorAccess &access, engine::DestinationDef destination, QObject *context,
                 std::function<void(engine::Result<std::vector<engine::connector::ObjectSpec>>)> done);
void describeObject(const ConnectorAccess &access, engine::DestinationDef destination, QString object,
                    QObject *context, std::function<void(engine::Result<engine::connector::ObjectSpec>)> done);

} // namespace syncline::ui
