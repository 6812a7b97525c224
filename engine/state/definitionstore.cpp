#include "engine/state/definitionstore.h"

#include "engine/definitions/validation.h"
#include "engine/state/sqlitestatement.h"
#include "engine/state/workspace.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>

namespace syncline::engine::state {

namespace {

const QString kNow = QStringLiteral("strftime('%Y-%m-%dT%H:%M:%fZ', 'now')");

std::unexpected<Error> invalid(const QString &message)
{
    return fail(QStringLiteral("definitions.invalid"), message);
}

// ---- JSON columns -------------------------------------------------------------------------------

QString toJson(const QJsonValue &value)
{
    const QJsonDocument document = value.isArray() ? QJsonDocument(value.toArray()) : QJsonDocument(value.toObject());
    return QString::fromUtf8(document.toJson(QJsonDocument::Compact));
}

Result<QJsonDocument> fromJson(const QString &text, const QString &where)
{
    QJsonParseError error;
    const QJsonDocument document = QJsonDocument::fromJson(text.toUtf8(), &error);
    if (error.error != QJsonParseError::NoError)
        return fail(QStringLiteral("definitions.corrupt"),
            QStringLiteral("%1 holds unreadable JSON in the workspace (%2); re-import its definition")
                .arg(where, error.errorString()));
    return document;
}

QJsonObject secretJson(const SecretRef &ref)
{
    return QJsonObject { { secretKindName(ref.kind), ref.name } };
}

SecretRef secretFromJson(const QJsonObject &object)
{
    for (auto it = object.begin(); it != object.end(); ++it) {
        if (auto kind = secretKindFromName(it.key()))
            return SecretRef { *kind, it.value().toString() };
    }
    return {};
}

QJsonArray mappingJson(const std::vector<MappingEntry> &mapping)
{
    QJsonArray array;
    for (const MappingEntry &entry : mapping) {
        QJsonObject object;
        switch (entry.kind) {
        case MappingEntry::SourceKind::Column:
            object.insert(QStringLiteral("column"), entry.column);
            break;
        case MappingEntry::SourceKind::Template:
            object.insert(QStringLiteral("template"), entry.templateText);
            break;
        case MappingEntry::SourceKind::Constant:
            object.insert(QStringLiteral("value"), entry.value);
            break;
        }
        object.insert(QStringLiteral("field"), entry.field);
        if (!entry.cast.isEmpty())
            object.insert(QStringLiteral("cast"), entry.cast);
        array.append(object);
    }
    return array;
}

std::vector<MappingEntry> mappingFromJson(const QJsonArray &array)
{
    std::vector<MappingEntry> mapping;
    for (const QJsonValue &value : array) {
        const QJsonObject object = value.toObject();
        MappingEntry entry;
        if (object.contains(QStringLiteral("template"))) {
            entry.kind = MappingEntry::SourceKind::Template;
            entry.templateText = object.value(QStringLiteral("template")).toString();
        } else if (object.contains(QStringLiteral("value"))) {
            entry.kind = MappingEntry::SourceKind::Constant;
            entry.value = object.value(QStringLiteral("value")).toString();
        } else {
            entry.column = object.value(QStringLiteral("column")).toString();
        }
        entry.field = object.value(QStringLiteral("field")).toString();
        entry.cast = object.value(QStringLiteral("cast")).toString();
        mapping.push_back(std::move(entry));
    }
    return mapping;
}

// ---- rows ---------------------------------------------------------------------------------------

template<typename T, typename ReadRow>
Result<std::vector<T>> queryAll(sqlite3 *db, const QString &sql, const QString &name, ReadRow readRow)
{
    auto statement = SqliteStatement::prepare(db, sql);
    if (!statement)
        return std::unexpected(statement.error());
    if (!name.isNull())
        statement->bind(1, name);
    std::vector<T> rows;
    for (;;) {
        auto row = statement->step();
        if (!row)
            return std::unexpected(row.error());
        if (!*row)
            break;
        auto value = readRow(*statement);
        if (!value)
            return std::unexpected(value.error());
        rows.push_back(std::move(*value));
    }
    return rows;
}

template<typename T> Result<std::optional<T>> firstOf(Result<std::vector<T>> rows)
{
    if (!rows)
        return std::unexpected(rows.error());
    if (rows->empty())
        return std::optional<T>();
    return std::optional<T>(std::move(rows->front()));
}

Result<std::optional<qint64>> idOf(sqlite3 *db, const char *table, const QString &name)
{
    auto statement
        = SqliteStatement::prepare(db, QStringLiteral("SELECT id FROM %1 WHERE name = ?").arg(QLatin1String(table)));
    if (!statement)
        return std::unexpected(statement.error());
    auto row = statement->bind(1, name).step();
    if (!row)
        return std::unexpected(row.error());
    return *row ? std::optional<qint64>(statement->int64(0)) : std::nullopt;
}

// Names of `table` rows whose `column` refers to `id`, for "in use" messages.
Result<QStringList> dependants(sqlite3 *db, const char *table, const char *column, qint64 id)
{
    auto statement = SqliteStatement::prepare(db,
        QStringLiteral("SELECT name FROM %1 WHERE %2 = ? ORDER BY name")
            .arg(QLatin1String(table), QLatin1String(column)));
    if (!statement)
        return std::unexpected(statement.error());
    statement->bind(1, id);
    QStringList names;
    for (;;) {
        auto row = statement->step();
        if (!row)
            return std::unexpected(row.error());
        if (!*row)
            break;
        names << QLatin1Char('\'') + statement->text(0) + QLatin1Char('\'');
    }
    return names;
}

Result<void> removeByName(Workspace &workspace, const char *kind, const char *table, const QString &name,
    const char *dependantKind, std::initializer_list<std::pair<const char *, const char *>> dependantRefs)
{
    return workspace.transaction([&]() -> Result<void> {
        auto id = idOf(workspace.handle(), table, name);
        if (!id)
            return std::unexpected(id.error());
        if (!*id)
            return fail(QStringLiteral("definitions.not_found"),
                QStringLiteral("there is no %1 named '%2'").arg(QLatin1String(kind), name));
        QStringList users;
        for (const auto &[dependantTable, column] : dependantRefs) {
            auto names = dependants(workspace.handle(), dependantTable, column, **id);
            if (!names)
                return std::unexpected(names.error());
            users << *names;
        }
        users.removeDuplicates();
        if (!users.isEmpty())
            return fail(QStringLiteral("definitions.in_use"),
                QStringLiteral("%1 '%2' is used by %3 %4; remove or change %5 first")
                    .arg(QLatin1String(kind), name,
                        QLatin1String(dependantKind) + (users.size() > 1 ? QStringLiteral("s") : QString()),
                        users.join(QStringLiteral(", ")),
                        users.size() > 1 ? QStringLiteral("them") : QStringLiteral("it")));
        auto statement = SqliteStatement::prepare(
            workspace.handle(), QStringLiteral("DELETE FROM %1 WHERE id = ?").arg(QLatin1String(table)));
        if (!statement)
            return std::unexpected(statement.error());
        return statement->bind(1, **id).run();
    });
}

Result<SourceDef> readSource(SqliteStatement &row)
{
    SourceDef source { row.text(0), row.text(1), {} };
    source.password.kind = secretKindFromName(row.text(2)).value_or(SecretRef::Kind::None);
    source.password.name = row.text(3);
    if (!row.isNull(4))
        source.changeDetection = changeDetectionFromName(row.text(4));
    source.plannerSchema = row.text(5);
    return source;
}

Result<ModelDef> readModel(SqliteStatement &row)
{
    ModelDef model { row.text(0), row.text(1), row.text(2), {} };
    auto key = fromJson(row.text(3), QStringLiteral("model '%1' primary_key").arg(model.name));
    if (!key)
        return std::unexpected(key.error());
    for (const QJsonValue &column : key->array())
        model.primaryKey << column.toString();
    return model;
}

Result<DestinationDef> readDestination(SqliteStatement &row)
{
    DestinationDef destination { row.text(0), row.text(1), {}, {} };
    auto settings = fromJson(row.text(2), QStringLiteral("destination '%1' settings").arg(destination.name));
    if (!settings)
        return std::unexpected(settings.error());
    destination.settings = settings->object().toVariantMap();
    auto secrets = fromJson(row.text(3), QStringLiteral("destination '%1' secrets").arg(destination.name));
    if (!secrets)
        return std::unexpected(secrets.error());
    const QJsonObject object = secrets->object();
    for (auto it = object.begin(); it != object.end(); ++it)
        destination.secrets.insert(it.key(), secretFromJson(it.value().toObject()));
    return destination;
}

Result<SyncDef> readSync(SqliteStatement &row)
{
    SyncDef sync;
    sync.name = row.text(0);
    sync.model = row.text(1);
    sync.destination = row.text(2);
    sync.object = row.text(3);
    sync.mode = syncModeFromName(row.text(4)).value_or(SyncMode::Upsert);
    if (!row.isNull(5))
        sync.onRemoved = removedRowActionFromName(row.text(5));
    sync.matchColumn = row.text(6);
    sync.matchField = row.text(7);
    auto mapping = fromJson(row.text(8), QStringLiteral("sync '%1' mapping").arg(sync.name));
    if (!mapping)
        return std::unexpected(mapping.error());
    sync.mapping = mappingFromJson(mapping->array());
    sync.schedule = row.text(9);
    auto guardrails = fromJson(row.text(10), QStringLiteral("sync '%1' guardrails").arg(sync.name));
    if (!guardrails)
        return std::unexpected(guardrails.error());
    const QJsonObject object = guardrails->object();
    sync.guardrails.maxRemovedShare
        = object.value(QStringLiteral("max_removed_share")).toDouble(Guardrails {}.maxRemovedShare);
    sync.guardrails.stopOnEmptyModel
        = object.value(QStringLiteral("stop_on_empty_model")).toBool(Guardrails {}.stopOnEmptyModel);
    if (!row.isNull(11))
        sync.changeDetection = changeDetectionFromName(row.text(11));
    // Kept in the guardrails JSON (no schema change): absent means one connection.
    sync.extractConnections = object.value(QStringLiteral("extract_connections")).toInt(1);
    return sync;
}

// Workspaces older than schema 6 (upgrade tests open them) lack the change detection columns.
QString ifSchemaSix(const Workspace &workspace, const char *columns, const char *otherwise)
{
    return QString::fromUtf8(workspace.schemaVersion() >= 6 ? columns : otherwise);
}
const QString kSelectSources = QStringLiteral("SELECT name, connection, password_kind, password_name, %1 FROM sources");
const QString kSelectModels
    = QStringLiteral("SELECT m.name, s.name, m.sql, m.primary_key FROM models m JOIN sources s ON s.id = m.source_id");
const QString kSelectDestinations = QStringLiteral("SELECT name, type, settings, secrets FROM destinations");
// Schema 6 columns are written after the row (a null value binds NULL).
Result<void> updateSchemaSix(Workspace &workspace, const char *sql, const QStringList &values)
{
    if (workspace.schemaVersion() < 6)
        return {};
    auto statement = SqliteStatement::prepare(workspace.handle(), QString::fromUtf8(sql));
    if (!statement)
        return std::unexpected(statement.error());
    for (qsizetype i = 0; i < values.size(); ++i)
        statement->bind(int(i + 1), values[i]);
    return statement->run();
}

const QString kSelectSyncs = QStringLiteral(
    "SELECT y.name, m.name, d.name, y.object, y.mode, y.on_removed, y.match_column, y.match_field, y.mapping, "
    "y.schedule, y.guardrails, %1 FROM syncs y JOIN models m ON m.id = y.model_id JOIN destinations d ON d.id = "
    "y.destination_id");

} // namespace

DefinitionStore::DefinitionStore(Workspace &workspace)
    : m_workspace(workspace)
{ }

// ---- sources ------------------------------------------------------------------------------------

Result<std::vector<SourceDef>> DefinitionStore::sources()
{
    return queryAll<SourceDef>(
        m_workspace.handle(), kSelectSources.arg(ifSchemaSix(m_workspace, "change_detection, planner_schema", "NULL, ''")) + QStringLiteral(" ORDER BY name"), QString(), readSource);
}

Result<std::optional<SourceDef>> DefinitionStore::source(const QString &name)
{
    return firstOf(queryAll<SourceDef>(m_workspace.handle(), kSelectSources.arg(ifSchemaSix(m_workspace, "change_detection, planner_schema", "NULL, ''")) + QStringLiteral(" WHERE name = ?"),
        name.isNull() ? QStringLiteral("") : name, readSource));
}

Result<void> DefinitionStore::saveSource(const SourceDef &source)
{
    if (auto ok = validateSource(source); !ok)
        return ok;
    auto statement = SqliteStatement::prepare(m_workspace.handle(),
        QStringLiteral("INSERT INTO sources(name, connection, password_kind, password_name) VALUES (?, ?, ?, ?) "
                       "ON CONFLICT(name) DO UPDATE SET connection = excluded.connection, "
                       "password_kind = excluded.password_kind, password_name = excluded.password_name, updated_at = ")
            + kNow);
    if (!statement)
        return std::unexpected(statement.error());
    auto saved = statement->bind(1, source.name)
        .bind(2, source.connection)
        .bind(3, secretKindName(source.password.kind))
        .bind(4, source.password.kind == SecretRef::Kind::None ? QStringLiteral("") : source.password.name)
        .run();
    if (!saved)
        return saved;
    return updateSchemaSix(m_workspace, "UPDATE sources SET change_detection = ?, planner_schema = ? WHERE name = ?",
        { source.changeDetection ? changeDetectionName(*source.changeDetection) : QString(),
            source.plannerSchema.isNull() ? QStringLiteral("") : source.plannerSchema, source.name });
}

Result<void> DefinitionStore::removeSource(const QString &name)
{
    return removeByName(m_workspace, "source", "sources", name, "model", { { "models", "source_id" } });
}

// ---- models -------------------------------------------------------------------------------------

Result<std::vector<ModelDef>> DefinitionStore::models()
{
    return queryAll<ModelDef>(
        m_workspace.handle(), kSelectModels + QStringLiteral(" ORDER BY m.name"), QString(), readModel);
}

Result<std::optional<ModelDef>> DefinitionStore::model(const QString &name)
{
    return firstOf(queryAll<ModelDef>(m_workspace.handle(), kSelectModels + QStringLiteral(" WHERE m.name = ?"),
        name.isNull() ? QStringLiteral("") : name, readModel));
}

Result<void> DefinitionStore::saveModel(const ModelDef &model)
{
    if (auto ok = validateModel(model); !ok)
        return ok;
    return m_workspace.transaction([&]() -> Result<void> {
        auto sourceId = idOf(m_workspace.handle(), "sources", model.source);
        if (!sourceId)
            return std::unexpected(sourceId.error());
        if (!*sourceId)
            return invalid(
                QStringLiteral("model '%1': field 'source' names an unknown source '%2'; define the source first")
                    .arg(model.name, model.source));
        auto statement = SqliteStatement::prepare(m_workspace.handle(),
            QStringLiteral("INSERT INTO models(name, source_id, sql, primary_key) VALUES (?, ?, ?, ?) "
                           "ON CONFLICT(name) DO UPDATE SET source_id = excluded.source_id, sql = excluded.sql, "
                           "primary_key = excluded.primary_key, updated_at = ")
                + kNow);
        if (!statement)
            return std::unexpected(statement.error());
        return statement->bind(1, model.name)
            .bind(2, **sourceId)
            .bind(3, model.sql)
            .bind(4, toJson(QJsonArray::fromStringList(model.primaryKey)))
            .run();
    });
}

Result<void> DefinitionStore::removeModel(const QString &name)
{
    return removeByName(m_workspace, "model", "models", name, "sync", { { "syncs", "model_id" } });
}

// ---- destinations -------------------------------------------------------------------------------

Result<std::vector<DestinationDef>> DefinitionStore::destinations()
{
    return queryAll<DestinationDef>(
        m_workspace.handle(), kSelectDestinations + QStringLiteral(" ORDER BY name"), QString(), readDestination);
}

Result<std::optional<DestinationDef>> DefinitionStore::destination(const QString &name)
{
    return firstOf(
        queryAll<DestinationDef>(m_workspace.handle(), kSelectDestinations + QStringLiteral(" WHERE name = ?"),
            name.isNull() ? QStringLiteral("") : name, readDestination));
}

Result<void> DefinitionStore::saveDestination(const DestinationDef &destination)
{
    if (auto ok = validateDestination(destination); !ok)
        return ok;
    QJsonObject secrets;
    for (auto it = destination.secrets.cbegin(); it != destination.secrets.cend(); ++it)
        secrets.insert(it.key(), secretJson(it.value()));
    auto statement = SqliteStatement::prepare(m_workspace.handle(),
        QStringLiteral("INSERT INTO destinations(name, type, settings, secrets) VALUES (?, ?, ?, ?) "
                       "ON CONFLICT(name) DO UPDATE SET type = excluded.type, settings = excluded.settings, "
                       "secrets = excluded.secrets, updated_at = ")
            + kNow);
    if (!statement)
        return std::unexpected(statement.error());
    return statement->bind(1, destination.name)
        .bind(2, destination.type)
        .bind(3, toJson(QJsonObject::fromVariantMap(destination.settings)))
        .bind(4, toJson(secrets))
        .run();
}

Result<void> DefinitionStore::removeDestination(const QString &name)
{
    return removeByName(m_workspace, "destination", "destinations", name, "sync", { { "syncs", "destination_id" } });
}

// ---- syncs --------------------------------------------------------------------------------------

Result<std::vector<SyncDef>> DefinitionStore::syncs()
{
    return queryAll<SyncDef>(
        m_workspace.handle(), kSelectSyncs.arg(ifSchemaSix(m_workspace, "y.change_detection", "NULL")) + QStringLiteral(" ORDER BY y.name"), QString(), readSync);
}

Result<std::optional<SyncDef>> DefinitionStore::sync(const QString &name)
{
    return firstOf(queryAll<SyncDef>(m_workspace.handle(), kSelectSyncs.arg(ifSchemaSix(m_workspace, "y.change_detection", "NULL")) + QStringLiteral(" WHERE y.name = ?"),
        name.isNull() ? QStringLiteral("") : name, readSync));
}

Result<void> DefinitionStore::saveSync(const SyncDef &sync)
{
    if (auto ok = validateSync(sync); !ok)
        return ok;
    return m_workspace.transaction([&]() -> Result<void> {
        auto modelId = idOf(m_workspace.handle(), "models", sync.model);
        if (!modelId)
            return std::unexpected(modelId.error());
        if (!*modelId)
            return invalid(
                QStringLiteral("sync '%1': field 'model' names an unknown model '%2'; define the model first")
                    .arg(sync.name, sync.model));
        auto destinationId = idOf(m_workspace.handle(), "destinations", sync.destination);
        if (!destinationId)
            return std::unexpected(destinationId.error());
        if (!*destinationId)
            return invalid(QStringLiteral(
                "sync '%1': field 'destination' names an unknown destination '%2'; define the destination first")
                               .arg(sync.name, sync.destination));
        QJsonObject guardrails { { QStringLiteral("max_removed_share"), sync.guardrails.maxRemovedShare },
            { QStringLiteral("stop_on_empty_model"), sync.guardrails.stopOnEmptyModel } };
        if (sync.extractConnections != 1)
            guardrails.insert(QStringLiteral("extract_connections"), sync.extractConnections);
        auto statement = SqliteStatement::prepare(m_workspace.handle(),
            QStringLiteral(
                "INSERT INTO syncs(name, model_id, destination_id, object, mode, on_removed, match_column, "
                "match_field, mapping, schedule, guardrails) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) "
                "ON CONFLICT(name) DO UPDATE SET model_id = excluded.model_id, "
                "destination_id = excluded.destination_id, object = excluded.object, mode = excluded.mode, "
                "on_removed = excluded.on_removed, match_column = excluded.match_column, "
                "match_field = excluded.match_field, mapping = excluded.mapping, schedule = excluded.schedule, "
                "guardrails = excluded.guardrails, updated_at = ")
                + kNow);
        if (!statement)
            return std::unexpected(statement.error());
        statement->bind(1, sync.name)
            .bind(2, **modelId)
            .bind(3, **destinationId)
            .bind(4, sync.object.isNull() ? QStringLiteral("") : sync.object)
            .bind(5, syncModeName(sync.mode))
            .bind(6, sync.onRemoved ? removedRowActionName(*sync.onRemoved) : QString())
            .bind(7, sync.matchColumn.isNull() ? QStringLiteral("") : sync.matchColumn)
            .bind(8, sync.matchField.isNull() ? QStringLiteral("") : sync.matchField)
            .bind(9, toJson(mappingJson(sync.mapping)))
            .bind(10, sync.schedule.isNull() ? QStringLiteral("") : sync.schedule)
            .bind(11, toJson(guardrails));
        if (auto ok = statement->run(); !ok)
            return ok;
        return updateSchemaSix(m_workspace, "UPDATE syncs SET change_detection = ? WHERE name = ?",
            { sync.changeDetection ? changeDetectionName(*sync.changeDetection) : QString(), sync.name });
    });
}

Result<void> DefinitionStore::removeSync(const QString &name)
{
    return removeByName(m_workspace, "sync", "syncs", name, "sync", {});
}

Result<qint64> DefinitionStore::syncId(const QString &name)
{
    auto id = idOf(m_workspace.handle(), "syncs", name);
    if (!id)
        return std::unexpected(id.error());
    if (!*id)
        return fail(QStringLiteral("definitions.not_found"),
            QStringLiteral("there is no sync named '%1'; 'syncline-cli export' lists the workspace's syncs").arg(name));
    return **id;
}

// ---- import / export ----------------------------------------------------------------------------

namespace {
template<typename Def, typename Load, typename Save>
Result<void> importEach(const std::vector<Def> &defs, const char *kind,
    std::vector<DefinitionStore::ImportChange> &changes, Load load, Save save)
{
    using Action = DefinitionStore::ImportChange::Action;
    for (const Def &def : defs) {
        auto existing = load(def.name);
        if (!existing)
            return std::unexpected(existing.error());
        Action action = Action::Unchanged;
        if (!*existing || !(**existing == def)) {
            if (auto ok = save(def); !ok) {
                Error error = ok.error();
                error.details.insert(QStringLiteral("kind"), QString::fromLatin1(kind));
                error.details.insert(QStringLiteral("name"), def.name);
                return std::unexpected(error);
            }
            action = *existing ? Action::Updated : Action::Created;
        }
        changes.push_back({ QString::fromLatin1(kind), def.name, action });
    }
    return {};
}
} // namespace

Result<std::vector<DefinitionStore::ImportChange>> DefinitionStore::importDefinitions(const Definitions &definitions)
{
    std::vector<ImportChange> changes;
    auto done = m_workspace.transaction([&]() -> Result<void> {
        if (auto ok = importEach(
                definitions.sources, "source", changes, [this](const QString &n) { return source(n); },
                [this](const SourceDef &d) { return saveSource(d); });
            !ok)
            return ok;
        if (auto ok = importEach(
                definitions.models, "model", changes, [this](const QString &n) { return model(n); },
                [this](const ModelDef &d) { return saveModel(d); });
            !ok)
            return ok;
        if (auto ok = importEach(
                definitions.destinations, "destination", changes, [this](const QString &n) { return destination(n); },
                [this](const DestinationDef &d) { return saveDestination(d); });
            !ok)
            return ok;
        return importEach(
            definitions.syncs, "sync", changes, [this](const QString &n) { return sync(n); },
            [this](const SyncDef &d) { return saveSync(d); });
    });
    if (!done)
        return std::unexpected(done.error());
    return changes;
}

Result<Definitions> DefinitionStore::exportDefinitions()
{
    Definitions definitions;
    auto read = m_workspace.snapshot([&]() -> Result<void> { // one consistent view
        return readAll(definitions);
    });
    if (!read)
        return std::unexpected(read.error());
    return definitions;
}

Result<void> DefinitionStore::readAll(Definitions &definitions)
{
    auto sourceList = sources();
    if (!sourceList)
        return std::unexpected(sourceList.error());
    auto modelList = models();
    if (!modelList)
        return std::unexpected(modelList.error());
    auto destinationList = destinations();
    if (!destinationList)
        return std::unexpected(destinationList.error());
    auto syncList = syncs();
    if (!syncList)
        return std::unexpected(syncList.error());
    definitions.sources = std::move(*sourceList);
    definitions.models = std::move(*modelList);
    definitions.destinations = std::move(*destinationList);
    definitions.syncs = std::move(*syncList);
    return {};
}

} // namespace syncline::engine::state
