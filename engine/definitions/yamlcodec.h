#pragma once
// Definitions as code: parses a YAML document into a Definitions bundle and emits one back in a
// stable, review-friendly layout (fixed key order, block style, flow style for short maps, SQL
// with line breaks as a literal block). write(parse(write(x))) == write(x) byte for byte.
// Secret-free both ways: a connection string with a password is refused, secrets are references.
// Failure: "definitions.yaml" with "line L, column C: <definition>: <what is wrong>".
// Pure functions of their input; any thread.

#include "engine/core/error.h"
#include "engine/definitions/definitions.h"

#include <QByteArray>
#include <QHash>

namespace syncline::engine {

// Where a node of the file is, 1-based, for checks made after parsing (e.g. against a connector's schema).
struct YamlPosition
{
    int line = 0;
    int column = 0;
};
// Keys: "destination/NAME" (its name), ".../type" (the type's value), ".../settings" and
// ".../secrets" (the map), ".../settings/KEY" and ".../secrets/KEY" (the key), and
// ".../settings/KEY/value" (the value).
using YamlPositions = QHash<QString, YamlPosition>;

class YamlCodec
{
public:
    static Result<Definitions> parse(const QByteArray &yaml);
    // As parse(), and fills `lines` with the line (1-based) where each definition starts, keyed
    // "kind/name" (e.g. "sync/customers-to-exports"), so later errors can point into the file.
    static Result<Definitions> parse(const QByteArray &yaml, QHash<QString, int> *lines);
    // As parse(), and fills `positions` (see YamlPositions).
    static Result<Definitions> parse(const QByteArray &yaml, QHash<QString, int> *lines, YamlPositions *positions);
    static QByteArray write(const Definitions &definitions);
};

} // namespace syncline::engine
