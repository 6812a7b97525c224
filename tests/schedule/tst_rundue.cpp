// Scheduled runs end to end on the demo workspace (embedded SQLite warehouse -> CSV files): the
// engine's due runner with an injected clock (a sleep through three due times, an unreachable
// warehouse put off with backoff), and real syncline-cli processes (run-due twice in a row, two
// run-due processes racing for one sync, --workspace before or after the command, schedule show,
// schedule install/uninstall with the generated units checked by systemd-analyze verify).

#include "app/common/enginebootstrap.h"
#include "engine/demo/demoworkspace.h"
#include "engine/schedule/clock.h"
#include "engine/schedule/duerunner.h"
#include "engine/state/definitionstore.h"
#include "engine/state/runstore.h"

#include <QDir>
#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QProcess>
#include <QStandardPaths>
#include <QTemporaryDir>
#include <QTest>

using namespace syncline;
using namespace syncline::engine;

namespace {

const QString kCli = QStringLiteral(SYNCLINE_BINARY_DIR "/app/syncline-cli");
const QString kSync = demo::DemoNames::sync();
const QTimeZone berlin(QByteArrayLiteral("Europe/Berlin"));

class ManualClock final : public schedule::Clock
{
public:
    QDateTime time;
    QDateTime now() const override { return time; }
};

class QuietSink final : public DiagnosticSink
{
public:
    void report(Severity, const QString &, const QString &) override {}
};

QDateTime berlinTime(int year, int month, int day, int hour, int minute)
{
    return QDateTime(QDate(year, month, day), QTime(hour, minute), berlin).toUTC();
}

struct CliResult
{
    int exitCode = -1;
    QByteArray out;
    QByteArray err;
    QJsonObject json() const { return QJsonDocument::fromJson(out).object(); }
};

CliResult runCli(const QStringList &arguments, const QProcessEnvironment &environment = QProcessEnvironment::systemEnvironment())
{
    QProcess cli;
    cli.setProcessEnvironment(environment);
    cli.start(kCli, arguments);
    CliResult result;
    if (!cli.waitForFinished(180000))
        return result;
    result.exitCode = cli.exitStatus() == QProcess::NormalExit ? cli.exitCode() : -1;
    result.out = cli.readAllStandardOutput();
    result.err = cli.readAllStandardError();
    return result;
}

} // namespace

class TestRunDue : public QObject
{
    Q_OBJECT

    QTemporaryDir m_shared; // one demo warehouse for every test
    int m_workspaces = 0;

    // A workspace with the demo definitions, the demo sync scheduled with `schedule`, never run.
    QString demoWorkspace(const QString &schedule)
    {
        const QString path = m_shared.filePath(QStringLiteral("w%1.syncline").arg(++m_workspaces));
        auto workspace = state::Workspace::open(path);
        if (!workspace)
            qFatal("%s", qPrintable(workspace.error().message));
        state::DefinitionStore definitions(**workspace);
        auto installed = demo::installDemoDefinitions(definitions, m_shared.filePath(QStringLiteral("exports%1").arg(m_workspaces)),
                                                      m_shared.filePath(QStringLiteral("warehouse")));
        if (!installed)
            qFatal("%s", qPrintable(installed.error().message));
        auto sync = definitions.sync(kSync);
        SyncDef scheduled = **sync;
        scheduled.schedule = schedule;
        if (auto ok = definitions.saveSync(scheduled); !ok)
            qFatal("%s", qPrintable(ok.error().message));
        return path;
    }

