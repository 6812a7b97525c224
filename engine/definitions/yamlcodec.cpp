// Reading definitions from YAML. Writing them is in yamlwriter.cpp.
#include "engine/definitions/yamlcodec.h"

#include "engine/definitions/validation.h"
#include "engine/definitions/yamlscalar.h"
#include "engine/schedule/schedule.h"

#include <QHash>
#include <QSet>

#include <initializer_list>
#include <yaml-cpp/yaml.h>

namespace syncline::engine {

namespace {

// Thrown inside the parser only; parse() turns it into an Error value.
struct ParseFailure
{
    QString message;
};

QString where(const YAML::Mark &mark)
{
    if (mark.is_null() || mark.line < 0)
        return {};
    return QStringLiteral("line %1, column %2: ").arg(mark.line + 1).arg(mark.column + 1);
}

QString text(const YAML::Node &node)
{
    return QString::fromStdString(node.Scalar());
}

QString quoted(const QString &name)
{
    return QLatin1Char('\'') + name + QLatin1Char('\'');
}

class Parser
{
public:
    Definitions run(const YAML::Node &root)
    {
        Definitions definitions;
        if (!root.IsDefined() || root.IsNull())
            return definitions;
        if (!root.IsMap())
            fail(
                root, QString(), QStringLiteral("the file must be a map with sources, models, destinations and syncs"));
        checkKeys(root, QString(), { "sources", "models", "destinations", "syncs" });
        for (const auto &[key, parse] :
            std::initializer_list<std::pair<const char *, void (Parser::*)(const YAML::Node &, Definitions &)>> {
                { "sources", &Parser::parseSource }, { "models", &Parser::parseModel },
                { "destinations", &Parser::parseDestination }, { "syncs", &Parser::parseSync } }) {
            const YAML::Node list = root[key];
            if (!list.IsDefined() || list.IsNull())
                continue;
            if (!list.IsSequence())
                fail(list, QString(),
                    QStringLiteral("'%1' must be a list (each entry starts with '- name: ...')")
                        .arg(QLatin1String(key)));
            for (const YAML::Node &item : list)
                (this->*parse)(item, definitions);
        }
        return definitions;
    }

    const QHash<QString, int> &lines() const { return m_seen; }
    const YamlPositions &positions() const { return m_positions; }

private:
    QHash<QString, int> m_seen; // "kind/name" -> line, for duplicate names and later error messages
    YamlPositions m_positions;
    YAML::Mark m_itemMark; // fallback when a node has no mark

    [[noreturn]] void fail(const YAML::Node &node, const QString &context, const QString &message) const
    {
        const YAML::Mark mark = node.IsDefined() && !node.Mark().is_null() ? node.Mark() : m_itemMark;
        throw ParseFailure { where(mark) + (context.isEmpty() ? QString() : context + QStringLiteral(": ")) + message };
    }

    void checkKeys(const YAML::Node &map, const QString &context, std::initializer_list<const char *> allowed) const
    {
        QSet<QString> seen;
        QStringList names;
        for (const char *name : allowed)
            names << QLatin1String(name);
        for (auto it = map.begin(); it != map.end(); ++it) {
            if (!it->first.IsScalar())
                fail(it->first, context, QStringLiteral("a key must be a plain word"));
            const QString key = text(it->first);
            if (!names.contains(key))
                fail(it->first, context,
                    QStringLiteral("unknown key '%1' (expected %2)").arg(key, names.join(QStringLiteral(", "))));
            if (seen.contains(key))
                fail(it->first, context, QStringLiteral("key '%1' appears twice").arg(key));
            seen.insert(key);
        }
    }

