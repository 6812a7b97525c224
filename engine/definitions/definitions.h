#pragma once
// The user's definitions as plain values: what a workspace stores and YAML round-trips.
// No secrets: a secret is referenced by name (env variable or keychain entry).

#include <QMap>
#include <QString>
#include <QStringList>
#include <QVariantMap>

#include <optional>
#include <vector>

namespace syncline::engine {

// Where a secret's value lives. Resolved at run time by a SecretResolver.
struct SecretRef
{
    enum class Kind { None, Env, Keychain };
    Kind kind = Kind::None;
    QString name; // env variable name, or keychain entry name
    bool operator==(const SecretRef &) const = default;
};

// Where a sync's diff is computed (README "Change detection"); the plan is the same in each.
enum class ChangeDetection {
    Local,         // every model row comes to the laptop and is diffed there
    WarehouseHash, // the warehouse hashes the mapped columns; only new and changed rows come
    Warehouse,     // the warehouse keeps the delivered state in planner_schema and computes the plan
};

struct SourceDef
{
    QString name;
    QString connection; // DSN name or ODBC connection string, never with a password in it
    SecretRef password;
    std::optional<ChangeDetection> changeDetection; // default for its syncs; unset: best available
    QString plannerSchema; // a schema Syncline may write its state tables to (mode warehouse)
    bool operator==(const SourceDef &) const = default;
};

struct ModelDef
{
    QString name;
    QString source;          // SourceDef::name
    QString sql;
    QStringList primaryKey;  // one or more column names
    bool operator==(const ModelDef &) const = default;
};

struct DestinationDef
{
    QString name;
    QString type;                   // connector type id, e.g. "file", "hubspot"
    QVariantMap settings;           // connector-specific, secret-free
    QMap<QString, SecretRef> secrets; // e.g. "token" -> { env: HUBSPOT_TOKEN }
    bool operator==(const DestinationDef &) const = default;
};

// One line of a sync's mapping: exactly one of column / templateText / value is set.
struct MappingEntry
{
    enum class SourceKind { Column, Template, Constant };
    SourceKind kind = SourceKind::Column;
    QString column;        // kind == Column
    QString templateText;  // kind == Template, mustache over the row's columns
    QString value;         // kind == Constant
    QString field;         // destination field
    QString cast;          // optional: "text", "number", "integer", "boolean", "date:FORMAT", "timestamp:FORMAT"
    bool operator==(const MappingEntry &) const = default;

    static MappingEntry fromColumn(QString column, QString field, QString cast = {})
    {
        return {SourceKind::Column, std::move(column), {}, {}, std::move(field), std::move(cast)};
    }
    static MappingEntry fromTemplate(QString text, QString field, QString cast = {})
    {
        return {SourceKind::Template, {}, std::move(text), {}, std::move(field), std::move(cast)};
    }
    static MappingEntry fromValue(QString value, QString field, QString cast = {})
    {
        return {SourceKind::Constant, {}, {}, std::move(value), std::move(field), std::move(cast)};
    }
};

enum class SyncMode { Upsert, UpdateOnly, InsertOnly, Mirror, All };
enum class RemovedRowAction { Ignore, Clear, Delete };

struct Guardrails
{
    double maxRemovedShare = 0.20;   // stop when a run would remove more than this share of the ledger
    bool stopOnEmptyModel = true;    // stop when the model returns no rows while the ledger is not empty
    bool operator==(const Guardrails &) const = default;
};

struct SyncDef
{
    QString name;
    QString model;        // ModelDef::name
    QString destination;  // DestinationDef::name
    QString object;       // destination object, e.g. "contacts"
    SyncMode mode = SyncMode::Upsert;
    std::optional<RemovedRowAction> onRemoved; // unset -> mode's default (mirror: delete, else ignore)
    QString matchColumn;  // model column identifying the record
    QString matchField;   // destination field it matches
    std::vector<MappingEntry> mapping;
    QString schedule;     // empty = manual; e.g. "every 15m", "daily 06:00", cron text
    Guardrails guardrails;
    std::optional<ChangeDetection> changeDetection; // unset: the source's, else best available
    int extractConnections = 1; // local mode: connections the model is read over (1..16, keysplit.h)
    bool operator==(const SyncDef &) const = default;

    RemovedRowAction effectiveOnRemoved() const
    {
        if (onRemoved)
            return *onRemoved;
        return mode == SyncMode::Mirror ? RemovedRowAction::Delete : RemovedRowAction::Ignore;
    }
};

// Everything a workspace defines, as one value: what YAML import/export and the store exchange.
struct Definitions
{
    std::vector<SourceDef> sources;
    std::vector<ModelDef> models;
    std::vector<DestinationDef> destinations;
    std::vector<SyncDef> syncs;
    bool operator==(const Definitions &) const = default;
};

QString syncModeName(SyncMode mode);            // "upsert", "update", "insert", "mirror", "all"
std::optional<SyncMode> syncModeFromName(const QString &name);
QString removedRowActionName(RemovedRowAction action); // "ignore", "clear", "delete"
std::optional<RemovedRowAction> removedRowActionFromName(const QString &name);
QString changeDetectionName(ChangeDetection mode); // "local", "warehouse_hash", "warehouse"
std::optional<ChangeDetection> changeDetectionFromName(const QString &name);
QString secretKindName(SecretRef::Kind kind);  // "none", "env", "keychain"
std::optional<SecretRef::Kind> secretKindFromName(const QString &name);

// True when an ODBC connection string carries a password (a PWD= or PASSWORD= key); such a string
// must not be stored: the password belongs in a SecretRef.
bool connectionStringHasPassword(const QString &connection);

} // namespace syncline::engine
