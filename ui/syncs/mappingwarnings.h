#pragma once

#include "engine/connector/connector.h"
#include "engine/definitions/definitions.h"
#include "engine/warehouse/column.h"
#include "ui/syncs/mappingstate.h"

#include <QList>
#include <QString>
#include <QStringList>

#include <vector>

namespace syncline::ui {

// One problem the mapper shows before the user can run. Severe ones are the problems the
// engine would refuse the sync for: they block "run".
struct MappingWarning
{
    enum class Severity { Info, Warning, Severe };
    enum class Kind {
        TypeMismatch, // the value's type does not fit the field's; suggestedCast fixes it
        RequiredUnmapped, // a required field has no mapping
        ReadOnlyField, // a mapping writes a read-only field
        MatchNotIdentifier, // the match field cannot identify records
        MatchNotUnique, // the match column is not the model's primary key: rows may collide
        NoMatchKey, // the object has identifier fields but no match key is chosen
        InvalidEntry, // unknown column, unknown cast, a template or constant that does not parse
        Engine, // anything else the engine's compile refuses, in its words
        MatchIgnoresCase, // the match field folds case: text keys differing in case collide
    };
    Severity severity = Severity::Warning;
    Kind kind = Kind::InvalidEntry;
    QString field; // the destination field concerned, if any
    QString column; // the model column concerned, if any
    QString message; // what, where and how to fix
    QString suggestedCast; // TypeMismatch: a cast that makes the value fit
    bool blocksRun() const { return severity == Severity::Severe; }
    bool operator==(const MappingWarning &) const = default;
};

struct MappingCheck
{
    const MappingState &state;
    const std::vector<engine::warehouse::Column> &columns; // empty: the model is not known yet
    const engine::connector::ObjectSpec &object;
    QStringList primaryKey;
    engine::SyncMode mode = engine::SyncMode::Upsert;
};

// Every warning for `check`, severe first, then in field order. Runs the engine's own compile
// last, so that anything it would refuse shows up even when no rule here names it.
QList<MappingWarning> checkMapping(const MappingCheck &check);

// "text", "number", ... as casts and messages spell field types.
QString fieldTypeName(engine::connector::FieldType type);

} // namespace syncline::ui