    YAML::Node item(
        const YAML::Node &node, const char *kind, std::initializer_list<const char *> allowed, QString &context)
    {
        m_itemMark = node.Mark();
        if (!node.IsMap())
            fail(node, QString(),
                QStringLiteral("each %1 must be a map starting with 'name:'").arg(QLatin1String(kind)));
        const YAML::Node name = node["name"];
        context = QStringLiteral("this ") + QLatin1String(kind);
        const QString value = required(node, "name", context);
        context = QLatin1String(kind) + QLatin1Char(' ') + quoted(value);
        const QString seenKey = QLatin1String(kind) + QLatin1Char('/') + value;
        if (m_seen.contains(seenKey))
            fail(name, context, QStringLiteral("is defined twice (first at line %1)").arg(m_seen.value(seenKey)));
        m_seen.insert(seenKey, name.Mark().line + 1);
        checkKeys(node, context, allowed);
        return node;
    }

    QString scalar(const YAML::Node &node, const char *key, const QString &context) const
    {
        if (!node.IsScalar())
            fail(node, context,
                QStringLiteral("'%1' must be a single value, not a list or map").arg(QLatin1String(key)));
        return text(node);
    }

    QString required(const YAML::Node &map, const char *key, const QString &context) const
    {
        const YAML::Node node = map[key];
        if (!node.IsDefined())
            fail(map, context, QStringLiteral("missing key '%1'").arg(QLatin1String(key)));
        if (node.IsNull())
            fail(node, context, QStringLiteral("'%1' is empty").arg(QLatin1String(key)));
        return scalar(node, key, context);
    }

    QString optional(const YAML::Node &map, const char *key, const QString &context) const
    {
        const YAML::Node node = map[key];
        if (!node.IsDefined() || node.IsNull())
            return {};
        return scalar(node, key, context);
    }

    SecretRef secret(const YAML::Node &node, const QString &context, const QString &key) const
    {
        const QString hint = QStringLiteral("'%1' must be { env: VARIABLE } or { keychain: ENTRY }").arg(key);
        if (!node.IsMap() || node.size() != 1)
            fail(node, context, hint);
        const auto entry = *node.begin();
        const QString kind = text(entry.first);
        SecretRef ref;
        if (kind == QLatin1String("env"))
            ref.kind = SecretRef::Kind::Env;
        else if (kind == QLatin1String("keychain"))
            ref.kind = SecretRef::Kind::Keychain;
        else
            fail(entry.first, context, hint);
        if (!entry.second.IsScalar() || text(entry.second).isEmpty())
            fail(entry.second, context,
                QStringLiteral("'%1' names no %2")
                    .arg(key, kind == QLatin1String("env") ? QStringLiteral("variable") : QStringLiteral("entry")));
        ref.name = text(entry.second);
        return ref;
    }

    QVariant value(const YAML::Node &node, const QString &context) const
    {
        if (!node.IsDefined() || node.IsNull())
            return QVariant::fromValue(nullptr);
        if (node.IsScalar())
            return node.Tag() == "?" ? yamlscalar::typedPlainScalar(text(node)) : QVariant(text(node));
        if (node.IsSequence()) {
            QVariantList list;
            for (const YAML::Node &element : node)
                list << value(element, context);
            return list;
        }
        return map(node, context, "settings");
    }

    QVariantMap map(const YAML::Node &node, const QString &context, const char *key) const
    {
        if (!node.IsMap())
            fail(node, context, QStringLiteral("'%1' must be a map of key: value").arg(QLatin1String(key)));
        QVariantMap result;
        for (auto it = node.begin(); it != node.end(); ++it) {
            if (!it->first.IsScalar())
                fail(it->first, context, QStringLiteral("a key in '%1' must be a plain word").arg(QLatin1String(key)));
            const QString name = text(it->first);
            if (result.contains(name))
                fail(
                    it->first, context, QStringLiteral("key '%1' appears twice in '%2'").arg(name, QLatin1String(key)));
            result.insert(name, value(it->second, context));
        }
        return result;
    }

    void note(const QString &path, const YAML::Node &node)
    {
        const YAML::Mark mark = node.IsDefined() && !node.Mark().is_null() ? node.Mark() : m_itemMark;
        if (!mark.is_null() && mark.line >= 0)
            m_positions.insert(path, YamlPosition { mark.line + 1, mark.column + 1 });
    }

