// Schedules as a user writes them: the forms, their errors, the next run times they give in
// local time (Europe/Berlin, across both daylight-saving changes), and when a sync is due.
// Every "now" is injected; nothing here reads the real clock.

#include "engine/definitions/yamlcodec.h"
#include "engine/schedule/duecheck.h"
#include "engine/schedule/schedule.h"

#include <QTest>

using namespace syncline::engine;
using schedule::Schedule;

namespace {

const QTimeZone berlin(QByteArrayLiteral("Europe/Berlin"));

QStringList list(std::initializer_list<const char *> texts)
{
    QStringList strings;
    for (const char *text : texts)
        strings << QString::fromLatin1(text);
    return strings;
}

QDateTime utc(const char *iso)
{
    QDateTime time = QDateTime::fromString(QString::fromLatin1(iso), Qt::ISODate);
    time.setTimeSpec(Qt::UTC);
    return time;
}

QDateTime local(const char *iso)
{
    return QDateTime(QDateTime::fromString(QString::fromLatin1(iso), Qt::ISODate).date(),
                     QDateTime::fromString(QString::fromLatin1(iso), Qt::ISODate).time(), berlin)
        .toUTC();
}

Schedule parsed(const char *text)
{
    auto schedule = Schedule::parse(QString::fromLatin1(text));
    if (!schedule)
        qFatal("schedule '%s' did not parse: %s", text, qPrintable(schedule.error().message));
    return *schedule;
}

// The next `count` run times as Berlin wall-clock text with the UTC offset, "2026-03-29T03:00:00+02:00".
QStringList nextLocal(const char *text, const QDateTime &after, int count)
{
    QStringList times;
    for (const QDateTime &time : parsed(text).nextRuns(after, count, berlin))
        times << time.toTimeZone(berlin).toString(Qt::ISODate);
    return times;
}

} // namespace

class TestSchedule : public QObject
{
    Q_OBJECT

private slots:
    void initTestCase()
    {
        if (!berlin.isValid())
            QSKIP("the time zone database has no Europe/Berlin (install tzdata)");
    }

    void everyFormParses()
    {
        QCOMPARE(parsed("").kind(), Schedule::Kind::Manual);
        QCOMPARE(parsed("manual").kind(), Schedule::Kind::Manual);
        QCOMPARE(parsed("every 30m").interval(), std::chrono::minutes(30));
        QCOMPARE(parsed("every 2h").interval(), std::chrono::minutes(120));
        QCOMPARE(parsed("daily 09:00,17:30").kind(), Schedule::Kind::Calendar);
        QCOMPARE(parsed("weekly mon,thu 08:00").kind(), Schedule::Kind::Calendar);
        QCOMPARE(parsed("cron 0 9 * * 1-5").kind(), Schedule::Kind::Calendar);
        QCOMPARE(parsed("  cron   0 9 *  * 1-5 ").text(), QStringLiteral("cron 0 9 * * 1-5"));
    }

    void badSchedulesSayWhatToWrite_data()
    {
        QTest::addColumn<QString>("text");
        QTest::addColumn<QString>("says");
        QTest::newRow("unknown") << QStringLiteral("hourly") << QStringLiteral("unknown schedule 'hourly'; write one of manual, every 30m");
        QTest::newRow("four fields") << QStringLiteral("cron 0 9 * *") << QStringLiteral("a cron expression has five fields");
        QTest::newRow("minute range") << QStringLiteral("cron 61 * * * *") << QStringLiteral("cron field 1 (minute) '61': 61 is outside 0-59");
        QTest::newRow("day name") << QStringLiteral("cron 0 9 * * mon-funday") << QStringLiteral("cron field 5 (day of week) 'mon-funday': 'funday' is not a number");
        QTest::newRow("backwards") << QStringLiteral("cron 0 9 * * 5-1") << QStringLiteral("the range 5-1 runs backwards");
        QTest::newRow("zero step") << QStringLiteral("cron */0 * * * *") << QStringLiteral("the step after '/' must be a whole number of at least 1");
        QTest::newRow("never") << QStringLiteral("cron 0 0 30 2 *") << QStringLiteral("names a day that never comes");
        QTest::newRow("bad time") << QStringLiteral("daily 25:00") << QStringLiteral("'25:00' in schedule 'daily 25:00' is not a time");
        QTest::newRow("bad weekday") << QStringLiteral("weekly funday 08:00") << QStringLiteral("'funday' in schedule 'weekly funday 08:00' is not a day of the week");
        QTest::newRow("zero interval") << QStringLiteral("every 0m") << QStringLiteral("needs an interval from 1 minute to 7 days");
        QTest::newRow("seconds") << QStringLiteral("every 30s") << QStringLiteral("needs an interval from 1 minute to 7 days");
    }

