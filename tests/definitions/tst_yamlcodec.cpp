// Definitions as code: the README example reads as written, a file round-trips to equal
// definitions and byte-identical text, values keep their types, and every mistake is reported
// with its line, column, definition and key.
#include "engine/definitions/yamlcodec.h"

#include <QFile>
#include <QTest>

using namespace syncline::engine;

namespace {

QByteArray fixture(const char *name)
{
    QFile file(QStringLiteral(SYNCLINE_SOURCE_DIR "/tests/definitions/data/") + QLatin1String(name));
    if (!file.open(QIODevice::ReadOnly))
        qFatal("missing fixture %s", name);
    return file.readAll();
}

// The line (1-based) of the first occurrence of `needle` in `text`, so expectations follow the fixture.
int lineOf(const QByteArray &text, const char *needle)
{
    const qsizetype at = text.indexOf(needle);
    if (at < 0)
        qFatal("needle %s not in text", needle);
    return int(text.left(at).count('\n')) + 1;
}

} // namespace

class TestYamlCodec : public QObject
{
    Q_OBJECT

private slots:
    void readsTheReadmeExample()
    {
        auto parsed = YamlCodec::parse(fixture("full.yaml"));
        QVERIFY2(parsed, qPrintable(parsed ? QString() : parsed.error().message));
        QCOMPARE(parsed->sources.size(), size_t(3));
        const SourceDef &warehouse = parsed->sources[0];
        QCOMPARE(warehouse.name, QStringLiteral("warehouse"));
        QCOMPARE(warehouse.connection,
            QStringLiteral("Driver={PostgreSQL Unicode};Server=127.0.0.1;Port=5432;Database=shop;Uid=analyst"));
        QCOMPARE(warehouse.password, (SecretRef { SecretRef::Kind::Env, QStringLiteral("WAREHOUSE_PASSWORD") }));
        QCOMPARE(parsed->sources[1].password, (SecretRef { SecretRef::Kind::Keychain, QStringLiteral("crm") }));
        QCOMPARE(parsed->sources[2].password.kind, SecretRef::Kind::None);

        const ModelDef &orders = parsed->models[1];
        QCOMPARE(orders.primaryKey, (QStringList { QStringLiteral("customer_id"), QStringLiteral("id") }));
        QCOMPARE(
            orders.sql, QStringLiteral("select o.id, o.customer_id, o.total\nfrom orders o\nwhere o.status = 'paid'"));

        const DestinationDef &exports = parsed->destinations[0];
        QCOMPARE(exports.settings.value(QStringLiteral("layout")), QVariant(QStringLiteral("snapshot")));
        QCOMPARE(parsed->destinations[1].secrets.value(QStringLiteral("token")),
            (SecretRef { SecretRef::Kind::Env, QStringLiteral("HUBSPOT_TOKEN") }));

        const SyncDef &sync = parsed->syncs[0];
        QCOMPARE(sync.mode, SyncMode::Upsert);
        QCOMPARE(sync.effectiveOnRemoved(), RemovedRowAction::Ignore);
        QCOMPARE(sync.matchColumn, QStringLiteral("id"));
        QCOMPARE(sync.mapping.size(), size_t(3));
        QCOMPARE(sync.mapping[1].kind, MappingEntry::SourceKind::Template);
        QCOMPARE(sync.mapping[1].templateText, QStringLiteral("{{first_name}} {{last_name}}"));
        QCOMPARE(sync.mapping[2].kind, MappingEntry::SourceKind::Constant);
        QCOMPARE(sync.mapping[2].value, QStringLiteral("warehouse"));
        QCOMPARE(sync.guardrails, Guardrails {});

        const SyncDef &mirror = parsed->syncs[1];
        QCOMPARE(mirror.mode, SyncMode::Mirror);
        QCOMPARE(mirror.effectiveOnRemoved(), RemovedRowAction::Clear);
        QCOMPARE(mirror.schedule, QStringLiteral("daily 06:00"));
        QCOMPARE(mirror.guardrails.maxRemovedShare, 0.05);
        QCOMPARE(mirror.guardrails.stopOnEmptyModel, false);
        QCOMPARE(mirror.mapping[0].cast, QStringLiteral("number"));
        QCOMPARE(mirror.mapping[2].value, QStringLiteral("42"));
    }