    template<typename Def> void validate(const Def &def, Result<void> (*check)(const Def &)) const
    {
        if (auto ok = check(def); !ok)
            throw ParseFailure { where(m_itemMark) + ok.error().message };
    }

    std::optional<ChangeDetection> changeDetection(const YAML::Node &node, const QString &context) const
    {
        const QString name = optional(node, "change_detection", context);
        if (name.isEmpty())
            return std::nullopt;
        const auto parsed = changeDetectionFromName(name);
        if (!parsed)
            fail(node["change_detection"], context,
                QStringLiteral("unknown change_detection '%1' (expected local, warehouse_hash or warehouse)").arg(name));
        return parsed;
    }

    void parseSource(const YAML::Node &node, Definitions &definitions)
    {
        QString context;
        item(node, "source", { "name", "connection", "password", "change_detection", "planner_schema" }, context);
        SourceDef source;
        source.name = text(node["name"]);
        source.connection = required(node, "connection", context);
        if (connectionStringHasPassword(source.connection))
            fail(node["connection"], context,
                QStringLiteral("the connection string contains a password (PWD= or Password=); remove it and write "
                               "password: { env: VARIABLE } (or { keychain: ENTRY }) instead"));
        if (const YAML::Node password = node["password"]; password.IsDefined() && !password.IsNull())
            source.password = secret(password, context, QStringLiteral("password"));
        source.changeDetection = changeDetection(node, context);
        source.plannerSchema = optional(node, "planner_schema", context);
        if (source.changeDetection == ChangeDetection::Warehouse && source.plannerSchema.isEmpty())
            fail(node["change_detection"], context,
                QStringLiteral("change_detection 'warehouse' keeps its state in the warehouse: add planner_schema: "
                               "SCHEMA (a schema Syncline may create tables in), or use warehouse_hash"));
        validate(source, &validateSource);
        definitions.sources.push_back(std::move(source));
    }

    void parseModel(const YAML::Node &node, Definitions &definitions)
    {
        QString context;
        item(node, "model", { "name", "source", "sql", "primary_key" }, context);
        ModelDef model;
        model.name = text(node["name"]);
        model.source = required(node, "source", context);
        model.sql = required(node, "sql", context);
        while (!model.sql.isEmpty() && model.sql.back().isSpace())
            model.sql.chop(1); // a literal block adds a final line break
        const YAML::Node key = node["primary_key"];
        if (!key.IsDefined() || key.IsNull())
            fail(key.IsDefined() ? key : node, context,
                QStringLiteral("missing key 'primary_key' (the column(s) that identify a row)"));
        if (key.IsScalar())
            model.primaryKey << text(key);
        else if (key.IsSequence())
            for (const YAML::Node &column : key)
                model.primaryKey << scalar(column, "primary_key", context);
        else
            fail(key, context, QStringLiteral("'primary_key' must be a column name or a list like [id]"));
        if (model.primaryKey.isEmpty())
            fail(key, context, QStringLiteral("'primary_key' is empty; name the column(s) that identify a row"));
        validate(model, &validateModel);
        definitions.models.push_back(std::move(model));
    }

    void parseDestination(const YAML::Node &node, Definitions &definitions)
    {
        QString context;
        item(node, "destination", { "name", "type", "settings", "secrets" }, context);
        DestinationDef destination;
        destination.name = text(node["name"]);
        destination.type = required(node, "type", context);
        const QString at = QStringLiteral("destination/") + destination.name;
        note(at, node["name"]);
        note(at + QStringLiteral("/type"), node["type"]);
        note(at + QStringLiteral("/settings"), node);
        note(at + QStringLiteral("/secrets"), node);
        if (const YAML::Node settings = node["settings"]; settings.IsDefined() && !settings.IsNull()) {
            destination.settings = map(settings, context, "settings");
            note(at + QStringLiteral("/settings"), settings);
            for (auto it = settings.begin(); it != settings.end(); ++it) {
                const QString key = at + QStringLiteral("/settings/") + text(it->first);
                note(key, it->first);
                note(key + QStringLiteral("/value"), it->second.IsDefined() && !it->second.IsNull() ? it->second : it->first);
            }
        }
        if (const YAML::Node secrets = node["secrets"]; secrets.IsDefined() && !secrets.IsNull()) {
            if (!secrets.IsMap())
                fail(secrets, context, QStringLiteral("'secrets' must be a map like { token: { env: VARIABLE } }"));
            note(at + QStringLiteral("/secrets"), secrets);
            for (auto it = secrets.begin(); it != secrets.end(); ++it) {
                const QString name = scalar(it->first, "secrets", context);
                note(at + QStringLiteral("/secrets/") + name, it->first);
                if (destination.secrets.contains(name))
                    fail(it->first, context, QStringLiteral("secret '%1' appears twice").arg(name));
                destination.secrets.insert(name, secret(it->second, context, QStringLiteral("secrets.") + name));
            }
        }
        validate(destination, &validateDestination);
        definitions.destinations.push_back(std::move(destination));
    }