    void badSchedulesSayWhatToWrite()
    {
        QFETCH(QString, text);
        QFETCH(QString, says);
        auto schedule = Schedule::parse(text);
        QVERIFY(!schedule);
        QCOMPARE(schedule.error().code, QStringLiteral("schedule.invalid"));
        QVERIFY2(schedule.error().message.contains(says), qPrintable(schedule.error().message));
    }

    void importRefusesABadScheduleWithItsLineAndColumn()
    {
        const QByteArray yaml = "sources:\n"
                                "  - {name: wh, connection: 'DSN=x'}\n"
                                "models:\n"
                                "  - {name: m, source: wh, sql: 'select 1 as id', primary_key: [id]}\n"
                                "destinations:\n"
                                "  - {name: d, type: file, settings: {folder: /tmp}}\n"
                                "syncs:\n"
                                "  - name: nightly\n"
                                "    model: m\n"
                                "    destination: d\n"
                                "    mapping: [{column: id, field: id}]\n"
                                "    schedule: cron 0 25 * * *\n";
        auto definitions = YamlCodec::parse(yaml);
        QVERIFY(!definitions);
        QVERIFY2(definitions.error().message.startsWith(
                     QStringLiteral("line 12, column 15: sync 'nightly': cron field 2 (hour) '25': 25 is outside 0-23")),
                 qPrintable(definitions.error().message));
    }

    void intervalsCountFromTheLastRun()
    {
        const Schedule every = parsed("every 30m");
        QCOMPARE(*every.nextAfter(utc("2026-12-01T10:00:00"), berlin), utc("2026-12-01T10:30:00"));
        QCOMPARE(nextLocal("every 2h", utc("2026-12-01T10:00:00"), 2),
                 list({"2026-12-01T13:00:00+01:00", "2026-12-01T15:00:00+01:00"}));
    }

    void dailyTimesAreLocal()
    {
        QCOMPARE(nextLocal("daily 09:00,17:30", local("2026-12-01T12:00:00"), 4),
                 list({"2026-12-01T17:30:00+01:00", "2026-12-02T09:00:00+01:00", "2026-12-02T17:30:00+01:00",
                              "2026-12-03T09:00:00+01:00"}));
        // Exactly at a run time: the next one, not the same one again.
        QCOMPARE(nextLocal("daily 09:00", local("2026-12-02T09:00:00"), 1), list({"2026-12-03T09:00:00+01:00"}));
        // In summer the same wall-clock time is another UTC hour.
        QCOMPARE(*parsed("daily 09:00").nextAfter(utc("2026-07-01T00:00:00"), berlin), utc("2026-07-01T07:00:00"));
    }

    void weeklyRunsOnTheNamedDays()
    {
        // 1 December 2026 is a Tuesday.
        QCOMPARE(nextLocal("weekly mon,thu 08:00", local("2026-12-01T12:00:00"), 3),
                 list({"2026-12-03T08:00:00+01:00", "2026-12-07T08:00:00+01:00", "2026-12-10T08:00:00+01:00"}));
        QCOMPARE(nextLocal("weekly Sunday 18:00", local("2026-12-01T12:00:00"), 1), list({"2026-12-06T18:00:00+01:00"}));
    }