    void settingsKeepTheirScalarTypes()
    {
        const auto parsed = YamlCodec::parse(fixture("full.yaml"));
        QVERIFY(parsed);
        const QVariantMap settings = parsed->destinations[1].settings;
        QCOMPARE(settings.value(QStringLiteral("batch_size")).typeId(), QMetaType::LongLong);
        QCOMPARE(settings.value(QStringLiteral("batch_size")).toLongLong(), 100);
        QCOMPARE(settings.value(QStringLiteral("rate")).typeId(), QMetaType::Double);
        QCOMPARE(settings.value(QStringLiteral("dry_run")).typeId(), QMetaType::Bool);
        QCOMPARE(settings.value(QStringLiteral("account")), QVariant(QStringLiteral("12345"))); // quoted: text
        QCOMPARE(settings.value(QStringLiteral("note")), QVariant(QStringLiteral("true")));
        QCOMPARE(settings.value(QStringLiteral("scopes")).toList().size(), 2);
        QCOMPARE(settings.value(QStringLiteral("headers")).toMap().value(QStringLiteral("x-team")),
            QVariant(QStringLiteral("growth")));
    }

    void roundTripGivesEqualDefinitionsAndIdenticalText()
    {
        const auto parsed = YamlCodec::parse(fixture("full.yaml"));
        QVERIFY(parsed);
        const QByteArray written = YamlCodec::write(*parsed);
        const auto reparsed = YamlCodec::parse(written);
        QVERIFY2(reparsed, qPrintable(reparsed ? QString() : reparsed.error().message));
        QVERIFY2(*reparsed == *parsed, written.constData());
        QCOMPARE(YamlCodec::write(*reparsed), written);
    }

    void writtenLayoutIsReadable()
    {
        const QByteArray written = YamlCodec::write(*YamlCodec::parse(fixture("full.yaml")));
        const QList<QByteArray> lines = written.split('\n');
        QVERIFY(lines.contains("    sql: |")); // multi-line SQL as a literal block
        QVERIFY(lines.contains("      from orders o"));
        QVERIFY(lines.contains("    match: {column: id, field: id}")); // short maps in flow style
        QVERIFY(lines.contains("      - {template: \"{{first_name}} {{last_name}}\", field: full_name}"));
        QVERIFY(lines.contains("    password: {env: WAREHOUSE_PASSWORD}"));
        QVERIFY(lines.contains("    settings: {folder: /tmp/exports, format: jsonl, layout: snapshot}"));
        QVERIFY(lines.contains("      account: \"12345\"")); // text that looks like a number stays quoted
        QVERIFY(lines.contains("      - {value: \"42\", field: pipeline}"));
        QVERIFY(!written.contains("guardrails: {max_removed_share: 0.2")); // defaults are left out
        // Keys come in a fixed order.
        QVERIFY(lineOf(written, "name: orders-to-hubspot") < lineOf(written, "    model: orders"));
        QVERIFY(lineOf(written, "    mode: mirror") < lineOf(written, "    on_removed: clear"));
        QVERIFY(lineOf(written, "    on_removed: clear") < lineOf(written, "    match: {column: id, field: deal_id}"));
        QVERIFY(written.indexOf("sources:") < written.indexOf("models:"));
        QVERIFY(written.indexOf("destinations:") < written.indexOf("syncs:"));
    }

    void changeDetectionIsReadAndWrittenWhereItIsSet()
    {
        const QByteArray yaml = "sources:\n  - name: w\n    connection: DSN=w\n    change_detection: warehouse\n"
                                "    planner_schema: syncline_state\n  - name: v\n    connection: DSN=v\n"
                                "syncs:\n  - name: x\n    model: m\n    destination: d\n    change_detection: warehouse_hash\n"
                                "  - name: y\n    model: m\n    destination: d\n";
        const auto parsed = YamlCodec::parse(yaml);
        QVERIFY2(parsed, qPrintable(parsed ? QString() : parsed.error().message));
        QCOMPARE(parsed->sources[0].changeDetection, ChangeDetection::Warehouse);
        QCOMPARE(parsed->sources[0].plannerSchema, QStringLiteral("syncline_state"));
        QVERIFY(!parsed->sources[1].changeDetection); // unset: the best the warehouse allows
        QCOMPARE(parsed->syncs[0].changeDetection, ChangeDetection::WarehouseHash);
        QVERIFY(!parsed->syncs[1].changeDetection);
        const QByteArray written = YamlCodec::write(*parsed);
        QVERIFY(written.contains("    change_detection: warehouse_hash\n"));
        QVERIFY(written.contains("    planner_schema: syncline_state\n"));
        QCOMPARE(written.count("change_detection"), 2); // only where it was set
        const auto reparsed = YamlCodec::parse(written);
        QVERIFY(reparsed);
        QVERIFY(*reparsed == *parsed);
    }

