#include "engine/demo/demoworkspace.h"

#include "engine/core/appfolders.h"
#include "engine/demo/demowarehouse.h"
#include "engine/state/definitionstore.h"

#include <QDir>

namespace syncline::engine::demo {

namespace {

MappingEntry column(const QString &name, const QString &field, const QString &cast = {})
{
    return MappingEntry::fromColumn(name, field, cast);
}

MappingEntry templated(const QString &text, const QString &field)
{
    return MappingEntry::fromTemplate(text, field);
}

MappingEntry constant(const QString &value, const QString &field)
{
    return MappingEntry::fromValue(value, field);
}

template <typename Lookup, typename Save>
Result<void> saveIfMissing(Lookup lookup, Save save)
{
    auto existing = lookup();
    if (!existing)
        return std::unexpected(existing.error());
    if (existing->has_value())
        return {};
    return save();
}

} // namespace

QString defaultDemoExportFolder()
{
    const QString demoDir = qEnvironmentVariable("SYNCLINE_DEMO_DIR");
    if (!demoDir.isEmpty())
        return demoDir + QStringLiteral("/exports");
    return AppFolders::dataFolder() + QStringLiteral("/demo-exports");
}

Result<void> installDemoDefinitions(state::DefinitionStore &definitions, const QString &exportFolder,
                                    const QString &warehouseFolder)
{
    const auto warehouse = ensureDemoWarehouse(warehouseFolder);
    if (!warehouse)
        return std::unexpected(warehouse.error());
    if (!QDir().mkpath(exportFolder))
        return fail(QStringLiteral("demo.create"),
                    QStringLiteral("Could not create the demo export folder %1; check its permissions.").arg(exportFolder));

    SourceDef source;
    source.name = DemoNames::source();
    source.connection = demoConnectionString(*warehouse);

    ModelDef model;
    model.name = DemoNames::model();
    model.source = source.name;
    model.sql = QStringLiteral("select id, email, first_name, last_name, plan, country, seats, lifetime_value,\n"
                               "       signup_date, is_active\n"
                               "from customers");
    model.primaryKey = {QStringLiteral("id")};

    DestinationDef destination;
    destination.name = DemoNames::destination();
    destination.type = QStringLiteral("file");
    destination.settings = {{QStringLiteral("folder"), exportFolder},
                            {QStringLiteral("format"), QStringLiteral("csv")},
                            {QStringLiteral("layout"), QStringLiteral("snapshot")}};

    SyncDef sync;
    sync.name = DemoNames::sync();
    sync.model = model.name;
    sync.destination = destination.name;
    sync.object = QStringLiteral("customers");
    sync.mode = SyncMode::Upsert;
    sync.matchColumn = QStringLiteral("id");
    sync.matchField = QStringLiteral("customer_id");
    sync.mapping = {
        column(QStringLiteral("email"), QStringLiteral("email")),
        templated(QStringLiteral("{{first_name}} {{last_name}}"), QStringLiteral("full_name")),
        column(QStringLiteral("plan"), QStringLiteral("plan")),
        column(QStringLiteral("country"), QStringLiteral("country")),
        column(QStringLiteral("seats"), QStringLiteral("seats"), QStringLiteral("integer")),
        column(QStringLiteral("lifetime_value"), QStringLiteral("lifetime_value"), QStringLiteral("number")),
        column(QStringLiteral("signup_date"), QStringLiteral("signed_up_on")),
        column(QStringLiteral("is_active"), QStringLiteral("active"), QStringLiteral("boolean")),
        constant(QStringLiteral("syncline-demo"), QStringLiteral("source")),
    };

    if (auto ok = saveIfMissing([&] { return definitions.source(source.name); },
                                [&] { return definitions.saveSource(source); });
        !ok)
        return ok;
    if (auto ok = saveIfMissing([&] { return definitions.model(model.name); },
                                [&] { return definitions.saveModel(model); });
        !ok)
        return ok;
    if (auto ok = saveIfMissing([&] { return definitions.destination(destination.name); },
                                [&] { return definitions.saveDestination(destination); });
        !ok)
        return ok;
    return saveIfMissing([&] { return definitions.sync(sync.name); }, [&] { return definitions.saveSync(sync); });
}

} // namespace syncline::engine::demo
