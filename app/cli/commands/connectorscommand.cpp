// `syncline-cli connectors [--json]`: every destination type this Syncline knows, with what it can
// do and its settings schema, so a user or a script can find out how to configure one.
#include "app/cli/command.h"
#include "connectors/builtinconnectors.h"
#include "engine/connector/connectorregistry.h"
#include "engine/sync/syncplanner.h"

#include <QCommandLineParser>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>

#include <algorithm>

namespace syncline::cli {
namespace {

using engine::connector::ConnectorType;
using engine::connector::SettingSpec;

bool isSecret(const SettingSpec &setting)
{
    return setting.type == SettingSpec::Type::Secret;
}

QStringList operationNames(const ConnectorType &type)
{
    QStringList names;
    for (const auto operation : type.capabilities.operations)
        names << engine::connector::operationName(operation);
    return names;
}

QJsonObject connectorJson(const ConnectorType &type)
{
    QJsonArray settings;
    for (const SettingSpec &setting : type.settings) {
        QJsonObject object { { QStringLiteral("key"), setting.key }, { QStringLiteral("label"), setting.label },
            { QStringLiteral("type"), engine::connector::settingTypeName(setting.type) },
            { QStringLiteral("required"), setting.required }, { QStringLiteral("secret"), isSecret(setting) },
            { QStringLiteral("default"),
                setting.defaultValue.isValid() ? QJsonValue::fromVariant(setting.defaultValue) : QJsonValue() },
            { QStringLiteral("help"), setting.help } };
        if (setting.type == SettingSpec::Type::Choice)
            object.insert(QStringLiteral("choices"), QJsonArray::fromStringList(setting.choices));
        settings.append(object);
    }
    return QJsonObject { { QStringLiteral("id"), type.id }, { QStringLiteral("label"), type.label },
        { QStringLiteral("capabilities"),
            QJsonObject { { QStringLiteral("operations"), QJsonArray::fromStringList(operationNames(type)) },
                { QStringLiteral("max_batch_size"), type.capabilities.maxBatchSize },
                { QStringLiteral("discovers_objects"), type.capabilities.discoversObjects } } },
        { QStringLiteral("settings"), settings } };
}

QString defaultText(const SettingSpec &setting)
{
    if (!setting.defaultValue.isValid() || setting.defaultValue.isNull())
        return QStringLiteral("-");
    if (setting.defaultValue.typeId() == QMetaType::QVariantMap
        || setting.defaultValue.typeId() == QMetaType::QVariantList)
        return QString::fromUtf8(QJsonDocument::fromVariant(setting.defaultValue).toJson(QJsonDocument::Compact));
    return setting.defaultValue.toString();
}

void printTable(QTextStream &out, const char *title, const std::vector<const SettingSpec *> &settings)
{
    if (settings.empty())
        return;
    int keyWidth = 3;
    int typeWidth = 4;
    int defaultWidth = 7;
    for (const SettingSpec *setting : settings) {
        keyWidth = std::max(keyWidth, int(setting->key.size()));
        typeWidth = std::max(typeWidth, int(engine::connector::settingTypeName(setting->type).size()));
        defaultWidth = std::max(defaultWidth, std::min(24, int(defaultText(*setting).size())));
    }
    out << "  " << title << ":\n";
    out << QStringLiteral("    %1  %2  %3  %4  %5\n")
               .arg(QStringLiteral("key"), -keyWidth)
               .arg(QStringLiteral("type"), -typeWidth)
               .arg(QStringLiteral("required"), -8)
               .arg(QStringLiteral("default"), -defaultWidth)
               .arg(QStringLiteral("help"));
    for (const SettingSpec *setting : settings) {
        QString help = setting->help;
        if (setting->type == SettingSpec::Type::Choice)
            help = QStringLiteral("one of %1. %2").arg(setting->choices.join(QStringLiteral(", ")), help);
        out << QStringLiteral("    %1  %2  %3  %4  %5\n")
                   .arg(setting->key, -keyWidth)
                   .arg(engine::connector::settingTypeName(setting->type), -typeWidth)
                   .arg(setting->required ? QStringLiteral("yes") : QStringLiteral("no"), -8)
                   .arg(defaultText(*setting), -defaultWidth)
                   .arg(help);
    }
}

void printConnector(QTextStream &out, const ConnectorType &type)
{
    const QStringList operations = operationNames(type);
    out << type.id << "  " << type.label << "\n";
    out << "  can " << (operations.isEmpty() ? QStringLiteral("(not declared)") : operations.join(QStringLiteral(", ")))
        << "; up to " << engine::sync::formatCount(type.capabilities.maxBatchSize) << " records per batch; "
        << (type.capabilities.discoversObjects ? "lists its objects" : "any object name") << "\n";
    std::vector<const SettingSpec *> settings;
    std::vector<const SettingSpec *> secrets;
    for (const SettingSpec &setting : type.settings)
        (isSecret(setting) ? secrets : settings).push_back(&setting);
    printTable(out, "settings", settings);
    printTable(out, "secrets (each { env: VARIABLE } or { keychain: ENTRY })", secrets);
}

int runConnectors(CommandContext &context)
{
    QCommandLineParser parser;
    parser.addOption(QCommandLineOption(QStringLiteral("json"), QStringLiteral("print one JSON object")));
    if (!parser.parse(QStringList { QStringLiteral("connectors") } + context.arguments))
        return failWith(context, QStringLiteral("connectors: ") + parser.errorText(), 2);
    if (!parser.positionalArguments().isEmpty())
        return failWith(context, QStringLiteral("connectors takes no arguments besides --json"), 2);
    engine::connector::ConnectorRegistry registry;
    connectors::registerBuiltinConnectors(registry);
    std::vector<const ConnectorType *> types;
    for (const ConnectorType &type : registry.types())
        types.push_back(&type);
    std::sort(types.begin(), types.end(), [](const ConnectorType *a, const ConnectorType *b) { return a->id < b->id; });

    if (parser.isSet(QStringLiteral("json"))) {
        QJsonArray list;
        for (const ConnectorType *type : types)
            list.append(connectorJson(*type));
        context.out << QJsonDocument(
            QJsonObject { { QStringLiteral("connectors"),
                list } }).toJson(QJsonDocument::Indented);
        context.out.flush();
        return 0;
    }
    bool first = true;
    for (const ConnectorType *type : types) {
        if (!first)
            context.out << "\n";
        first = false;
        printConnector(context.out, *type);
    }
    context.out.flush();
    return 0;
}

} // namespace

SYNCLINE_CLI_COMMAND(Command { QStringLiteral("connectors"), QStringLiteral("connectors [--json]"),
    QStringLiteral("list the destination types with their capabilities and settings"), &runConnectors });

} // namespace syncline::cli
