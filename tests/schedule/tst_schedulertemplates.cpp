// The launchd agent and the Task Scheduler task in installers/ are templates a user fills in by
// hand: both must be well-formed XML, and both must call `syncline-cli --workspace W run-due`.

#include <QFile>
#include <QTest>
#include <QXmlStreamReader>

class TestSchedulerTemplates : public QObject
{
    Q_OBJECT

    // The text of every element named `name`, in document order; fails the test on malformed XML.
    static QStringList elements(const QString &file, const QString &name)
    {
        QFile xml(QStringLiteral(SYNCLINE_SOURCE_DIR "/installers/") + file);
        if (!xml.open(QIODevice::ReadOnly))
            return {QStringLiteral("cannot open ") + xml.fileName()};
        QXmlStreamReader reader(&xml);
        QStringList texts;
        while (!reader.atEnd()) {
            reader.readNext();
            if (reader.isStartElement() && reader.name() == name)
                texts << reader.readElementText(QXmlStreamReader::IncludeChildElements);
        }
        if (reader.hasError())
            return {QStringLiteral("%1 line %2: %3").arg(file).arg(reader.lineNumber()).arg(reader.errorString())};
        return texts;
    }

private slots:
    void launchdAgentRunsRunDueEveryMinute()
    {
        const QStringList strings = elements(QStringLiteral("macos/com.syncline.run-due.plist"), QStringLiteral("string"));
        QVERIFY2(strings.mid(1, 4) == (QStringList{QStringLiteral("@SYNCLINE_CLI@"), QStringLiteral("--workspace"),
                                                   QStringLiteral("@WORKSPACE@"), QStringLiteral("run-due")}),
                 qPrintable(strings.join(QLatin1Char('|'))));
        QCOMPARE(elements(QStringLiteral("macos/com.syncline.run-due.plist"), QStringLiteral("integer")), QStringList{QStringLiteral("60")});
    }

    void taskSchedulerTaskRunsRunDueEveryMinuteOneAtATime()
    {
        const QString task = QStringLiteral("windows/syncline-run-due.xml");
        QCOMPARE(elements(task, QStringLiteral("Command")), QStringList{QStringLiteral("@SYNCLINE_CLI@")});
        QCOMPARE(elements(task, QStringLiteral("Arguments")), QStringList{QStringLiteral("--workspace \"@WORKSPACE@\" run-due")});
        QCOMPARE(elements(task, QStringLiteral("Interval")), QStringList{QStringLiteral("PT1M")});
        QCOMPARE(elements(task, QStringLiteral("MultipleInstancesPolicy")), QStringList{QStringLiteral("IgnoreNew")});
        QCOMPARE(elements(task, QStringLiteral("StartWhenAvailable")), QStringList{QStringLiteral("true")});
    }
};

QTEST_GUILESS_MAIN(TestSchedulerTemplates)
#include "tst_schedulertemplates.moc"
