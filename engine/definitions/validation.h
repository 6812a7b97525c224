#pragma once
// Checks one definition on its own, before it is stored or imported: names, required fields,
// mapping entries, casts, guardrails, and that no password sits in a connection string.
// Cross references (a model's source exists, ...) are checked by the DefinitionStore.
// Failure: "definitions.invalid" with a message naming the definition and the field.

#include "engine/core/error.h"
#include "engine/definitions/definitions.h"

namespace syncline::engine {

Result<void> validateSource(const SourceDef &source);
Result<void> validateModel(const ModelDef &model);
Result<void> validateDestination(const DestinationDef &destination);
Result<void> validateSync(const SyncDef &sync);

// "text", "number", "integer", "boolean", "date", "date:FORMAT", "timestamp", "timestamp:FORMAT"
bool isKnownCast(const QString &cast);
QString knownCastsText(); // for messages

} // namespace syncline::engine