    static std::vector<state::RunInfo> runsOf(const QString &path)
    {
        auto workspace = state::Workspace::open(path, state::Workspace::OpenMode::MustExist);
        return *state::RunStore(**workspace).runs(std::nullopt, 100);
    }

private slots:
    void aSleepThroughThreeDueTimesGivesExactlyOneCatchUpRun()
    {
        if (!berlin.isValid())
            QSKIP("the time zone database has no Europe/Berlin (install tzdata)");
        const QString path = demoWorkspace(QStringLiteral("daily 09:00"));
        QuietSink sink;
        auto engine = app::EngineBootstrap::open(path, sink);
        QVERIFY(engine);
        ManualClock clock;
        schedule::DueRunner runner((*engine)->services(), clock, berlin);

        // Monday 2 March 2037, 09:00:30: never ran, so due at once.
        clock.time = berlinTime(2037, 3, 2, 9, 0);
        auto first = runner.runAllDue();
        QVERIFY(first);
        QCOMPARE(first->size(), size_t(1));
        QCOMPARE(first->front().kind, schedule::DueOutcome::Kind::Ran);
        QCOMPARE(first->front().run->status, QStringLiteral("succeeded"));

        // The laptop sleeps until Thursday 10:00: Tuesday, Wednesday and Thursday 09:00 passed.
        clock.time = berlinTime(2037, 3, 5, 10, 0);
        auto woke = runner.runAllDue();
        QVERIFY(woke);
        QCOMPARE(woke->size(), size_t(1));
        QCOMPARE(woke->front().trigger, state::RunTrigger::CatchUp);
        QCOMPARE(woke->front().run->trigger, state::RunTrigger::CatchUp);

        // And nothing more until Friday 09:00.
        clock.time = berlinTime(2037, 3, 5, 10, 5);
        QVERIFY(runner.runAllDue()->empty());
        clock.time = berlinTime(2037, 3, 6, 8, 59);
        QVERIFY(runner.runAllDue()->empty());

        const auto runs = runsOf(path);
        QCOMPARE(runs.size(), size_t(2));
        QCOMPARE(runs[0].trigger, state::RunTrigger::CatchUp);
        QCOMPARE(runs[1].trigger, state::RunTrigger::Schedule);
    }

    void anUnreachableWarehouseIsPutOffWithBackoffNotFailed()
    {
        const QString path = demoWorkspace(QStringLiteral("every 30m"));
        {
            auto workspace = state::Workspace::open(path, state::Workspace::OpenMode::MustExist);
            state::DefinitionStore definitions(**workspace);
            // Nothing listens on port 1 of the loopback interface: "connection refused".
            SourceDef down{QStringLiteral("down"),
                           QStringLiteral("Driver={PostgreSQL Unicode};Server=127.0.0.1;Port=1;Database=x;Uid=x"), {}};
            auto saved = definitions.saveSource(down);
            QVERIFY2(saved, saved ? "" : qPrintable(saved.error().message));
            ModelDef model = **definitions.model(demo::DemoNames::model());
            model.source = down.name;
            QVERIFY(definitions.saveModel(model));
        }
        QuietSink sink;
        auto engine = app::EngineBootstrap::open(path, sink);
        QVERIFY(engine);
        ManualClock clock;
        clock.time = berlinTime(2037, 3, 2, 9, 0);
        schedule::DueRunner runner((*engine)->services(), clock, berlin);

        auto first = runner.runAllDue();
        QVERIFY(first);
        QCOMPARE(first->size(), size_t(1));
        if (first->front().kind == schedule::DueOutcome::Kind::Refused)
            QSKIP(qPrintable(QStringLiteral("the PostgreSQL ODBC driver is not usable here: ") + first->front().message));
        QCOMPARE(first->front().kind, schedule::DueOutcome::Kind::PutOff);
        QVERIFY2(first->front().message.contains(QStringLiteral("reach")), qPrintable(first->front().message));
        QCOMPARE(first->front().nextAttemptAtMs, clock.time.addSecs(60).toMSecsSinceEpoch());

        // Within the backoff: not tried again.
        clock.time = clock.time.addSecs(30);
        QVERIFY(runner.runAllDue()->empty());
        // After it: tried, put off again for twice as long.
        clock.time = clock.time.addSecs(31);
        auto second = runner.runAllDue();
        QCOMPARE(second->size(), size_t(1));
        QCOMPARE(second->front().kind, schedule::DueOutcome::Kind::PutOff);
        QCOMPARE(second->front().nextAttemptAtMs, clock.time.addSecs(120).toMSecsSinceEpoch());
        // No string of failed runs in the history.
        QVERIFY(runsOf(path).empty());
    }

