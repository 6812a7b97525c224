// The fake Salesforce org keeps the API's own rules, so the connector tests cannot pass against a
// lenient fake: sessions, the 200-record limit, allOrNone rollback and the Bulk job state machine.
// Requests go straight to its handler (no sockets).

#include "tests/fakes/salesforce/fakesalesforcestate.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QTest>

using namespace syncline::testfakes;

namespace {

HttpRequest request(const QByteArray &method, const QByteArray &target, const QByteArray &body = {},
    const QByteArray &token = {}, const QByteArray &contentType = "application/json")
{
    HttpRequest request;
    request.method = method;
    request.target = target;
    request.version = "HTTP/1.1";
    request.headers = { { "Content-Type", contentType } };
    if (!token.isEmpty())
        request.headers.append({ "Authorization", "Bearer " + token });
    request.body = body;
    return request;
}

QByteArray login(FakeSalesforceState &fake)
{
    const FakeSalesforceConfig config = fake.config();
    const FakeReply reply = fake.handle(request("POST", "/services/oauth2/token",
        "grant_type=refresh_token&refresh_token=" + config.refreshToken.toUtf8() + "&client_id=" + config.clientId.toUtf8()
            + "&client_secret=" + config.clientSecret.toUtf8(),
        {}, "application/x-www-form-urlencoded"));
    return QJsonDocument::fromJson(reply.body).object().value(QStringLiteral("access_token")).toString().toUtf8();
}

QByteArray contacts(int count, bool allOrNone, int withoutLastName = -1)
{
    QJsonArray records;
    for (int i = 0; i < count; ++i) {
        QJsonObject record { { QStringLiteral("attributes"), QJsonObject { { QStringLiteral("type"), QStringLiteral("Contact") } } },
            { QStringLiteral("Ext_Id__c"), QString::number(i) } };
        if (i != withoutLastName)
            record.insert(QStringLiteral("LastName"), QStringLiteral("L%1").arg(i));
        records.append(record);
    }
    return QJsonDocument(QJsonObject { { QStringLiteral("allOrNone"), allOrNone }, { QStringLiteral("records"), records } })
        .toJson(QJsonDocument::Compact);
}

} // namespace

class TestFakeSalesforce : public QObject
{
    Q_OBJECT

private slots:
    void sessionsRecordLimitsAndRollbackAreEnforced()
    {
        FakeSalesforceState fake;
        const QByteArray upsert = "/services/data/v60.0/composite/sobjects/Contact/Ext_Id__c";
        QCOMPARE(fake.handle(request("PATCH", upsert, contacts(1, false))).status, 401);
        const QByteArray token = login(fake);
        QVERIFY(!token.isEmpty());
        const FakeReply tooMany = fake.handle(request("PATCH", upsert, contacts(201, false), token));
        QCOMPARE(tooMany.status, 400);
        QVERIFY(tooMany.body.contains("EXCEEDED_ID_LIMIT"));
        const FakeReply rolledBack = fake.handle(request("PATCH", upsert, contacts(3, true, 1), token));
        QCOMPARE(rolledBack.status, 200);
        QVERIFY(rolledBack.body.contains("ALL_OR_NONE_OPERATION_ROLLED_BACK"));
        QVERIFY(fake.records(QStringLiteral("Contact")).isEmpty());
        QCOMPARE(fake.handle(request("PATCH", upsert, contacts(200, false), token)).status, 200);
        QCOMPARE(fake.records(QStringLiteral("Contact")).size(), 200);
        fake.expireTokens();
        QCOMPARE(fake.handle(request("PATCH", upsert, contacts(1, false), token)).status, 401);
    }

    void bulkJobsFollowTheirStates()
    {
        FakeSalesforceConfig config;
        config.bulkPollsInProgress = 2;
        FakeSalesforceState fake(config);
        const QByteArray token = login(fake);
        const FakeReply created = fake.handle(request("POST", "/services/data/v60.0/jobs/ingest",
            R"({"object":"Contact","operation":"upsert","externalIdFieldName":"Ext_Id__c","contentType":"CSV"})", token));
        const QByteArray job = "/services/data/v60.0/jobs/ingest/"
            + QJsonDocument::fromJson(created.body).object().value(QStringLiteral("id")).toString().toUtf8();
        auto state = [&] {
            return QJsonDocument::fromJson(fake.handle(request("GET", job, {}, token)).body).object().value(QStringLiteral("state")).toString();
        };
        QCOMPARE(state(), QStringLiteral("Open"));
        QCOMPARE(fake.handle(request("GET", job + "/successfulResults", {}, token)).status, 400); // not finished
        QCOMPARE(fake.handle(request("PUT", job + "/batches", "Ext_Id__c,LastName\n1,One\n2,\n", token, "text/csv")).status, 201);
        QCOMPARE(fake.handle(request("PATCH", job, R"({"state":"UploadComplete"})", token)).status, 200);
        QCOMPARE(fake.handle(request("PUT", job + "/batches", "Ext_Id__c\n3\n", token, "text/csv")).status, 409);
        QCOMPARE(state(), QStringLiteral("InProgress"));
        QCOMPARE(state(), QStringLiteral("InProgress"));
        QCOMPARE(state(), QStringLiteral("JobComplete"));
        QCOMPARE(fake.handle(request("PATCH", job, R"({"state":"Aborted"})", token)).status, 400); // finished
        const QByteArray failed = fake.handle(request("GET", job + "/failedResults", {}, token)).body;
        QVERIFY2(failed.contains("REQUIRED_FIELD_MISSING"), failed.constData()); // the empty cell left LastName unset
        QCOMPARE(fake.records(QStringLiteral("Contact")).size(), 1);
    }
};

QTEST_GUILESS_MAIN(TestFakeSalesforce)
#include "tst_fakesalesforce.moc"
