// `syncline-cli import` / `export` as a user runs them: what they print, that export then import
// changes nothing, that a failed import leaves the workspace as it was, and that the file stays sound.
#include "engine/definitions/yamlcodec.h"
#include "engine/state/workspace.h"

#include <QFile>
#include <QProcess>
#include <QTemporaryDir>
#include <QTest>

#include <algorithm>

using namespace syncline::engine;

namespace {

struct CliResult
{
    int exitCode = -1;
    QString out;
    QString err;
};

CliResult cli(
    const QStringList &arguments, const QProcessEnvironment &environment = QProcessEnvironment::systemEnvironment())
{
    QProcess process;
    process.setProcessEnvironment(environment);
    process.start(QStringLiteral(SYNCLINE_CLI), arguments);
    if (!process.waitForFinished(60000))
        qFatal("syncline-cli did not finish");
    return { process.exitStatus() == QProcess::NormalExit ? process.exitCode() : -1,
        QString::fromUtf8(process.readAllStandardOutput()), QString::fromUtf8(process.readAllStandardError()) };
}

QString fixturePath(const char *name)
{
    return QStringLiteral(SYNCLINE_SOURCE_DIR "/tests/definitions/data/") + QLatin1String(name);
}

// Export lists each kind by name; sort a parsed file the same way to compare contents.
Definitions sortedByName(Definitions definitions)
{
    const auto byName = [](const auto &a, const auto &b) { return a.name < b.name; };
    std::sort(definitions.sources.begin(), definitions.sources.end(), byName);
    std::sort(definitions.models.begin(), definitions.models.end(), byName);
    std::sort(definitions.destinations.begin(), definitions.destinations.end(), byName);
    std::sort(definitions.syncs.begin(), definitions.syncs.end(), byName);
    return definitions;
}

Definitions parseFile(const QString &path)
{
    QFile file(path);
    if (!file.open(QIODevice::ReadOnly))
        qFatal("cannot read %s", qPrintable(path));
    auto parsed = YamlCodec::parse(file.readAll());
    if (!parsed)
        qFatal("%s", qPrintable(parsed.error().message));
    return *parsed;
}

} // namespace

class TestImportExport : public QObject
{
    Q_OBJECT

private:
    QTemporaryDir m_dir;
    int m_counter = 0;
    QString freshWorkspace() { return m_dir.filePath(QStringLiteral("cli%1.syncline").arg(++m_counter)); }

    void verifyIntegrity(const QString &path)
    {
        auto workspace = state::Workspace::open(path, state::Workspace::OpenMode::MustExist);
        QVERIFY(workspace);
        QCOMPARE(*(*workspace)->integrityCheck(), QStringLiteral("ok"));
    }

private slots:
    void initTestCase() { QVERIFY(m_dir.isValid()); }

    void importPrintsWhatItCreatedThenNothingChanges()
    {
        const QString workspace = freshWorkspace();
        const CliResult first
            = cli({ QStringLiteral("import"), fixturePath("importable.yaml"), QStringLiteral("--workspace"), workspace });
        QCOMPARE(first.exitCode, 0);
        QVERIFY2(first.out.contains(QStringLiteral("created source 'warehouse'\n")), qPrintable(first.out));
        QVERIFY(first.out.contains(QStringLiteral("created sync 'orders-to-crm-files'\n")));
        QVERIFY(first.out.contains(QStringLiteral(": 9 created, 0 updated, 0 unchanged")));

        const CliResult second
            = cli({ QStringLiteral("import"), fixturePath("importable.yaml"), QStringLiteral("--workspace=") + workspace });
        QCOMPARE(second.exitCode, 0);
        QVERIFY(second.out.contains(QStringLiteral("unchanged model 'customers'\n")));
        QVERIFY(second.out.contains(QStringLiteral(": 0 created, 0 updated, 9 unchanged")));
        verifyIntegrity(workspace);
    }