    MappingEntry mappingEntry(const YAML::Node &node, const QString &context, int index) const
    {
        const QString entryContext = context + QStringLiteral(": mapping entry %1").arg(index);
        if (!node.IsMap())
            fail(node, entryContext, QStringLiteral("must be a map like { column: email, field: email }"));
        checkKeys(node, entryContext, { "column", "template", "value", "field", "cast" });
        QStringList present;
        for (const char *key : { "column", "template", "value" })
            if (node[key].IsDefined())
                present << QLatin1String(key);
        if (present.size() != 1)
            fail(node, entryContext,
                present.isEmpty() ? QStringLiteral("needs one of column, template or value")
                                  : QStringLiteral("needs exactly one of column, template or value (it has %1)")
                                        .arg(present.join(QStringLiteral(" and "))));
        MappingEntry entry;
        entry.field = required(node, "field", entryContext);
        if (present.front() == QLatin1String("column")) {
            entry.column = required(node, "column", entryContext);
        } else if (present.front() == QLatin1String("template")) {
            entry.kind = MappingEntry::SourceKind::Template;
            entry.templateText = required(node, "template", entryContext);
        } else {
            entry.kind = MappingEntry::SourceKind::Constant;
            const YAML::Node constant = node["value"];
            if (constant.IsNull())
                fail(constant, entryContext, QStringLiteral("'value' is empty; write value: \"\" for empty text"));
            entry.value = scalar(constant, "value", entryContext);
        }
        entry.cast = optional(node, "cast", entryContext);
        if (!entry.cast.isEmpty() && !isKnownCast(entry.cast))
            fail(node["cast"], entryContext,
                QStringLiteral("unknown cast '%1' (expected %2)").arg(entry.cast, knownCastsText()));
        return entry;
    }

