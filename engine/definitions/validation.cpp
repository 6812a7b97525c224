#include "engine/definitions/validation.h"

#include <QSet>

namespace syncline::engine {

namespace {

std::unexpected<Error> invalid(const QString &message)
{
    return fail(QStringLiteral("definitions.invalid"), message);
}

QString quoted(const QString &name)
{
    return QLatin1Char('\'') + name + QLatin1Char('\'');
}

Result<void> checkName(const char *kind, const QString &name)
{
    if (name.trimmed().isEmpty())
        return invalid(QStringLiteral("a %1 has an empty name; give it a unique name").arg(QLatin1String(kind)));
    if (name != name.trimmed())
        return invalid(
            QStringLiteral("%1 %2: the name starts or ends with a space").arg(QLatin1String(kind), quoted(name)));
    return {};
}

Result<void> checkSecret(const QString &owner, const QString &field, const SecretRef &ref)
{
    if (ref.kind != SecretRef::Kind::None && ref.name.trimmed().isEmpty())
        return invalid(QStringLiteral("%1: field '%2' names no %3; write { env: VARIABLE } or { keychain: ENTRY }")
                           .arg(owner, field,
                               ref.kind == SecretRef::Kind::Env ? QStringLiteral("environment variable")
                                                                : QStringLiteral("keychain entry")));
    if (ref.kind == SecretRef::Kind::None && !ref.name.isEmpty())
        return invalid(QStringLiteral("%1: field '%2' has a name but no kind (env or keychain)").arg(owner, field));
    return {};
}

} // namespace

bool isKnownCast(const QString &cast)
{
    static const QSet<QString> plain { QStringLiteral("text"), QStringLiteral("number"), QStringLiteral("integer"),
        QStringLiteral("boolean"), QStringLiteral("date"), QStringLiteral("timestamp"), QStringLiteral("json") };
    if (plain.contains(cast))
        return true;
    const qsizetype colon = cast.indexOf(QLatin1Char(':'));
    if (colon < 0)
        return false;
    const QString kind = cast.left(colon);
    return (kind == QLatin1String("date") || kind == QLatin1String("timestamp")) && colon + 1 < cast.size();
}

QString knownCastsText()
{
    return QStringLiteral("text, number, integer, boolean, json, date, date:FORMAT, timestamp or timestamp:FORMAT");
}

Result<void> validateSource(const SourceDef &source)
{
    if (auto ok = checkName("source", source.name); !ok)
        return ok;
    const QString owner = QStringLiteral("source ") + quoted(source.name);
    if (source.connection.trimmed().isEmpty())
        return invalid(
            owner + QStringLiteral(": field 'connection' is empty; give a DSN name or an ODBC connection string"));
    if (connectionStringHasPassword(source.connection))
        return invalid(owner
            + QStringLiteral(": the connection string contains a password (PWD= or Password=); remove it and "
                             "write password: { env: VARIABLE } or password: { keychain: ENTRY } instead"));
    return checkSecret(owner, QStringLiteral("password"), source.password);
}

Result<void> validateModel(const ModelDef &model)
{
    if (auto ok = checkName("model", model.name); !ok)
        return ok;
    const QString owner = QStringLiteral("model ") + quoted(model.name);
    if (model.source.trimmed().isEmpty())
        return invalid(owner + QStringLiteral(": field 'source' is empty; name the source the SQL runs on"));
    if (model.sql.trimmed().isEmpty())
        return invalid(owner + QStringLiteral(": field 'sql' is empty"));
    if (model.primaryKey.isEmpty())
        return invalid(
            owner + QStringLiteral(": field 'primary_key' is empty; name the column(s) that identify a row"));
    QSet<QString> seen;
    for (const QString &column : model.primaryKey) {
        if (column.trimmed().isEmpty())
            return invalid(owner + QStringLiteral(": field 'primary_key' contains an empty column name"));
        if (seen.contains(column))
            return invalid(owner + QStringLiteral(": field 'primary_key' lists column '%1' twice").arg(column));
        seen.insert(column);
    }
    return {};
}

Result<void> validateDestination(const DestinationDef &destination)
{
    if (auto ok = checkName("destination", destination.name); !ok)
        return ok;
    const QString owner = QStringLiteral("destination ") + quoted(destination.name);
    if (destination.type.trimmed().isEmpty())
        return invalid(owner + QStringLiteral(": field 'type' is empty; name the connector, e.g. type: file"));
    // The workspace never holds a secret: a settings key that names one must be a secret reference instead.
    static const QSet<QString> secretKeys { QStringLiteral("password"), QStringLiteral("passwd"), QStringLiteral("pwd"),
        QStringLiteral("secret"), QStringLiteral("client_secret"), QStringLiteral("token"),
        QStringLiteral("access_token"), QStringLiteral("refresh_token"), QStringLiteral("api_key"),
        QStringLiteral("apikey") };
    for (auto it = destination.settings.cbegin(); it != destination.settings.cend(); ++it) {
        if (secretKeys.contains(it.key().toLower()) && !it.value().toString().isEmpty())
            return invalid(owner
                + QStringLiteral(": settings.%1 looks like a secret; remove it from settings and write "
                                 "secrets: { %1: { env: VARIABLE } } (or { keychain: ENTRY }) instead")
                      .arg(it.key()));
    }
    for (auto it = destination.secrets.cbegin(); it != destination.secrets.cend(); ++it) {
        if (it.key().trimmed().isEmpty())
            return invalid(owner + QStringLiteral(": a secret has an empty name"));
        if (it.value().kind == SecretRef::Kind::None)
            return invalid(owner + QStringLiteral(": secret '%1' says neither env nor keychain").arg(it.key()));
        if (auto ok = checkSecret(owner, QStringLiteral("secrets.") + it.key(), it.value()); !ok)
            return ok;
    }
    return {};
}

Result<void> validateSync(const SyncDef &sync)
{
    if (auto ok = checkName("sync", sync.name); !ok)
        return ok;
    const QString owner = QStringLiteral("sync ") + quoted(sync.name);
    if (sync.model.trimmed().isEmpty())
        return invalid(owner + QStringLiteral(": field 'model' is empty; name the model to send"));
    if (sync.destination.trimmed().isEmpty())
        return invalid(owner + QStringLiteral(": field 'destination' is empty; name the destination to send to"));
    if (sync.matchColumn.isEmpty() != sync.matchField.isEmpty())
        return invalid(owner + QStringLiteral(": field 'match' needs both a column and a field"));
    if (!(sync.guardrails.maxRemovedShare >= 0.0 && sync.guardrails.maxRemovedShare <= 1.0))
        return invalid(owner
            + QStringLiteral(": guardrails.max_removed_share %1 is outside 0..1 (0.2 means 20% of the delivered rows)")
                  .arg(sync.guardrails.maxRemovedShare));
    if (sync.extractConnections < 1 || sync.extractConnections > 16)
        return invalid(owner
            + QStringLiteral(": extract_connections %1 is outside 1..16 (the connections the model is read over)")
                  .arg(sync.extractConnections));
    QMap<QString, int> fields;
    for (size_t i = 0; i < sync.mapping.size(); ++i) {
        const MappingEntry &entry = sync.mapping[i];
        const QString where = owner + QStringLiteral(": mapping entry %1").arg(i + 1);
        if (entry.field.trimmed().isEmpty())
            return invalid(where + QStringLiteral(" has an empty field name"));
        const QString at = where + QStringLiteral(" (field '%1')").arg(entry.field);
        const int sources = int(!entry.column.isEmpty()) + int(!entry.templateText.isEmpty())
            + int(entry.kind == MappingEntry::SourceKind::Constant);
        const bool consistent = (entry.kind == MappingEntry::SourceKind::Column && !entry.column.isEmpty())
            || (entry.kind == MappingEntry::SourceKind::Template && !entry.templateText.isEmpty())
            || entry.kind == MappingEntry::SourceKind::Constant;
        if (sources != 1 || !consistent)
            return invalid(at + QStringLiteral(": needs exactly one of column, template or value"));
        if (!entry.cast.isEmpty() && !isKnownCast(entry.cast))
            return invalid(at + QStringLiteral(": unknown cast '%1' (expected %2)").arg(entry.cast, knownCastsText()));
        if (fields.contains(entry.field))
            return invalid(owner
                + QStringLiteral(": field '%1' is mapped twice (entries %2 and %3)")
                      .arg(entry.field)
                      .arg(fields.value(entry.field))
                      .arg(i + 1));
        fields.insert(entry.field, int(i + 1));
    }
    return {};
}

} // namespace syncline::engine