    void exportReproducesTheImportedDefinitionsAndIsStable()
    {
        const QString workspace = freshWorkspace();
        QCOMPARE(cli({ QStringLiteral("import"), fixturePath("importable.yaml"), QStringLiteral("--workspace"), workspace })
                     .exitCode,
            0);
        const CliResult exported = cli({ QStringLiteral("export"), QStringLiteral("--workspace"), workspace });
        QCOMPARE(exported.exitCode, 0);
        const auto parsed = YamlCodec::parse(exported.out.toUtf8());
        QVERIFY2(parsed, qPrintable(parsed ? QString() : parsed.error().message));
        QVERIFY2(*parsed == sortedByName(parseFile(fixturePath("importable.yaml"))), qPrintable(exported.out));
        QVERIFY(!exported.out.contains(QStringLiteral("Pwd"), Qt::CaseInsensitive));

        // The export imported into another workspace exports byte for byte the same.
        const QString copy = m_dir.filePath(QStringLiteral("exported.yaml"));
        const CliResult toFile = cli(
            { QStringLiteral("export"), QStringLiteral("--workspace"), workspace, QStringLiteral("--output"), copy });
        QCOMPARE(toFile.exitCode, 0);
        QVERIFY(toFile.out.contains(QStringLiteral("exported 3 sources, 2 models, 2 destinations and 2 syncs to ")));
        const QString other = freshWorkspace();
        QCOMPARE(cli({ QStringLiteral("import"), copy, QStringLiteral("--workspace"), other }).exitCode, 0);
        QCOMPARE(cli({ QStringLiteral("export"), QStringLiteral("--workspace"), other }).out, exported.out);
        const CliResult reimport = cli({ QStringLiteral("import"), copy, QStringLiteral("--workspace"), workspace });
        QVERIFY(reimport.out.contains(QStringLiteral(": 0 created, 0 updated, 9 unchanged")));
    }

    void failedImportLeavesTheWorkspaceAsItWas()
    {
        const QString workspace = freshWorkspace();
        QCOMPARE(cli({ QStringLiteral("import"), fixturePath("importable.yaml"), QStringLiteral("--workspace"), workspace })
                     .exitCode,
            0);
        const QString before = cli({ QStringLiteral("export"), QStringLiteral("--workspace"), workspace }).out;

        // Valid YAML whose last sync points at a destination that exists nowhere: the source change before it must not
        // stick.
        const QString dangling = m_dir.filePath(QStringLiteral("dangling.yaml"));
        QFile file(dangling);
        QVERIFY(file.open(QIODevice::WriteOnly));
        file.write("sources:\n  - name: warehouse\n    connection: DSN=changed\n"
                   "syncs:\n  - name: customers-to-exports\n    model: customers\n    destination: nowhere\n");
        file.close();
        const CliResult failed = cli({ QStringLiteral("import"), dangling, QStringLiteral("--workspace"), workspace });
        QCOMPARE(failed.exitCode, 1);
        QVERIFY2(failed.err.startsWith(QStringLiteral("syncline-cli: %1: line 5: sync 'customers-to-exports': field "
                                                      "'destination' names an unknown destination 'nowhere'")
                                           .arg(dangling)),
            qPrintable(failed.err));
        QVERIFY(failed.err.contains(QStringLiteral("nothing was imported")));
        QCOMPARE(cli({ QStringLiteral("export"), QStringLiteral("--workspace"), workspace }).out, before);

        // A YAML mistake names the file, line, column and key.
        const QString typo = m_dir.filePath(QStringLiteral("typo.yaml"));
        QFile typoFile(typo);
        QVERIFY(typoFile.open(QIODevice::WriteOnly));
        typoFile.write("syncs:\n  - name: customers-to-exports\n    model: customers\n    destination: exports\n    "
                       "mode: upsret\n");
        typoFile.close();
        const CliResult yamlError = cli({ QStringLiteral("import"), typo, QStringLiteral("--workspace"), workspace });
        QCOMPARE(yamlError.exitCode, 1);
        QCOMPARE(yamlError.err.trimmed(),
            QStringLiteral("syncline-cli: %1: line 5, column 11: sync 'customers-to-exports': unknown mode 'upsret' "
                           "(expected upsert, update, insert, mirror or all)")
                .arg(typo));
        QCOMPARE(cli({ QStringLiteral("export"), QStringLiteral("--workspace"), workspace }).out, before);
        verifyIntegrity(workspace);
    }

