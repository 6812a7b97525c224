// The sync key extract_connections (how many connections the model is read over): read and
// written only where set, kept by the workspace store, and a bad value refused with its line
// and column like every other key.
#include "engine/definitions/yamlcodec.h"
#include "engine/state/definitionstore.h"
#include "engine/state/workspace.h"

#include <QTemporaryDir>
#include <QTest>

using namespace syncline::engine;

namespace {

const QByteArray kDocument = "sources:\n  - name: w\n    connection: DSN=w\n"
                             "models:\n  - name: m\n    source: w\n    sql: select id from t\n    primary_key: id\n"
                             "destinations:\n  - name: d\n    type: file\n"
                             "syncs:\n  - name: x\n    model: m\n    destination: d\n    extract_connections: 4\n"
                             "  - name: y\n    model: m\n    destination: d\n";

} // namespace

class TestExtractConnections : public QObject
{
    Q_OBJECT

private slots:
    void isReadAndWrittenOnlyWhereSet()
    {
        const auto parsed = YamlCodec::parse(kDocument);
        QVERIFY2(parsed, qPrintable(parsed ? QString() : parsed.error().message));
        QCOMPARE(parsed->syncs[0].extractConnections, 4);
        QCOMPARE(parsed->syncs[1].extractConnections, 1); // unset: one connection
        const QByteArray written = YamlCodec::write(*parsed);
        QVERIFY2(written.contains("    extract_connections: 4\n"), written.constData());
        QCOMPARE(written.count("extract_connections"), 1);
        const auto reparsed = YamlCodec::parse(written);
        QVERIFY(reparsed);
        QVERIFY(*reparsed == *parsed);
    }

    void theWorkspaceKeepsIt()
    {
        QTemporaryDir dir;
        QVERIFY(dir.isValid());
        auto workspace = state::Workspace::open(dir.filePath(QStringLiteral("w.syncline")));
        QVERIFY2(workspace, qPrintable(workspace ? QString() : workspace.error().message));
        state::DefinitionStore store(**workspace);
        const auto parsed = YamlCodec::parse(kDocument);
        QVERIFY(parsed);
        auto imported = store.importDefinitions(*parsed);
        QVERIFY2(imported, qPrintable(imported ? QString() : imported.error().message));
        auto x = store.sync(QStringLiteral("x"));
        QVERIFY(x && *x);
        QCOMPARE((*x)->extractConnections, 4);
        auto y = store.sync(QStringLiteral("y"));
        QVERIFY(y && *y);
        QCOMPARE((*y)->extractConnections, 1);
        // Back to one: the stored value goes with it.
        SyncDef one = **x;
        one.extractConnections = 1;
        QVERIFY(store.saveSync(one));
        QCOMPARE((*store.sync(QStringLiteral("x")))->extractConnections, 1);
        auto exported = store.exportDefinitions();
        QVERIFY(exported);
        QVERIFY(!YamlCodec::write(*exported).contains("extract_connections"));
    }

    void badValuesNameLineAndColumn_data()
    {
        QTest::addColumn<QByteArray>("value");
        QTest::newRow("zero") << QByteArray("0");
        QTest::newRow("too many") << QByteArray("17");
        QTest::newRow("negative") << QByteArray("-2");
        QTest::newRow("fraction") << QByteArray("2.5");
        QTest::newRow("word") << QByteArray("four");
        QTest::newRow("list") << QByteArray("[4]");
    }

    void badValuesNameLineAndColumn()
    {
        QFETCH(QByteArray, value);
        QByteArray yaml = kDocument;
        yaml.replace(QByteArray("extract_connections: 4"), QByteArray(QByteArray("extract_connections: ") + value));
        const auto parsed = YamlCodec::parse(yaml);
        QVERIFY(!parsed);
        QCOMPARE(parsed.error().code, QStringLiteral("definitions.yaml"));
        // Where the value starts in the file, 1-based.
        const qsizetype at = yaml.indexOf("extract_connections: ") + qsizetype(qstrlen("extract_connections: "));
        const qsizetype line = yaml.left(at).count('\n') + 1;
        const qsizetype column = at - yaml.lastIndexOf('\n', at - 1);
        const QString expected = QStringLiteral("line %1, column %2: sync 'x': 'extract_connections' must be a whole number from 1 to 16")
                                     .arg(line)
                                     .arg(column);
        QVERIFY2(parsed.error().message.startsWith(expected), qPrintable(parsed.error().message + QStringLiteral(" / expected ") + expected));
    }

    void aStoredValueOutsideTheRangeIsRefused()
    {
        QTemporaryDir dir;
        auto workspace = state::Workspace::open(dir.filePath(QStringLiteral("w.syncline")));
        QVERIFY(workspace);
        state::DefinitionStore store(**workspace);
        auto parsed = YamlCodec::parse(kDocument);
        QVERIFY(parsed);
        parsed->syncs[0].extractConnections = 40;
        auto imported = store.importDefinitions(*parsed);
        QVERIFY(!imported);
        QVERIFY2(imported.error().message.contains(QStringLiteral("extract_connections 40 is outside 1..16")),
                 qPrintable(imported.error().message));
    }
};

QTEST_GUILESS_MAIN(TestExtractConnections)
#include "tst_extractconnections.moc"
