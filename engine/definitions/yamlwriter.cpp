// Writing definitions as YAML (YamlCodec::write). The layout is part of the format: keys in a fixed
// order, block style, flow style for short maps, multi-line SQL as a literal block, optional keys
// left out when they hold their default. Reading is in yamlcodec.cpp.
#include "engine/definitions/yamlcodec.h"
#include "engine/definitions/yamlscalar.h"

#include <yaml-cpp/yaml.h>

namespace syncline::engine {

namespace {

constexpr int kMaxFlowEntries = 4;

class Writer
{
public:
    YAML::Emitter out;

    Writer()
    {
        out.SetIndent(2);
        out.SetSeqFormat(YAML::Block);
        out.SetMapFormat(YAML::Block);
    }

    void key(const char *name) { out << YAML::Key << name << YAML::Value; }

    // Text, quoted when a plain scalar would read back as something else (a number, true, null).
    void string(const QString &value)
    {
        if (yamlscalar::needsQuotesToStayText(value))
            out << YAML::DoubleQuoted;
        out << value.toStdString();
    }

    void quoted(const QString &value) { out << YAML::DoubleQuoted << value.toStdString(); }

    void entry(const char *name, const QString &value)
    {
        key(name);
        string(value);
    }

    void sql(const QString &value)
    {
        key("sql");
        // A literal block cannot start with a space or hold a carriage return; quote those instead.
        if (value.contains(QLatin1Char('\n')) && !value.contains(QLatin1Char('\r'))
            && !value.startsWith(QLatin1Char(' ')) && !value.startsWith(QLatin1Char('\t')))
            out << YAML::Literal << value.toStdString();
        else
            string(value);
    }

    void secret(const SecretRef &ref)
    {
        out << YAML::Flow << YAML::BeginMap;
        key(ref.kind == SecretRef::Kind::Keychain ? "keychain" : "env");
        string(ref.name);
        out << YAML::EndMap;
    }

    static bool isScalar(const QVariant &value)
    {
        return value.typeId() != QMetaType::QVariantMap && value.typeId() != QMetaType::QVariantList;
    }

    void variant(const QVariant &value)
    {
        switch (value.typeId()) {
        case QMetaType::Bool:
            out << (value.toBool() ? "true" : "false");
            return;
        case QMetaType::Int:
        case QMetaType::UInt:
        case QMetaType::LongLong:
        case QMetaType::ULongLong:
            out << value.toString().toStdString();
            return;
        case QMetaType::Double:
        case QMetaType::Float:
            out << yamlscalar::formatDouble(value.toDouble()).toStdString();
            return;
        case QMetaType::QVariantMap:
            variantMap(value.toMap());
            return;
        case QMetaType::QVariantList: {
            const QVariantList list = value.toList();
            const bool flow = std::all_of(list.begin(), list.end(), &Writer::isScalar);
            if (flow)
                out << YAML::Flow;
            out << YAML::BeginSeq;
            for (const QVariant &element : list)
                variant(element);
            out << YAML::EndSeq;
            return;
        }
        case QMetaType::Nullptr:
        case QMetaType::UnknownType:
            out << YAML::Null;
            return;
        default:
            string(value.toString());
        }
    }

    void variantMap(const QVariantMap &map)
    {
        const bool flow = map.size() <= kMaxFlowEntries && std::all_of(map.begin(), map.end(), &Writer::isScalar);
        if (flow)
            out << YAML::Flow;
        out << YAML::BeginMap;
        for (auto it = map.cbegin(); it != map.cend(); ++it) {
            out << YAML::Key;
            string(it.key());
            out << YAML::Value;
            variant(it.value());
        }
        out << YAML::EndMap;
    }

    void source(const SourceDef &source)
    {
        out << YAML::BeginMap;
        entry("name", source.name);
        key("connection");
        quoted(source.connection);
        if (source.password.kind != SecretRef::Kind::None) {
            key("password");
            secret(source.password);
        }
        if (source.changeDetection)
            entry("change_detection", changeDetectionName(*source.changeDetection));
        if (!source.plannerSchema.isEmpty())
            entry("planner_schema", source.plannerSchema);
        out << YAML::EndMap;
    }