    void emptyDocumentIsNoDefinitions()
    {
        for (const QByteArray &text :
            { QByteArray(), QByteArray("# nothing yet\n"), QByteArray("sources: []\nsyncs:\n") }) {
            const auto parsed = YamlCodec::parse(text);
            QVERIFY2(parsed, qPrintable(parsed ? QString() : parsed.error().message));
            QVERIFY(*parsed == Definitions {});
        }
        const QByteArray written = YamlCodec::write(Definitions {});
        QVERIFY(written.contains("syncs: []"));
        QVERIFY(*YamlCodec::parse(written) == Definitions {});
    }

    void mistakesNameLineColumnDefinitionAndKey_data()
    {
        QTest::addColumn<QByteArray>("yaml");
        QTest::addColumn<QString>("expected");
        const QByteArray head
            = "sources:\n  - name: w\n    connection: DSN=w\nmodels:\n  - name: m\n    source: w\n"
              "    sql: select 1\n    primary_key: [id]\ndestinations:\n  - name: d\n    type: file\nsyncs:\n"
              "  - name: x\n    model: m\n    destination: d\n";
        QTest::newRow("unknown mode") << head + "    mode: upsret\n"
                                      << QStringLiteral("line 16, column 11: sync 'x': unknown mode 'upsret' "
                                                        "(expected upsert, update, insert, mirror or all)");
        QTest::newRow("unknown on_removed")
            << head + "    on_removed: purge\n"
            << QStringLiteral("line 16, column 17: sync 'x': unknown on_removed 'purge' "
                              "(expected ignore, clear or delete)");
        QTest::newRow("typo in a key")
            << head + "    mdoe: upsert\n"
            << QStringLiteral("line 16, column 5: sync 'x': unknown key 'mdoe' (expected name, model, "
                              "destination, object, mode, on_removed, match, mapping, schedule, guardrails, change_detection, extract_connections)");
        QTest::newRow("unknown change detection")
            << head + "    change_detection: warehouse-hash\n"
            << QStringLiteral("line 16, column 23: sync 'x': unknown change_detection 'warehouse-hash' "
                              "(expected local, warehouse_hash or warehouse)");
        QTest::newRow("unknown change detection on a source")
            << QByteArray("sources:\n  - name: w\n    connection: DSN=w\n    change_detection: remote\n")
            << QStringLiteral("line 4, column 23: source 'w': unknown change_detection 'remote' "
                              "(expected local, warehouse_hash or warehouse)");
        QTest::newRow("warehouse change detection without a planner schema")
            << QByteArray("sources:\n  - name: w\n    connection: DSN=w\n    change_detection: warehouse\n")
            << QStringLiteral("line 4, column 23: source 'w': change_detection 'warehouse' keeps its state in the "
                              "warehouse: add planner_schema: SCHEMA");
        QTest::newRow("entry with column and value")
            << head + "    mapping:\n      - { column: a, value: b, field: f }\n"
            << QStringLiteral(
                   "line 17, column 9: sync 'x': mapping entry 1: needs exactly one of column, template or value "
                   "(it has column and value)");
        QTest::newRow("entry without a source")
            << head + "    mapping:\n      - { column: a, field: a }\n      - { field: f }\n"
            << QStringLiteral("line 18, column 9: sync 'x': mapping entry 2: needs one of column, "
                              "template or value");
        QTest::newRow("entry without field")
            << head + "    mapping:\n      - { column: a }\n"
            << QStringLiteral("line 17, column 9: sync 'x': mapping entry 1: missing key 'field'");
        QTest::newRow("unknown cast") << head + "    mapping:\n      - { column: a, field: a, cast: money }\n"
                                      << QStringLiteral(
                                             "line 17, column 38: sync 'x': mapping entry 1: unknown cast 'money'");
        QTest::newRow("field mapped twice")
            << head + "    mapping:\n      - { column: a, field: a }\n      - { column: b, field: a }\n"
            << QStringLiteral("line 13, column 5: sync 'x': field 'a' is mapped twice (entries 1 and 2)");
        QTest::newRow("share out of range")
            << head + "    guardrails: { max_removed_share: 20 }\n"
            << QStringLiteral("sync 'x': guardrails.max_removed_share 20 is outside 0..1");
        QTest::newRow("share not a number")
            << head + "    guardrails: { max_removed_share: lots }\n"
            << QStringLiteral("line 16, column 38: sync 'x': guardrails: 'max_removed_share' must be a number");
        QTest::newRow("name defined twice")
            << head + "  - name: x\n    model: m\n    destination: d\n"
            << QStringLiteral("line 16, column 11: sync 'x': is defined twice (first at line 13)");
        QTest::newRow("missing primary key")
            << QByteArray("models:\n  - name: m\n    source: w\n    sql: select 1\n")
            << QStringLiteral("line 2, column 5: model 'm': missing key 'primary_key'");
        QTest::newRow("empty primary key")
            << QByteArray("models:\n  - name: m\n    source: w\n    sql: select 1\n    primary_key: []\n")
            << QStringLiteral("line 5, column 18: model 'm': 'primary_key' is empty");
        QTest::newRow("missing name") << QByteArray("sources:\n  - connection: DSN=w\n")
                                      << QStringLiteral("line 2, column 5: this source: missing key 'name'");
        QTest::newRow("destination without type")
            << QByteArray("destinations:\n  - name: d\n    settings: { a: 1 }\n")
            << QStringLiteral("line 2, column 5: destination 'd': missing key 'type'");
        QTest::newRow("secret in settings")
            << QByteArray("destinations:\n  - name: d\n    type: webhook\n    settings: { url: x, token: abc }\n")
            << QStringLiteral(
                   "line 2, column 5: destination 'd': settings.token looks like a secret; remove it from settings "
                   "and write secrets: { token: { env: VARIABLE } }");
        QTest::newRow("bad secret reference")
            << QByteArray("sources:\n  - name: w\n    connection: DSN=w\n    password: { file: x }\n")
            << QStringLiteral("line 4, column 17: source 'w': 'password' must be { env: VARIABLE } "
                              "or { keychain: ENTRY }");
        QTest::newRow("section not a list")
            << QByteArray("sources:\n  name: w\n") << QStringLiteral("line 2, column 3: 'sources' must be a list");
        QTest::newRow("unknown section")
            << QByteArray("source:\n  - name: w\n")
            << QStringLiteral("line 1, column 1: unknown key 'source' (expected sources, models, destinations, syncs)");
        QTest::newRow("broken YAML") << QByteArray("sources:\n  - name: [w\n    connection: x\n")
                                     << QStringLiteral("this is not valid YAML");
    }