    void runDueTwiceInARowRunsNothingTheSecondTime()
    {
        const QString path = demoWorkspace(QStringLiteral("every 1h"));
        const CliResult first = runCli({QStringLiteral("--workspace"), path, QStringLiteral("run-due"), QStringLiteral("--json")});
        QVERIFY2(first.exitCode == 0, first.err.constData());
        const QJsonArray ran = first.json().value(QStringLiteral("syncs")).toArray();
        QCOMPARE(ran.size(), 1);
        QCOMPARE(ran[0].toObject().value(QStringLiteral("outcome")).toString(), QStringLiteral("ran"));
        QCOMPARE(ran[0].toObject().value(QStringLiteral("status")).toString(), QStringLiteral("succeeded"));
        QCOMPARE(ran[0].toObject().value(QStringLiteral("sent")).toInt(), 9999);

        const CliResult second = runCli({QStringLiteral("run-due"), QStringLiteral("--workspace"), path});
        QVERIFY2(second.exitCode == 0, second.err.constData());
        QCOMPARE(second.out.trimmed(), QByteArray("Nothing is due."));
        QCOMPARE(runsOf(path).size(), size_t(1));

        // The run says what started it, in the list and in its JSON.
        const CliResult runs = runCli({QStringLiteral("runs"), QStringLiteral("--workspace"), path});
        QVERIFY2(runs.out.contains("trigger") && runs.out.contains("schedule"), runs.out.constData());
        const CliResult json = runCli({QStringLiteral("--workspace"), path, QStringLiteral("runs"), QStringLiteral("--json")});
        QCOMPARE(json.json().value(QStringLiteral("runs")).toArray()[0].toObject().value(QStringLiteral("trigger")).toString(),
                 QStringLiteral("schedule"));
        const CliResult byHand = runCli({QStringLiteral("--workspace"), path, QStringLiteral("run"), kSync, QStringLiteral("--json")});
        QCOMPARE(byHand.json().value(QStringLiteral("trigger")).toString(), QStringLiteral("cli"));
    }

    void twoRunDueProcessesRacingForOneSyncRunItOnce()
    {
        for (int round = 0; round < 3; ++round) {
            const QString path = demoWorkspace(QStringLiteral("daily 09:00"));
            QProcess a;
            QProcess b;
            const QStringList arguments{QStringLiteral("--workspace"), path, QStringLiteral("run-due"), QStringLiteral("--json")};
            a.start(kCli, arguments);
            b.start(kCli, arguments);
            QVERIFY(a.waitForFinished(180000));
            QVERIFY(b.waitForFinished(180000));
            QCOMPARE(a.exitCode(), 0);
            QCOMPARE(b.exitCode(), 0);
            QStringList outcomes;
            for (QProcess *process : {&a, &b})
                for (const QJsonValue &sync : QJsonDocument::fromJson(process->readAllStandardOutput())
                                                  .object()
                                                  .value(QStringLiteral("syncs"))
                                                  .toArray())
                    outcomes << sync.toObject().value(QStringLiteral("outcome")).toString();
            QCOMPARE(outcomes.count(QStringLiteral("ran")), 1);
            QCOMPARE(runsOf(path).size(), size_t(1));
        }
    }

    void workspaceIsAGlobalOptionBeforeOrAfterTheCommand()
    {
        const QString path = demoWorkspace(QStringLiteral("manual"));
        QVERIFY(runCli({QStringLiteral("--workspace"), path, QStringLiteral("run"), kSync}).exitCode == 0);
        for (const QStringList &arguments :
             {QStringList{QStringLiteral("--workspace"), path, QStringLiteral("runs"), QStringLiteral("--json")},
              QStringList{QStringLiteral("--workspace=") + path, QStringLiteral("runs"), QStringLiteral("--json")},
              QStringList{QStringLiteral("runs"), QStringLiteral("--json"), QStringLiteral("--workspace"), path},
              QStringList{QStringLiteral("runs"), QStringLiteral("--workspace=") + path, QStringLiteral("--json")}}) {
            const CliResult result = runCli(arguments);
            QVERIFY2(result.exitCode == 0, result.err.constData());
            QCOMPARE(result.json().value(QStringLiteral("runs")).toArray().size(), 1);
        }
        // Export and import (commands with their own small parser) take it too.
        const CliResult exported = runCli({QStringLiteral("--workspace"), path, QStringLiteral("export")});
        QVERIFY2(exported.exitCode == 0 && exported.out.contains(kSync.toUtf8()), exported.err.constData());
        // Two different workspaces are refused rather than one silently winning.
        const CliResult twice = runCli({QStringLiteral("--workspace"), path, QStringLiteral("runs"), QStringLiteral("--workspace"),
                                        m_shared.filePath(QStringLiteral("other.syncline"))});
        QCOMPARE(twice.exitCode, 2);
        QVERIFY2(twice.err.contains("--workspace was given twice"), twice.err.constData());
        const CliResult missing = runCli({QStringLiteral("--workspace")});
        QCOMPARE(missing.exitCode, 2);
    }

