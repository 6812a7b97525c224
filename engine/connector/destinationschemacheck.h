#pragma once
// Checks each destination of a YAML file against its connector's settings schema, before anything
// is imported: an unknown type, an unknown or missing setting or secret, a value of the wrong type.
// Each problem names the line and column of the offending node (from the codec's YamlPositions)
// and, for a misspelt name, the nearest valid one. Pure; any thread (the registry is read-only).

#include "engine/connector/connectorregistry.h"
#include "engine/core/error.h"
#include "engine/definitions/definitions.h"
#include "engine/definitions/yamlcodec.h"

#include <vector>

namespace syncline::engine::connector {

struct SchemaProblem
{
    QString destination;
    YamlPosition position; // 0, 0 when unknown (definitions that did not come from YAML)
    QString
        message; // "line 7, column 7: destination 'crm-api': unknown setting 'batchsize'; did you mean 'batch_size'?"
};

// Every problem, in file order; empty when every destination fits its connector.
std::vector<SchemaProblem> checkDestinationSchemas(
    const Definitions &definitions, const YamlPositions &positions, const ConnectorRegistry &registry);

// As above, as one "definitions.schema" error listing every problem, one per line.
Result<void> checkDestinationsAgainstSchemas(
    const Definitions &definitions, const YamlPositions &positions, const ConnectorRegistry &registry);

} // namespace syncline::engine::connector