    void cronListsRangesStepsAndNames()
    {
        // Weekdays at 09:00: from Friday afternoon, the next is Monday.
        QCOMPARE(nextLocal("cron 0 9 * * 1-5", local("2026-12-04T10:00:00"), 2),
                 list({"2026-12-07T09:00:00+01:00", "2026-12-08T09:00:00+01:00"}));
        QCOMPARE(nextLocal("cron */15 9-10 * * *", local("2026-12-01T10:40:00"), 2),
                 list({"2026-12-01T10:45:00+01:00", "2026-12-02T09:00:00+01:00"}));
        QCOMPARE(nextLocal("cron 5-20/5 8 * * *", local("2026-12-01T07:00:00"), 5),
                 list({"2026-12-01T08:05:00+01:00", "2026-12-01T08:10:00+01:00", "2026-12-01T08:15:00+01:00",
                              "2026-12-01T08:20:00+01:00", "2026-12-02T08:05:00+01:00"}));
        QCOMPARE(nextLocal("cron 0 0 1,15 * *", local("2026-12-01T12:00:00"), 2),
                 list({"2026-12-15T00:00:00+01:00", "2027-01-01T00:00:00+01:00"}));
        // Month and day names; 7 is Sunday like 0. The first Sunday of 2027 is 3 January.
        QCOMPARE(nextLocal("cron 0 12 * jan,JUL sun", local("2026-12-01T12:00:00"), 1), list({"2027-01-03T12:00:00+01:00"}));
        QCOMPARE(nextLocal("cron 0 12 * * 7", local("2026-12-01T12:00:00"), 1), list({"2026-12-06T12:00:00+01:00"}));
        // Both day fields restricted: either one is enough (cron's rule). Friday the 4th and 11th, Sunday the 13th.
        QCOMPARE(nextLocal("cron 0 0 13 * fri", local("2026-12-01T12:00:00"), 3),
                 list({"2026-12-04T00:00:00+01:00", "2026-12-11T00:00:00+01:00", "2026-12-13T00:00:00+01:00"}));
        // A leap day waits for its year.
        QCOMPARE(nextLocal("cron 30 6 29 2 *", local("2026-12-01T12:00:00"), 1), list({"2028-02-29T06:30:00+01:00"}));
    }

    void springForwardRunsASkippedTimeOnceAtTheJump()
    {
        // 29 March 2026, Berlin: 02:00 CET jumps to 03:00 CEST; 02:30 does not exist that day.
        QCOMPARE(nextLocal("daily 02:30", local("2026-03-28T12:00:00"), 3),
                 list({"2026-03-29T03:00:00+02:00", "2026-03-30T02:30:00+02:00", "2026-03-31T02:30:00+02:00"}));
        // Every minute of the missing hour collapses into one run at the jump, then on as usual.
        QCOMPARE(nextLocal("cron */20 2-3 * * *", local("2026-03-29T01:50:00"), 4),
                 list({"2026-03-29T03:00:00+02:00", "2026-03-29T03:20:00+02:00", "2026-03-29T03:40:00+02:00",
                              "2026-03-30T02:00:00+02:00"}));
        // Times after the jump keep their wall-clock time.
        QCOMPARE(*parsed("daily 09:00").nextAfter(utc("2026-03-29T00:00:00"), berlin), utc("2026-03-29T07:00:00"));
    }