    void destinationsTheirConnectorRefusesAreAllListedAndNothingIsImported()
    {
        const QString workspace = freshWorkspace();
        QCOMPARE(cli({ QStringLiteral("import"), fixturePath("importable.yaml"), QStringLiteral("--workspace"), workspace })
                     .exitCode,
            0);
        const QString before = cli({ QStringLiteral("export"), QStringLiteral("--workspace"), workspace }).out;

        // A source change that would be valid, and three destinations with four problems between them.
        const QString path = m_dir.filePath(QStringLiteral("schema.yaml"));
        QFile file(path);
        QVERIFY(file.open(QIODevice::WriteOnly));
        file.write("sources:\n  - name: warehouse\n    connection: DSN=changed\n"
                   "destinations:\n"
                   "  - name: crm-api\n"
                   "    type: fil\n"
                   "  - name: exports\n"
                   "    type: file\n"
                   "    settings: { foldr: /tmp/x, format: xml }\n"
                   "  - name: pigeons\n"
                   "    type: carrier_pigeon\n");
        file.close();
        const CliResult refused = cli({ QStringLiteral("import"), path, QStringLiteral("--workspace"), workspace });
        QCOMPARE(refused.exitCode, 1);
        const QString expected =
            QStringLiteral("syncline-cli: %1: 5 problem(s) with destinations; nothing was imported\n"
                           "  %1: line 6, column 11: destination 'crm-api': unknown type 'fil'; did you mean 'file'?\n"
                           "  %1: line 9, column 15: destination 'exports': missing required setting 'folder' (path: An "
                           "existing folder Syncline may write to; one file per object)\n"
                           "  %1: line 9, column 17: destination 'exports': unknown setting 'foldr'; did you mean 'folder'?\n"
                           "  %1: line 9, column 40: destination 'exports': setting 'format' must be one of csv, jsonl, "
                           "not 'xml'\n"
                           "  %1: line 11, column 11: destination 'pigeons': unknown type 'carrier_pigeon'; known types: ")
                .arg(path);
        // The known types are whatever this build registers; 'file' is always among them.
        const QString refusal = refused.err.trimmed();
        QVERIFY2(refusal.startsWith(expected), qPrintable(refusal));
        const QStringList known = refusal.mid(expected.size()).split(QStringLiteral(", "));
        QVERIFY2(known.contains(QStringLiteral("file")), qPrintable(refusal));
        QVERIFY2(!known.contains(QStringLiteral("carrier_pigeon")), qPrintable(refusal));
        QCOMPARE(cli({ QStringLiteral("export"), QStringLiteral("--workspace"), workspace }).out, before);
        // full.yaml parses (its codec test uses it) but gives its hubspot destination settings the
        // hubspot connector does not have (rate, dry_run, account ...), so the import refuses it.
        QCOMPARE(cli({ QStringLiteral("import"), fixturePath("full.yaml"), QStringLiteral("--workspace"), workspace })
                     .exitCode,
            1);
        QCOMPARE(cli({ QStringLiteral("export"), QStringLiteral("--workspace"), workspace }).out, before);
    }

    void workspaceOptionDefaultsAndErrors()
    {
        QProcessEnvironment environment = QProcessEnvironment::systemEnvironment();
        const QString fromEnvironment = freshWorkspace();
        environment.insert(QStringLiteral("SYNCLINE_WORKSPACE"), fromEnvironment);
        QCOMPARE(cli({ QStringLiteral("import"), fixturePath("importable.yaml") }, environment).exitCode, 0);
        QVERIFY(QFile::exists(fromEnvironment));
        QVERIFY(
            cli({ QStringLiteral("export") }, environment).out.contains(QStringLiteral("name: customers-to-exports")));

        const CliResult noValue = cli({ QStringLiteral("export"), QStringLiteral("--workspace") });
        QCOMPARE(noValue.exitCode, 2);
        QCOMPARE(noValue.err.trimmed(), QStringLiteral("syncline-cli: --workspace needs a value"));

        const QString missing = m_dir.filePath(QStringLiteral("missing.syncline"));
        const CliResult notThere = cli({ QStringLiteral("export"), QStringLiteral("--workspace"), missing });
        QCOMPARE(notThere.exitCode, 1);
        QVERIFY(notThere.err.startsWith(QStringLiteral("syncline-cli: workspace %1 does not exist").arg(missing)));
        QVERIFY(!QFile::exists(missing));

        const CliResult notYaml = cli({ QStringLiteral("import"), m_dir.filePath(QStringLiteral("absent.yaml")),
            QStringLiteral("--workspace"), freshWorkspace() });
        QCOMPARE(notYaml.exitCode, 1);
        QVERIFY(notYaml.err.contains(QStringLiteral("cannot read")));
    }
};

QTEST_GUILESS_MAIN(TestImportExport)
#include "tst_importexport.moc"