    void model(const ModelDef &model)
    {
        out << YAML::BeginMap;
        entry("name", model.name);
        entry("source", model.source);
        sql(model.sql);
        key("primary_key");
        out << YAML::Flow << YAML::BeginSeq;
        for (const QString &column : model.primaryKey)
            string(column);
        out << YAML::EndSeq << YAML::EndMap;
    }

    void destination(const DestinationDef &destination)
    {
        out << YAML::BeginMap;
        entry("name", destination.name);
        entry("type", destination.type);
        if (!destination.settings.isEmpty()) {
            key("settings");
            variantMap(destination.settings);
        }
        if (!destination.secrets.isEmpty()) {
            key("secrets");
            out << YAML::BeginMap;
            for (auto it = destination.secrets.cbegin(); it != destination.secrets.cend(); ++it) {
                out << YAML::Key;
                string(it.key());
                out << YAML::Value;
                secret(it.value());
            }
            out << YAML::EndMap;
        }
        out << YAML::EndMap;
    }

    void mappingEntry(const MappingEntry &entry)
    {
        out << YAML::Flow << YAML::BeginMap;
        switch (entry.kind) {
        case MappingEntry::SourceKind::Column:
            this->entry("column", entry.column);
            break;
        case MappingEntry::SourceKind::Template:
            key("template");
            quoted(entry.templateText);
            break;
        case MappingEntry::SourceKind::Constant:
            this->entry("value", entry.value);
            break;
        }
        this->entry("field", entry.field);
        if (!entry.cast.isEmpty())
            this->entry("cast", entry.cast);
        out << YAML::EndMap;
    }

    void sync(const SyncDef &sync)
    {
        out << YAML::BeginMap;
        entry("name", sync.name);
        entry("model", sync.model);
        entry("destination", sync.destination);
        if (!sync.object.isEmpty())
            entry("object", sync.object);
        entry("mode", syncModeName(sync.mode));
        if (sync.onRemoved)
            entry("on_removed", removedRowActionName(*sync.onRemoved));
        if (!sync.matchColumn.isEmpty() || !sync.matchField.isEmpty()) {
            key("match");
            out << YAML::Flow << YAML::BeginMap;
            entry("column", sync.matchColumn);
            entry("field", sync.matchField);
            out << YAML::EndMap;
        }
        if (!sync.mapping.empty()) {
            key("mapping");
            out << YAML::BeginSeq;
            for (const MappingEntry &mapping : sync.mapping)
                mappingEntry(mapping);
            out << YAML::EndSeq;
        }
        if (!sync.schedule.isEmpty())
            entry("schedule", sync.schedule);
        if (!(sync.guardrails == Guardrails {})) {
            key("guardrails");
            out << YAML::Flow << YAML::BeginMap;
            key("max_removed_share");
            out << yamlscalar::formatDouble(sync.guardrails.maxRemovedShare).toStdString();
            key("stop_on_empty_model");
            out << (sync.guardrails.stopOnEmptyModel ? "true" : "false");
            out << YAML::EndMap;
        }
        if (sync.changeDetection)
            entry("change_detection", changeDetectionName(*sync.changeDetection));
        if (sync.extractConnections != 1) {
            key("extract_connections");
            out << sync.extractConnections;
        }
        out << YAML::EndMap;
    }

    template<typename Def>
    void section(const char *name, const std::vector<Def> &defs, void (Writer::*write)(const Def &))
    {
        key(name);
        if (defs.empty()) {
            out << YAML::Flow << YAML::BeginSeq << YAML::EndSeq;
            return;
        }
        out << YAML::BeginSeq;
        for (const Def &def : defs)
            (this->*write)(def);
        out << YAML::EndSeq;
    }
};

} // namespace

QByteArray YamlCodec::write(const Definitions &definitions)
{
    Writer writer;
    writer.out << YAML::Comment(
        "Syncline definitions. Secrets are references only: { env: VARIABLE } or { keychain: ENTRY }.");
    writer.out << YAML::BeginMap;
    writer.section("sources", definitions.sources, &Writer::source);
    writer.section("models", definitions.models, &Writer::model);
    writer.section("destinations", definitions.destinations, &Writer::destination);
    writer.section("syncs", definitions.syncs, &Writer::sync);
    writer.out << YAML::EndMap;
    QByteArray text(writer.out.c_str(), qsizetype(writer.out.size()));
    if (!text.endsWith('\n'))
        text += '\n';
    return text;
}

} // namespace syncline::engine