    void parseSync(const YAML::Node &node, Definitions &definitions)
    {
        QString context;
        item(node, "sync",
            { "name", "model", "destination", "object", "mode", "on_removed", "match", "mapping", "schedule",
                "guardrails", "change_detection", "extract_connections" },
            context);
        SyncDef sync;
        sync.name = text(node["name"]);
        sync.model = required(node, "model", context);
        sync.destination = required(node, "destination", context);
        sync.object = optional(node, "object", context);
        if (const QString mode = optional(node, "mode", context); !mode.isEmpty()) {
            const auto parsed = syncModeFromName(mode);
            if (!parsed)
                fail(node["mode"], context,
                    QStringLiteral("unknown mode '%1' (expected upsert, update, insert, mirror or all)").arg(mode));
            sync.mode = *parsed;
        }
        if (const QString action = optional(node, "on_removed", context); !action.isEmpty()) {
            const auto parsed = removedRowActionFromName(action);
            if (!parsed)
                fail(node["on_removed"], context,
                    QStringLiteral("unknown on_removed '%1' (expected ignore, clear or delete)").arg(action));
            sync.onRemoved = *parsed;
        }
        if (const YAML::Node match = node["match"]; match.IsDefined() && !match.IsNull()) {
            if (!match.IsMap())
                fail(match, context, QStringLiteral("'match' must be a map like { column: id, field: id }"));
            checkKeys(match, context + QStringLiteral(": match"), { "column", "field" });
            sync.matchColumn = required(match, "column", context + QStringLiteral(": match"));
            sync.matchField = required(match, "field", context + QStringLiteral(": match"));
        }
        if (const YAML::Node mapping = node["mapping"]; mapping.IsDefined() && !mapping.IsNull()) {
            if (!mapping.IsSequence())
                fail(mapping, context,
                    QStringLiteral("'mapping' must be a list of { column|template|value: ..., field: ... }"));
            int index = 0;
            for (const YAML::Node &entry : mapping)
                sync.mapping.push_back(mappingEntry(entry, context, ++index));
        }
        sync.schedule = optional(node, "schedule", context);
        if (auto schedule = schedule::Schedule::parse(sync.schedule); !schedule)
            fail(node["schedule"], context, schedule.error().message);
        if (const YAML::Node guardrails = node["guardrails"]; guardrails.IsDefined() && !guardrails.IsNull()) {
            const QString guardContext = context + QStringLiteral(": guardrails");
            if (!guardrails.IsMap())
                fail(guardrails, context, QStringLiteral("'guardrails' must be a map like { max_removed_share: 0.2 }"));
            checkKeys(guardrails, guardContext, { "max_removed_share", "stop_on_empty_model" });
            if (const YAML::Node share = guardrails["max_removed_share"]; share.IsDefined()) {
                const QVariant number = value(share, guardContext);
                if (number.typeId() != QMetaType::Double && number.typeId() != QMetaType::LongLong)
                    fail(share, guardContext,
                        QStringLiteral("'max_removed_share' must be a number between 0 and 1, e.g. 0.2"));
                sync.guardrails.maxRemovedShare = number.toDouble();
            }
            if (const YAML::Node stop = guardrails["stop_on_empty_model"]; stop.IsDefined()) {
                const QVariant flag = value(stop, guardContext);
                if (flag.typeId() != QMetaType::Bool)
                    fail(stop, guardContext, QStringLiteral("'stop_on_empty_model' must be true or false"));
                sync.guardrails.stopOnEmptyModel = flag.toBool();
            }
        }
        sync.changeDetection = changeDetection(node, context);
        if (const YAML::Node connections = node["extract_connections"]; connections.IsDefined()) {
            const QVariant number = value(connections, context);
            if (number.typeId() != QMetaType::LongLong || number.toLongLong() < 1 || number.toLongLong() > 16)
                fail(connections, context,
                    QStringLiteral("'extract_connections' must be a whole number from 1 to 16 (the connections the "
                                   "model is read over, e.g. 4)"));
            sync.extractConnections = int(number.toLongLong());
        }
        validate(sync, &validateSync);
        definitions.syncs.push_back(std::move(sync));
    }
};

} // namespace

Result<Definitions> YamlCodec::parse(const QByteArray &yaml)
{
    return parse(yaml, nullptr);
}

Result<Definitions> YamlCodec::parse(const QByteArray &yaml, QHash<QString, int> *lines)
{
    return parse(yaml, lines, nullptr);
}

Result<Definitions> YamlCodec::parse(const QByteArray &yaml, QHash<QString, int> *lines, YamlPositions *positions)
{
    try {
        const YAML::Node root = YAML::Load(yaml.toStdString());
        Parser parser;
        Definitions definitions = parser.run(root);
        if (lines)
            *lines = parser.lines();
        if (positions)
            *positions = parser.positions();
        return definitions;
    } catch (const ParseFailure &failure) {
        return fail(QStringLiteral("definitions.yaml"), failure.message);
    } catch (const YAML::ParserException &exception) {
        return fail(QStringLiteral("definitions.yaml"),
            where(exception.mark) + QStringLiteral("this is not valid YAML: ") + QString::fromStdString(exception.msg));
    } catch (const YAML::Exception &exception) {
        return fail(QStringLiteral("definitions.yaml"), where(exception.mark) + QString::fromStdString(exception.msg));
    }
}

} // namespace syncline::engine