    void fallBackRunsARepeatedTimeOnce()
    {
        // 25 October 2026, Berlin: 03:00 CEST falls back to 02:00 CET; 02:00-02:59 happens twice.
        QCOMPARE(nextLocal("daily 02:30", local("2026-10-24T12:00:00"), 2),
                 list({"2026-10-25T02:30:00+02:00", "2026-10-26T02:30:00+01:00"}));
        // Half-hourly: 02:00 and 02:30 once (first pass), then 03:00 CET an hour later in real time.
        QStringList utcTimes;
        for (const QDateTime &time : parsed("cron */30 * * * *").nextRuns(utc("2026-10-24T23:45:00"), 4, berlin))
            utcTimes << time.toString(Qt::ISODate);
        QCOMPARE(utcTimes, list({"2026-10-25T00:00:00Z", "2026-10-25T00:30:00Z", "2026-10-25T02:00:00Z",
                                        "2026-10-25T02:30:00Z"}));
    }

    void aSyncThatNeverRanIsDueAtOnce()
    {
        const auto check = schedule::checkDue(parsed("weekly mon 08:00"), std::nullopt, utc("2026-12-01T12:00:00"), berlin);
        QVERIFY(check.due);
        QCOMPARE(check.trigger, state::RunTrigger::Schedule);
        QVERIFY(!schedule::checkDue(parsed("manual"), std::nullopt, utc("2026-12-01T12:00:00"), berlin).due);
    }

    void dueOnceTheScheduledTimeHasPassedTheLastRun()
    {
        const Schedule daily = parsed("daily 09:00");
        const QDateTime lastRun = local("2026-12-01T09:00:05");
        QVERIFY(!schedule::checkDue(daily, lastRun, local("2026-12-02T08:59:00"), berlin).due);
        const auto onTime = schedule::checkDue(daily, lastRun, local("2026-12-02T09:00:00"), berlin);
        QVERIFY(onTime.due);
        QCOMPARE(onTime.trigger, state::RunTrigger::Schedule);
        // A run started by hand after today's time counts: nothing more is due today.
        QVERIFY(!schedule::checkDue(daily, local("2026-12-02T09:30:00"), local("2026-12-02T18:00:00"), berlin).due);
        QCOMPARE(schedule::checkDue(daily, local("2026-12-02T09:30:00"), local("2026-12-02T18:00:00"), berlin).next,
                 local("2026-12-03T09:00:00"));
    }

    void aSleepThroughThreeDueTimesGivesOneCatchUp()
    {
        // Ran Monday 09:00, the laptop slept until Thursday 10:00: Tuesday, Wednesday and Thursday were missed.
        const Schedule daily = parsed("daily 09:00");
        const auto check = schedule::checkDue(daily, local("2026-11-30T09:00:02"), local("2026-12-03T10:00:00"), berlin);
        QVERIFY(check.due);
        QCOMPARE(check.trigger, state::RunTrigger::CatchUp);
        // Once that one run has started, nothing else is owed until Friday.
        QVERIFY(!schedule::checkDue(daily, local("2026-12-03T10:00:01"), local("2026-12-03T10:05:00"), berlin).due);
        // Intervals too: 10:30 and 11:00 were missed, one catch-up at 11:05.
        const auto interval = schedule::checkDue(parsed("every 30m"), utc("2026-12-01T10:00:00"), utc("2026-12-01T11:05:00"), berlin);
        QVERIFY(interval.due);
        QCOMPARE(interval.trigger, state::RunTrigger::CatchUp);
        QCOMPARE(schedule::checkDue(parsed("every 30m"), utc("2026-12-01T10:00:00"), utc("2026-12-01T10:31:00"), berlin).trigger,
                 state::RunTrigger::Schedule);
    }

    void aSpringForwardSlotIsDueAtTheJump()
    {
        const Schedule daily = parsed("daily 02:30");
        const QDateTime lastRun = local("2026-03-28T02:30:00");
        QVERIFY(!schedule::checkDue(daily, lastRun, utc("2026-03-29T00:59:59"), berlin).due);
        const auto check = schedule::checkDue(daily, lastRun, utc("2026-03-29T01:00:00"), berlin);
        QVERIFY(check.due);
        QCOMPARE(check.trigger, state::RunTrigger::Schedule);
    }
};

QTEST_GUILESS_MAIN(TestSchedule)
#include "tst_schedule.moc"