    void scheduleShowListsTheNextFiveTimesInLocalTime()
    {
        const QString path = demoWorkspace(QStringLiteral("weekly mon,thu 08:00"));
        QVERIFY(runCli({QStringLiteral("--workspace"), path, QStringLiteral("run"), kSync}).exitCode == 0);
        QProcessEnvironment environment = QProcessEnvironment::systemEnvironment();
        environment.insert(QStringLiteral("TZ"), QStringLiteral("Europe/Berlin"));
        const CliResult shown = runCli({QStringLiteral("schedule"), QStringLiteral("show"), kSync, QStringLiteral("--workspace"), path},
                                       environment);
        QVERIFY2(shown.exitCode == 0, shown.err.constData());
        QVERIFY2(shown.out.contains("weekly mon,thu 08:00 (time zone Europe/Berlin)"), shown.out.constData());
        const QList<QByteArray> lines = shown.out.split('\n');
        int times = 0;
        for (const QByteArray &line : lines)
            if (line.startsWith("  ") && line.contains(" 08:00 ") && (line.contains("Mon") || line.contains("Thu"))
                && (line.contains("CET") || line.contains("CEST")))
                ++times;
        QVERIFY2(times == 5, shown.out.constData());
    }

    void scheduleInstallWritesUnitsSystemdAccepts()
    {
        const QString path = demoWorkspace(QStringLiteral("every 15m"));
        QTemporaryDir config;
        QTemporaryDir emptyPath; // no systemctl here: install must say what to run instead
        QProcessEnvironment environment = QProcessEnvironment::systemEnvironment();
        environment.insert(QStringLiteral("XDG_CONFIG_HOME"), config.path());
        environment.insert(QStringLiteral("PATH"), emptyPath.path());
        const CliResult installed = runCli({QStringLiteral("schedule"), QStringLiteral("install"), QStringLiteral("--workspace"), path,
                                            QStringLiteral("--cli"), kCli},
                                           environment);
        QVERIFY2(installed.exitCode == 0, installed.err.constData());
        QVERIFY2(installed.out.contains("systemctl --user enable --now syncline-run-due-"), installed.out.constData());
        const QDir units(config.filePath(QStringLiteral("systemd/user")));
        const QStringList service = units.entryList({QStringLiteral("syncline-run-due-*.service")});
        const QStringList timer = units.entryList({QStringLiteral("syncline-run-due-*.timer")});
        QCOMPARE(service.size(), 1);
        QCOMPARE(timer.size(), 1);
        QFile serviceFile(units.filePath(service.first()));
        QVERIFY(serviceFile.open(QIODevice::ReadOnly));
        const QByteArray text = serviceFile.readAll();
        QVERIFY2(text.contains(QStringLiteral("ExecStart=\"%1\" --workspace \"%2\" run-due").arg(kCli, path).toUtf8()), text.constData());

        const QString analyze = QStandardPaths::findExecutable(QStringLiteral("systemd-analyze"));
        if (!analyze.isEmpty()) {
            QProcess verify;
            verify.start(analyze, {QStringLiteral("verify"), units.filePath(service.first()), units.filePath(timer.first())});
            QVERIFY(verify.waitForFinished(60000));
            const QByteArray complaints = verify.readAllStandardError() + verify.readAllStandardOutput();
            QVERIFY2(verify.exitCode() == 0, complaints.constData());
        }

        const CliResult removed = runCli({QStringLiteral("--workspace"), path, QStringLiteral("schedule"), QStringLiteral("uninstall")},
                                         environment);
        QVERIFY2(removed.exitCode == 0, removed.err.constData());
        QVERIFY(units.entryList(QDir::Files).isEmpty());
        if (analyze.isEmpty())
            QSKIP("systemd-analyze is not installed: the generated units were written and removed but not verified");
    }
};

QTEST_GUILESS_MAIN(TestRunDue)
#include "tst_rundue.moc"
