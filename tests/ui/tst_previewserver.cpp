// Never freeze, against a real PostgreSQL: preview a million generated rows, check a key over
// all of them, and cancel a long query, while a watchdog on the GUI thread measures stalls.

#include "ui/models/keychecker.h"
#include "ui/models/keypanel.h"
#include "ui/models/previewpanel.h"
#include "ui/models/resultmodel.h"
#include "ui/sources/sourceconnection.h"
#include "uitestsupport.h"

#include <QListWidget>
#include <QPushButton>
#include <QSignalSpy>
#include <QTableView>
#include <QTest>

using namespace syncline;
using namespace syncline::ui;

class TestPreviewServer : public QObject
{
    Q_OBJECT

private slots:
    void init();
    void millionRowPreviewAndKeyCheckNeverStallTheGui();
    void cancellingALongQueryStopsItAtOnce();

private:
    ConnectionOpener m_opener;
};

void TestPreviewServer::init()
{
    const QString pg = qEnvironmentVariable("SYNCLINE_TEST_PG_ODBC");
    if (pg.isEmpty())
        QSKIP("SYNCLINE_TEST_PG_ODBC is not set (start the server with scripts/test-services.sh)");
    m_opener = connectionOpener(engine::warehouse::ConnectionSpec{pg});
}

void TestPreviewServer::millionRowPreviewAndKeyCheckNeverStallTheGui()
{
    const QString sql = QStringLiteral("select g as id, 'customer ' || g as name, g % 97 as bucket "
                                       "from generate_series(1, 1000000) g");
    PreviewPanel preview;
    KeyPanel keys;
    preview.resize(900, 600);
    preview.show();
    keys.show();
    QVERIFY(QTest::qWaitForWindowExposed(&preview));
    QVERIFY(QTest::qWaitForWindowExposed(&keys));
    QObject::connect(&preview, &PreviewPanel::columnsChanged, &keys, [&keys](const auto &columns) {
        QStringList names;
        for (const auto &column : columns)
            names << column.name;
        keys.setColumns(names);
    });
    // What the Models page does when "Check key" is clicked.
    QObject::connect(&keys, &KeyPanel::checkRequested, &keys, [this, &keys, sql] { keys.check(m_opener, sql); });
    testing::StallWatchdog watchdog;

    preview.run(m_opener, sql);
    QTRY_COMPARE_WITH_TIMEOUT(preview.state(), PreviewPanel::State::MoreAvailable, 30000);
    QTRY_VERIFY_WITH_TIMEOUT((preview.view()->scrollToBottom(), preview.model()->rowCount() == ResultModel::kDefaultCap), 30000);
    QTRY_VERIFY(preview.loadMoreButton()->isVisible());
    QTest::mouseClick(preview.loadMoreButton(), Qt::LeftButton);
    QTRY_VERIFY_WITH_TIMEOUT((preview.view()->scrollToBottom(), preview.model()->rowCount() == 2 * ResultModel::kDefaultCap), 30000);
    QCOMPARE(preview.model()->value(1999, 0).toLongLong(), 2000);

    QTRY_COMPARE(keys.columnList()->count(), 3);
    keys.columnList()->item(0)->setCheckState(Qt::Checked);
    QTest::mouseClick(keys.checkButton(), Qt::LeftButton);
    QVERIFY2(keys.checker()->isRunning(), qPrintable(keys.key().join(QLatin1Char(',')) + QLatin1Char(' ') + keys.verdictText()));
    QElapsedTimer checkClock;
    checkClock.start();
    QTRY_VERIFY_WITH_TIMEOUT(!keys.checker()->isRunning(), 120000);
    QVERIFY2(keys.verdictText().contains(QStringLiteral("Good key")), qPrintable(keys.verdictText()));
    QVERIFY2(keys.verdictText().contains(QStringLiteral("1,000,000 rows")), qPrintable(keys.verdictText()));
    qInfo("key check over 1,000,000 rows took %lld ms", checkClock.elapsed());

    // The bucket column repeats: the check finds it over the whole result.
    keys.columnList()->item(0)->setCheckState(Qt::Unchecked);
    keys.columnList()->item(2)->setCheckState(Qt::Checked);
    QTest::mouseClick(keys.checkButton(), Qt::LeftButton);
    QVERIFY2(keys.checker()->isRunning(), qPrintable(keys.key().join(QLatin1Char(',')) + QLatin1Char(' ') + keys.verdictText()));
    checkClock.restart();
    QTRY_VERIFY_WITH_TIMEOUT(!keys.checker()->isRunning(), 120000);
    QVERIFY2(keys.verdictText().contains(QStringLiteral("Not a usable key")), qPrintable(keys.verdictText()));
    QVERIFY2(keys.verdictText().contains(QStringLiteral("999,903 rows repeat a key")), qPrintable(keys.verdictText()));

    qInfo("longest GUI stall: %lld ms (%lld ms by the wall clock, waits for a CPU included)", watchdog.longestStallMs(), watchdog.longestWallGapMs());
    QVERIFY2(watchdog.longestStallMs() < 100, qPrintable(QStringLiteral("event loop stalled %1 ms").arg(watchdog.longestStallMs())));
}

void TestPreviewServer::cancellingALongQueryStopsItAtOnce()
{
    PreviewPanel preview;
    preview.show();
    QVERIFY(QTest::qWaitForWindowExposed(&preview));
    testing::StallWatchdog watchdog;
    preview.run(m_opener, QStringLiteral("select pg_sleep(30)"));
    QTest::qWait(1000);
    QCOMPARE(preview.state(), PreviewPanel::State::Running);
    QElapsedTimer clock;
    clock.start();
    QTest::mouseClick(preview.cancelButton(), Qt::LeftButton);
    QTRY_COMPARE_WITH_TIMEOUT(preview.state(), PreviewPanel::State::Cancelled, 5000);
    qInfo("cancel took %lld ms; longest GUI stall: %lld ms (%lld ms by the wall clock)", clock.elapsed(), watchdog.longestStallMs(), watchdog.longestWallGapMs());
    QVERIFY(clock.elapsed() < 5000);
    QVERIFY2(watchdog.longestStallMs() < 100, qPrintable(QStringLiteral("event loop stalled %1 ms").arg(watchdog.longestStallMs())));
}

QTEST_MAIN(TestPreviewServer)
#include "tst_previewserver.moc"