    void mistakesNameLineColumnDefinitionAndKey()
    {
        QFETCH(QByteArray, yaml);
        QFETCH(QString, expected);
        const auto parsed = YamlCodec::parse(yaml);
        QVERIFY(!parsed);
        QCOMPARE(parsed.error().code, QStringLiteral("definitions.yaml"));
        QVERIFY2(parsed.error().message.contains(expected), qPrintable(parsed.error().message));
        QVERIFY(parsed.error().message.startsWith(QStringLiteral("line ")));
    }

    void passwordInAConnectionStringIsRefusedWithoutEchoingIt()
    {
        const QByteArray yaml
            = "sources:\n  - name: warehouse\n"
              "    connection: \"Driver={PostgreSQL Unicode};Server=db;Uid=analyst;Pwd={s3cret;pw}\"\n";
        const auto parsed = YamlCodec::parse(yaml);
        QVERIFY(!parsed);
        QVERIFY2(parsed.error().message.startsWith(
                     QStringLiteral("line 3, column 17: source 'warehouse': the connection string "
                                    "contains a password")),
            qPrintable(parsed.error().message));
        QVERIFY(parsed.error().message.contains(QStringLiteral("password: { env: VARIABLE }")));
        QVERIFY(!parsed.error().message.contains(QStringLiteral("s3cret")));
        QVERIFY(!YamlCodec::parse("sources:\n  - name: w\n    connection: \"DSN=w;PASSWORD=x\"\n"));
        QVERIFY(
            YamlCodec::parse("sources:\n  - name: w\n    connection: \"DSN=w;Uid=pwd\"\n")); // a user named pwd is fine
    }
};

QTEST_GUILESS_MAIN(TestYamlCodec)
#include "tst_yamlcodec.moc"
