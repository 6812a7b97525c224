// The Salesforce connector's readers and writers of the API's own formats, without a server:
// Bulk API 2.0 CSV both ways (quotes, line breaks, CRLF, nulls as #N/A, parent columns),
// sf__Error texts, Sforce-Limit-Info, and values fitted to describe's field types.

#include "connectors/salesforce/salesforcecsv.h"
#include "connectors/salesforce/salesforceerrors.h"
#include "connectors/salesforce/salesforcevalues.h"

#include <QJsonArray>
#include <QTest>

using namespace syncline::connectors::salesforce;

class TestSalesforceFormats : public QObject
{
    Q_OBJECT

private slots:
    void csvWrittenByTheConnectorReadsBackCellForCell()
    {
        const QList<QJsonObject> records = {
            QJsonObject { { QStringLiteral("Name"), QStringLiteral("a, \"quoted\"\nline") }, { QStringLiteral("Score"), 2.5 },
                { QStringLiteral("Account"), QJsonObject { { QStringLiteral("Number__c"), QStringLiteral("A1") } } } },
            QJsonObject { { QStringLiteral("Name"), QJsonValue::Null }, { QStringLiteral("Flag"), true },
                { QStringLiteral("Score"), 3 } },
            QJsonObject { { QStringLiteral("Name"), QString() }, { QStringLiteral("Score"), QStringLiteral(" padded ") } },
        };
        const QStringList header = csvColumns(records);
        QCOMPARE(header, (QStringList { QStringLiteral("Account.Number__c"), QStringLiteral("Name"), QStringLiteral("Score"),
                             QStringLiteral("Flag") }));
        QList<QStringList> rows;
        for (const QJsonObject &record : records)
            rows << csvCells(record, header);
        QCOMPARE(rows[0], (QStringList { QStringLiteral("A1"), QStringLiteral("a, \"quoted\"\nline"), QStringLiteral("2.5"), QString() }));
        QCOMPARE(rows[1], (QStringList { QString(), QStringLiteral("#N/A"), QStringLiteral("3"), QStringLiteral("true") }));
        QCOMPARE(rows[2][1], QStringLiteral("#N/A")); // an empty string: Bulk leaves an empty cell unchanged
        const QByteArray csv = writeCsv(header, rows);
        QVERIFY(csv.contains("\"a, \"\"quoted\"\"\nline\""));
        QVERIFY(csv.contains("\" padded \""));
        QString error;
        const auto table = readCsv(csv, &error);
        QVERIFY2(table, qPrintable(error));
        QCOMPARE(table->header, header);
        QCOMPARE(table->rows, rows);
    }

    void resultCsvInCrlfWithEveryCellQuotedIsRead()
    {
        const auto table = readCsv("\"sf__Id\",\"sf__Created\",\"Ext\"\r\n\"001A\",\"true\",\"x,\"\"y\"\"\"\r\n\"001B\",\"false\",\"\"\r\n");
        QVERIFY(table);
        QCOMPARE(table->rows.size(), 2);
        QCOMPARE(table->rows[0], (QStringList { QStringLiteral("001A"), QStringLiteral("true"), QStringLiteral("x,\"y\"") }));
        QCOMPARE(table->rows[1][2], QString());
        QCOMPARE(table->column(QStringLiteral("Ext")), 2);
        QString error;
        QVERIFY(!readCsv("\"a\nb", &error));
        QVERIFY(!error.isEmpty());
        QVERIFY(!readCsv("a,b\n1\n", &error));
        QVERIFY(readCsv("")->rows.isEmpty());
    }

    void bulkErrorsSplitIntoCodeMessageAndFields()
    {
        const ApiError missing = bulkError(QStringLiteral("REQUIRED_FIELD_MISSING:Required fields are missing: [LastName]:LastName --"));
        QCOMPARE(missing.code, QStringLiteral("REQUIRED_FIELD_MISSING"));
        QCOMPARE(missing.message, QStringLiteral("Required fields are missing: [LastName]"));
        QCOMPARE(missing.fields, QStringList { QStringLiteral("LastName") });
        QCOMPARE(missing.text(), QStringLiteral("REQUIRED_FIELD_MISSING: Required fields are missing: [LastName] (LastName)"));
        const ApiError locked = bulkError(QStringLiteral("UNABLE_TO_LOCK_ROW:unable to obtain exclusive access to this record:--"));
        QVERIFY(retryableRecordError({ locked }));
        QVERIFY(!retryableRecordError({ missing }));
        QCOMPARE(bulkError(QStringLiteral("something odd")).message, QStringLiteral("something odd"));
    }

    void sforceLimitInfoIsRead()
    {
        const auto usage = parseLimitInfo("api-usage=18/5000, per-app-api-usage=17/250(appName=sample)");
        QVERIFY(usage);
        QCOMPARE(usage->used, 18);
        QCOMPARE(usage->limit, 5000);
        QVERIFY(!parseLimitInfo("per-app-api-usage=17/250"));
        QVERIFY(!parseLimitInfo("api-usage=lots"));
    }

    void valuesAreFittedToSalesforceTypes()
    {
        QCOMPARE(fitValue(17, QStringLiteral("string")), QJsonValue(QStringLiteral("17")));
        QCOMPARE(fitValue(2.5, QStringLiteral("string")), QJsonValue(QStringLiteral("2.5")));
        QCOMPARE(fitValue(QStringLiteral("2.5"), QStringLiteral("currency")), QJsonValue(2.5));
        QCOMPARE(fitValue(QStringLiteral("n/a"), QStringLiteral("double")), QJsonValue(QStringLiteral("n/a")));
        QCOMPARE(fitValue(QStringLiteral("FALSE"), QStringLiteral("boolean")), QJsonValue(false));
        QCOMPARE(fitValue(QJsonArray { QStringLiteral("a"), QStringLiteral("b") }, QStringLiteral("multipicklist")),
            QJsonValue(QStringLiteral("a;b")));
        QCOMPARE(fitValue(QJsonValue::Null, QStringLiteral("string")), QJsonValue(QJsonValue::Null));
        QCOMPARE(fitValue(QStringLiteral("2026-01-31"), QStringLiteral("date")), QJsonValue(QStringLiteral("2026-01-31")));
    }
};

QTEST_GUILESS_MAIN(TestSalesforceFormats)
#include "tst_salesforceformats.moc"
