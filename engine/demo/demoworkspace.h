#pragma once
// The demo workspace's definitions: the embedded demo warehouse as a source, a customers model
// on it, a CSV file destination and a sync between them, so a new user can plan and send
// something within a minute. Installing is idempotent and never overwrites a definition the user
// has changed: a name that exists already is left as it is.

#include "engine/core/error.h"

#include <QString>

namespace syncline::engine::state {
class DefinitionStore;
}

namespace syncline::engine::demo {

struct DemoNames
{
    static QString source() { return QStringLiteral("demo-warehouse"); }
    static QString model() { return QStringLiteral("customers"); }
    static QString destination() { return QStringLiteral("demo-exports"); }
    static QString sync() { return QStringLiteral("customers-to-csv"); }
};

// Creates the demo warehouse if needed (see demowarehouse.h) and the demo definitions that are
// missing. `exportFolder` is where the file destination writes (created if missing).
Result<void> installDemoDefinitions(state::DefinitionStore &definitions, const QString &exportFolder,
                                    const QString &warehouseFolder = {});

// <data folder>/demo-exports (engine/core/appfolders.h), or $SYNCLINE_DEMO_DIR/exports when that is set.
QString defaultDemoExportFolder();

} // namespace syncline::engine::demo
