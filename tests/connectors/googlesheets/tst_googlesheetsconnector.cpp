// The google_sheets destination against the fake Google Sheets API over loopback HTTP: a service
// account's JWT signed with OpenSSL and checked by the fake's token endpoint with the public key,
// the OAuth refresh flow, upsert (update by range + append), update-only, delete and clear,
// discovery, quotas, a bad row isolated in an atomic API, and no duplicate row when an append's
// answer is lost or a batch is sent again.

#include "connectors/googlesheets/a1notation.h"
#include "connectors/googlesheets/googlesheetsdestination.h"
#include "connectors/googlesheets/keyindex.h"
#include "connectors/googlesheets/serviceaccountauth.h"
#include "connectors/googlesheets/sheetcells.h"

#include <QProcess>
#include <QTest>
#include <QTimer>

#include "sheetsfixture.h"
#include "sheetssyncsetup.h"

using namespace sheetstest;
using syncline::connectors::googlesheets::GoogleSheetsDestination;
using syncline::connectors::googlesheets::ServiceAccountAuth;
using syncline::httptests::KeepingDiagnostics;
using syncline::httptests::MapSecrets;
using syncline::testfakes::googlesheets::generateRsaKey;
using syncline::testfakes::googlesheets::JwtExpectations;
using syncline::testfakes::googlesheets::verifyAssertion;

namespace {

struct Harness
{
    SheetsFake fake;
    MapSecrets secrets;
    ConnectorRegistry registry;
    KeepingDiagnostics diagnostics;

    Harness(const RsaKeyPair &key, SheetsFakeConfig config)
        : fake(config)
    {
        QString error;
        if (!fake.start(0, &error))
            qFatal("%s", qPrintable(error));
        syncline::connectors::registerBuiltinConnectors(registry);
        fillSecrets(secrets, key, config);
    }

    std::unique_ptr<Connector> connector(const QString &auth = QStringLiteral("service_account"),
        const QVariantMap &extra = {}, RunContext context = peopleContext())
    {
        auto created = registry.create(sheetsDestination(fake, auth, extra), secrets);
        if (!created)
            qFatal("cannot create the connector: %s", qPrintable(created.error().message));
        context.diagnostics = &diagnostics;
        (*created)->setRunContext(context);
        return std::move(*created);
    }
};

std::vector<RecordOutcome> deliverAll(Connector &connector, std::vector<OutgoingRecord> records)
{
    Batch batch;
    batch.object = QStringLiteral("people");
    batch.records = std::move(records);
    auto outcomes = connector.deliver(batch, CancellationToken());
    if (!outcomes)
        qFatal("deliver failed: %s", qPrintable(outcomes.error().message));
    return *outcomes;
}

QStringList errorsOf(const std::vector<RecordOutcome> &outcomes)
{
    QStringList errors;
    for (const RecordOutcome &outcome : outcomes)
        errors << (outcome.accepted ? QStringLiteral("ok") : outcome.error);
    return errors;
}

} // namespace

class TestGoogleSheetsConnector : public QObject
{
    Q_OBJECT
    RsaKeyPair m_key;
    RsaKeyPair m_otherKey;

private slots:
    void initTestCase()
    {
        m_key = generateRsaKey();
        m_otherKey = generateRsaKey();
        QVERIFY2(!m_key.privatePem.isEmpty() && !m_otherKey.privatePem.isEmpty(), "OpenSSL could not make an RSA key");
    }

    void serviceAccountAssertionIsAnRs256JwtTheTokenEndpointVerifies()
    {
        auto key = ServiceAccountAuth::parseKey(serviceAccountJson(m_key), QStringLiteral("test"));
        QVERIFY2(key, qPrintable(key ? QString() : key.error().message));
        ServiceAccountAuth auth(std::move(*key), QUrl(QStringLiteral("http://127.0.0.1:1/token")),
            QStringLiteral("https://www.googleapis.com/auth/spreadsheets"), QStringLiteral("test"));
        const QDateTime now = QDateTime::currentDateTimeUtc();
        auto assertion = auth.assertion(now);
        QVERIFY(assertion);
        QJsonObject claims;
        const JwtExpectations expected { m_key.publicPem, kEmail, QStringLiteral("https://oauth2.googleapis.com/token"),
            QStringLiteral("https://www.googleapis.com/auth/spreadsheets") };
        QCOMPARE(verifyAssertion(*assertion, expected, now, &claims), QString());
        QCOMPARE(
            claims.value(QStringLiteral("exp")).toInteger() - claims.value(QStringLiteral("iat")).toInteger(), 3600);
        // The same assertion does not verify with another key, and a changed claim breaks the signature.
        JwtExpectations otherKey = expected;
        otherKey.publicPem = m_otherKey.publicPem;
        QCOMPARE(verifyAssertion(*assertion, otherKey, now), QStringLiteral("Invalid JWT Signature."));
        QList<QByteArray> parts = assertion->split('.');
        parts[1] = QJsonDocument(QJsonObject { { QStringLiteral("iss"), QStringLiteral("attacker@example.com") } })
                       .toJson(QJsonDocument::Compact)
                       .toBase64(QByteArray::Base64UrlEncoding | QByteArray::OmitTrailingEquals);
        QCOMPARE(verifyAssertion(parts.join('.'), expected, now), QStringLiteral("Invalid JWT Signature."));
    }

    void rangesQuoteTitlesAndGoOutAsOneEncodedPathSegment()
    {
        using namespace syncline::connectors::googlesheets;
        QCOMPARE(columnLetters(0), QStringLiteral("A"));
        QCOMPARE(columnLetters(27), QStringLiteral("AB"));
        QCOMPARE(cellRange(QStringLiteral("Bob's list"), 1, 5, 3, 5), QStringLiteral("'Bob''s list'!B5:D5"));
        QCOMPARE(rowsOfRange(QStringLiteral("'a!b'!A7:F9")), (std::optional<std::pair<int, int>>({ 7, 9 })));
        Harness harness(m_key, fakeConfig(m_key));
        addPeopleTab(harness.fake);
        auto connector = harness.connector();
        QVERIFY(connector->beginRun(QStringLiteral("people")));
        deliverAll(*connector, { person(Operation::Upsert, 1, QStringLiteral("Ann")) });
        QStringList targets;
        for (const auto &request : harness.fake.state().requests()) {
            if (request.operation.startsWith(QLatin1String("values.")))
                targets << QString::fromLatin1(request.target.left(request.target.indexOf('?')));
        }
        const QString base = QStringLiteral("/v4/spreadsheets/") + kSpreadsheet;
        QCOMPARE(targets,
            (QStringList { base + QStringLiteral("/values/%27people%27%211%3A1"),
                base + QStringLiteral("/values/%27people%27%21A2%3AA"),
                base + QStringLiteral("/values/%27people%27%21A%3AC:append") }));
    }

    void keysCompareAsTextExactlyEvenPast2To53()
    {
        using syncline::connectors::googlesheets::keyText;
        const QJsonObject parsed = QJsonDocument::fromJson("{\"big\":9007199254740993,\"n\":17,\"f\":0.1}").object();
        QCOMPARE(keyText(parsed.value(QStringLiteral("big"))), QStringLiteral("9007199254740993"));
        QCOMPARE(keyText(parsed.value(QStringLiteral("n"))), QStringLiteral("17"));
        QCOMPARE(keyText(parsed.value(QStringLiteral("f"))), QStringLiteral("0.1"));
        QCOMPARE(keyText(QJsonValue(true)), QStringLiteral("TRUE"));
    }

    void aDeletionMovesTheRowsBelowItUp()
    {
        using syncline::connectors::googlesheets::KeyIndex;
        KeyIndex index = KeyIndex::fromColumn(
            QJsonArray { QStringLiteral("a"), 2, QString(), QStringLiteral("c"), QStringLiteral("a") }, 2);
        QCOMPARE(*index.rowsOf(QStringLiteral("a")), (std::vector<int> { 2, 6 }));
        QCOMPARE(*index.rowsOf(QStringLiteral("2")), std::vector<int> { 3 });
        index.removeRows({ 3, 2 });
        QVERIFY(!index.contains(QStringLiteral("2")));
        QCOMPARE(*index.rowsOf(QStringLiteral("a")), std::vector<int> { 4 });
        QCOMPARE(*index.rowsOf(QStringLiteral("c")), std::vector<int> { 3 });
        QCOMPARE(index.lastRow(), 4);
    }

    void settingsAndSecretsAreCheckedWithMessagesThatSayWhatToDo()
    {
        Harness harness(m_key, fakeConfig(m_key));
        DestinationDef url = sheetsDestination(harness.fake);
        url.settings.insert(
            QStringLiteral("spreadsheet_id"), QStringLiteral("https://docs.google.com/spreadsheets/d/abc/edit"));
        auto created = harness.registry.create(url, harness.secrets);
        QVERIFY(!created);
        QVERIFY2(
            created.error().message.contains(QStringLiteral("not the whole URL")), qPrintable(created.error().message));
        DestinationDef both = sheetsDestination(harness.fake, QStringLiteral("oauth"));
        both.secrets.insert(
            QStringLiteral("service_account"), SecretRef { SecretRef::Kind::Keychain, QStringLiteral("sa") });
        created = harness.registry.create(both, harness.secrets);
        QVERIFY(!created);
        QVERIFY2(created.error().message.contains(QStringLiteral("keep service_account, or client_id")),
            qPrintable(created.error().message));
        harness.secrets.values.insert(QStringLiteral("sa"), QStringLiteral("{\"type\":\"authorized_user\"}"));
        created = harness.registry.create(sheetsDestination(harness.fake), harness.secrets);
        QVERIFY(!created);
        QVERIFY2(created.error().message.contains(QStringLiteral("not 'service_account'")),
            qPrintable(created.error().message));
    }

    void serviceAccountWritesRowsAndRemintsItsTokenAtExpiryAndAfter401()
    {
        SheetsFakeConfig config = fakeConfig(m_key);
        config.tokenLifetimeSeconds = 4; // refreshed two seconds before it runs out
        Harness harness(m_key, config);
        addPeopleTab(harness.fake);
        auto connector = harness.connector();
        QVERIFY(connector->beginRun(QStringLiteral("people")));
        QCOMPARE(errorsOf(deliverAll(*connector, { person(Operation::Upsert, 1, QStringLiteral("Ann")) })),
            QStringList { QStringLiteral("ok") });
        QCOMPARE(harness.fake.state().counters().jwtGrants, 1);
        QTest::qWait(2200);
        QCOMPARE(errorsOf(deliverAll(*connector, { person(Operation::Upsert, 2, QStringLiteral("Bob")) })),
            QStringList { QStringLiteral("ok") });
        QCOMPARE(harness.fake.state().counters().jwtGrants, 2);
        QCOMPARE(harness.fake.state().counters().unauthorized, 0); // minted before expiry, not after a refusal
        harness.fake.state().expireTokens(); // Google revoked it early: one 401, a new token, the same request again
        QCOMPARE(errorsOf(deliverAll(*connector, { person(Operation::Upsert, 3, QStringLiteral("Cid")) })),
            QStringList { QStringLiteral("ok") });
        QCOMPARE(harness.fake.state().counters().unauthorized, 1);
        QCOMPARE(harness.fake.state().counters().jwtGrants, 3);
        QCOMPARE(dataLines(harness.fake),
            (QStringList { QStringLiteral("1|Ann|7|"), QStringLiteral("2|Bob|7|"), QStringLiteral("3|Cid|7|") }));
    }

    void aKeyGoogleDoesNotKnowStopsTheRunWithAClearMessage()
    {
        Harness harness(m_key, fakeConfig(m_key));
        addPeopleTab(harness.fake);
        harness.secrets.values.insert(QStringLiteral("sa"), serviceAccountJson(m_otherKey));
        auto connector = harness.connector();
        auto begun = connector->beginRun(QStringLiteral("people"));
        QVERIFY(!begun);
        QCOMPARE(begun.error().code, QStringLiteral("auth.refresh"));
        QVERIFY2(begun.error().message.contains(QStringLiteral("invalid_grant")), qPrintable(begun.error().message));
        QVERIFY(!begun.error().message.contains(QStringLiteral("PRIVATE KEY")));
        QCOMPARE(harness.fake.state().counters().refusedGrants, 1);
    }

    void oauthRefreshTokenWritesRowsAndARotatedTokenIsSaved()
    {
        SheetsFakeConfig config = fakeConfig(m_key);
        config.rotateRefreshToken = true;
        Harness harness(m_key, config);
        addPeopleTab(harness.fake);
        auto connector = harness.connector(QStringLiteral("oauth"));
        QVERIFY(connector->beginRun(QStringLiteral("people")));
        QCOMPARE(errorsOf(deliverAll(*connector, { person(Operation::Upsert, 5, QStringLiteral("Eve")) })),
            QStringList { QStringLiteral("ok") });
        QCOMPARE(harness.fake.state().counters().refreshGrants, 1);
        QCOMPARE(harness.fake.state().counters().jwtGrants, 0);
        QCOMPARE(harness.secrets.stored.value(QStringLiteral("rt")), harness.fake.state().currentRefreshToken());
        QCOMPARE(dataLines(harness.fake), QStringList { QStringLiteral("5|Eve|7|") });
    }

    void upsertUpdatesRowsInPlaceAndAppendsNewOnesKeepingUnmappedCells()
    {
        Harness harness(m_key, fakeConfig(m_key));
        addPeopleTab(harness.fake,
            { QJsonArray { 1, QStringLiteral("Ann"), 3, QStringLiteral("call back") },
                QJsonArray { QStringLiteral("2"), QStringLiteral("Bob"), 4, QStringLiteral("vip") } });
        auto connector = harness.connector();
        QVERIFY(connector->beginRun(QStringLiteral("people")));
        // Key 2 is text in the sheet and a number in the payload: Sheets has no types, the key matches as text.
        const auto outcomes = deliverAll(*connector,
            { person(Operation::Upsert, 2, QStringLiteral("Bobby"), 40),
                person(Operation::Upsert, 3, QStringLiteral("Cid")),
                person(Operation::Insert, 4, QStringLiteral("Dee"), QJsonValue::Null) });
        QCOMPARE(
            errorsOf(outcomes), (QStringList { QStringLiteral("ok"), QStringLiteral("ok"), QStringLiteral("ok") }));
        QCOMPARE(dataLines(harness.fake),
            (QStringList { QStringLiteral("1|Ann|3|call back"), QStringLiteral("2|Bobby|40|vip"),
                QStringLiteral("3|Cid|7|"), QStringLiteral("4|Dee||") }));
        const auto counters = harness.fake.state().counters();
        QCOMPARE(counters.count(QStringLiteral("values.batchUpdate")), 1);
        QCOMPARE(counters.count(QStringLiteral("values.append")), 1);
        QCOMPARE(counters.rowsAppended, 2);
    }

    void updateOnlyRejectsKeysTheSheetDoesNotHave()
    {
        Harness harness(m_key, fakeConfig(m_key));
        addPeopleTab(harness.fake, { QJsonArray { 1, QStringLiteral("Ann"), 3 } });
        auto connector = harness.connector();
        QVERIFY(connector->beginRun(QStringLiteral("people")));
        const auto outcomes = deliverAll(*connector,
            { person(Operation::Update, 1, QStringLiteral("Annie")),
                person(Operation::Update, 9, QStringLiteral("Zed")) });
        QVERIFY(outcomes[0].accepted);
        QVERIFY(!outcomes[1].accepted && !outcomes[1].retryable);
        QVERIFY2(outcomes[1].error.contains(QStringLiteral("no row of tab 'people' has id '9'")),
            qPrintable(outcomes[1].error));
        QCOMPARE(dataLines(harness.fake), QStringList { QStringLiteral("1|Annie|7|") });
        QCOMPARE(harness.fake.state().counters().rowsAppended, 0);
    }

    void deleteRemovesRowsBottomUpAndClearBlanksAllButTheKey()
    {
        Harness harness(m_key, fakeConfig(m_key));
        QList<QJsonArray> rows;
        for (int id = 1; id <= 8; ++id)
            rows << QJsonArray { id, QStringLiteral("p%1").arg(id), id, QStringLiteral("n%1").arg(id) };
        addPeopleTab(harness.fake, rows);
        auto connector = harness.connector();
        QVERIFY(connector->beginRun(QStringLiteral("people")));
        // 2, 3 and 4 are neighbours (one range), 7 alone; 6 is cleared; 99 was never there. The
        // payloads of 7 and 6 were delivered when the tab still had an "email" column.
        auto withOldColumn = [](OutgoingRecord record) {
            QJsonObject payload = QJsonDocument::fromJson(QByteArray::fromStdString(record.payload)).object();
            payload.insert(QStringLiteral("email"), QJsonValue::Null);
            record.payload = QJsonDocument(payload).toJson(QJsonDocument::Compact).toStdString();
            return record;
        };
        const auto outcomes = deliverAll(*connector,
            { person(Operation::Delete, 3, QStringLiteral("p3")),
                withOldColumn(person(Operation::Delete, 7, QStringLiteral("p7"))),
                person(Operation::Delete, 2, QStringLiteral("p2")), person(Operation::Delete, 4, QStringLiteral("p4")),
                withOldColumn(person(Operation::Clear, 6, QJsonValue::Null, QJsonValue::Null)),
                person(Operation::Delete, 99, QStringLiteral("x")) });
        QCOMPARE(errorsOf(outcomes),
            (QStringList { QStringLiteral("ok"), QStringLiteral("ok"), QStringLiteral("ok"), QStringLiteral("ok"),
                QStringLiteral("ok"), QStringLiteral("ok") }));
        QCOMPARE(dataLines(harness.fake),
            (QStringList { QStringLiteral("1|p1|1|n1"), QStringLiteral("5|p5|5|n5"), QStringLiteral("6|||n6"),
                QStringLiteral("8|p8|8|n8") }));
        const auto counters = harness.fake.state().counters();
        QCOMPARE(counters.count(QStringLiteral("batchUpdate")), 1); // one atomic request, ranges bottom-up
        QCOMPARE(counters.rowsDeleted, 4);
        QCOMPARE(counters.count(QStringLiteral("values.get")), 2); // the header at beginRun, the keys once
        QByteArray deleteBody;
        for (const auto &request : harness.fake.state().requests()) {
            if (request.operation == QLatin1String("batchUpdate"))
                deleteBody = request.body;
        }
        const QJsonArray requests
            = QJsonDocument::fromJson(deleteBody).object().value(QStringLiteral("requests")).toArray();
        auto span = [&](int i) {
            const QJsonObject range = requests.at(i)
                                          .toObject()
                                          .value(QStringLiteral("deleteDimension"))
                                          .toObject()
                                          .value(QStringLiteral("range"))
                                          .toObject();
            return QStringLiteral("%1-%2")
                .arg(range.value(QStringLiteral("startIndex")).toInt())
                .arg(range.value(QStringLiteral("endIndex")).toInt());
        };
        QCOMPARE(requests.size(), 2);
        QCOMPARE(span(0), QStringLiteral("7-8")); // id 7 (row 8) first
        QCOMPARE(span(1), QStringLiteral("2-5")); // then ids 2 to 4 (rows 3 to 5), whose indexes the first did not move
    }

    void discoveryListsTabsAndTheHeaderRowAsTextFieldsAnyOfWhichCanBeTheKey()
    {
        Harness harness(m_key, fakeConfig(m_key));
        addPeopleTab(harness.fake);
        harness.fake.state().addTab(kSpreadsheet, QStringLiteral("Q3 leads"));
        auto connector = harness.connector();
        auto objects = connector->objects();
        QVERIFY(objects);
        QStringList names;
        for (const ObjectSpec &object : *objects)
            names << object.name;
        QCOMPARE(names, (QStringList { QStringLiteral("people"), QStringLiteral("Q3 leads") }));
        auto people = connector->object(QStringLiteral("people"));
        QVERIFY(people);
        QStringList fields;
        for (const FieldSpec &field : people->fields) {
            fields << field.name;
            QVERIFY(field.identifier);
            QCOMPARE(field.type, FieldType::Text);
        }
        QCOMPARE(fields,
            (QStringList {
                QStringLiteral("id"), QStringLiteral("name"), QStringLiteral("score"), QStringLiteral("notes") }));
        QVERIFY(!people->acceptsAnyField);
        auto empty = connector->object(QStringLiteral("Q3 leads"));
        QVERIFY(empty && empty->acceptsAnyField && empty->fields.empty());
    }

    void aMissingTabIsCreatedWithAHeaderRowFromTheMapping()
    {
        Harness harness(m_key, fakeConfig(m_key));
        addPeopleTab(harness.fake);
        RunContext context = peopleContext();
        context.object = QStringLiteral("new 'tab'");
        auto connector = harness.connector(QStringLiteral("service_account"), {}, context);
        QVERIFY(connector->beginRun(QStringLiteral("new 'tab'")));
        Batch batch;
        batch.object = context.object;
        batch.records = { person(Operation::Upsert, 1, QStringLiteral("Ann")) };
        auto outcomes = connector->deliver(batch, CancellationToken());
        QVERIFY(outcomes && (*outcomes)[0].accepted);
        const QList<QJsonArray> rows = harness.fake.state().rows(kSpreadsheet, QStringLiteral("new 'tab'"));
        QCOMPARE(rows.size(), 2);
        QCOMPARE(rows[0], (QJsonArray { QStringLiteral("id"), QStringLiteral("name"), QStringLiteral("score") }));
        QCOMPARE(rows[1], (QJsonArray { 1, QStringLiteral("Ann"), 7 }));
    }

    void aHeaderWithoutAMappedColumnStopsTheRunNamingIt()
    {
        Harness harness(m_key, fakeConfig(m_key));
        addPeopleTab(harness.fake);
        auto connector = harness.connector(QStringLiteral("service_account"), {},
            peopleContext({ QStringLiteral("id"), QStringLiteral("name"), QStringLiteral("email") }));
        auto begun = connector->beginRun(QStringLiteral("people"));
        QVERIFY(!begun);
        QVERIFY2(
            begun.error().message.contains(QStringLiteral("has no column email")), qPrintable(begun.error().message));
    }

    void aLostAppendAnswerIsSettledByReadingTheKeyColumnNotByAppendingAgain()
    {
        Harness harness(m_key, fakeConfig(m_key));
        addPeopleTab(harness.fake);
        auto connector = harness.connector();
        QVERIFY(connector->beginRun(QStringLiteral("people")));
        harness.fake.state().scriptFault(SheetsFault::LostAck, QStringLiteral("values.append"));
        const auto outcomes = deliverAll(*connector,
            { person(Operation::Upsert, 1, QStringLiteral("Ann")),
                person(Operation::Upsert, 2, QStringLiteral("Bob")) });
        QCOMPARE(errorsOf(outcomes), (QStringList { QStringLiteral("ok"), QStringLiteral("ok") }));
        QCOMPARE(dataLines(harness.fake), (QStringList { QStringLiteral("1|Ann|7|"), QStringLiteral("2|Bob|7|") }));
        const auto counters = harness.fake.state().counters();
        QCOMPARE(counters.count(QStringLiteral("values.append")), 1);
        QCOMPARE(counters.count(QStringLiteral("values.get")), 3); // header, keys, keys again after the lost answer
    }

    void aBatchSentAgainAfterACrashUpdatesTheRowsItAppendedBefore()
    {
        Harness harness(m_key, fakeConfig(m_key));
        addPeopleTab(harness.fake);
        std::vector<OutgoingRecord> batch;
        for (int id = 1; id <= 30; ++id)
            batch.push_back(person(Operation::Upsert, id, QStringLiteral("p%1").arg(id)));
        {
            // The first process: the append reaches Google, then the process dies before it records the outcome.
            auto first = harness.connector();
            QVERIFY(first->beginRun(QStringLiteral("people")));
            harness.fake.state().scriptFault(SheetsFault::ApplyThenHang, QStringLiteral("values.append"));
            Batch sent;
            sent.object = QStringLiteral("people");
            sent.records = batch;
            CancellationToken killed;
            QTimer::singleShot(300, [killed] { killed.cancel(); });
            auto outcomes = first->deliver(sent, killed);
            QVERIFY(!outcomes
                || std::none_of(outcomes->begin(), outcomes->end(), [](const RecordOutcome &o) { return o.accepted; }));
        }
        QCOMPARE(dataLines(harness.fake).size(), 30); // it did land
        auto second = harness.connector(); // the next run resends the unacknowledged batch
        QVERIFY(second->beginRun(QStringLiteral("people")));
        batch[4] = person(Operation::Upsert, 5, QStringLiteral("changed meanwhile"));
        QCOMPARE(errorsOf(deliverAll(*second, batch)).count(QStringLiteral("ok")), 30);
        const QStringList lines = dataLines(harness.fake);
        QCOMPARE(lines.size(), 30);
        QCOMPARE(lines[4], QStringLiteral("5|changed meanwhile|7|"));
        QCOMPARE(harness.fake.state().counters().rowsAppended, 30);
    }

    void quotaRefusalsWaitAndEveryRowArrives()
    {
        SheetsFakeConfig config = fakeConfig(m_key);
        config.writesPerWindow = 1; // every round writes two or three times within the window
        config.quotaWindowMs = 1000;
        config.retryAfterSeconds = 1; // Google sometimes says how long; the limiter then pauses every request
        Harness harness(m_key, config);
        addPeopleTab(harness.fake);
        auto connector = harness.connector();
        QVERIFY(connector->beginRun(QStringLiteral("people")));
        for (int round = 0; round < 3; ++round) {
            std::vector<OutgoingRecord> records { person(Operation::Upsert, round * 2 + 1, QStringLiteral("a")),
                person(Operation::Upsert, round * 2 + 2, QStringLiteral("b")) };
            if (round > 0) // the previous round's first row left the model
                records.push_back(person(Operation::Delete, round * 2 - 1, QStringLiteral("a")));
            QCOMPARE(errorsOf(deliverAll(*connector, records)).count(QStringLiteral("ok")), qsizetype(records.size()));
        }
        QCOMPARE(dataLines(harness.fake),
            (QStringList { QStringLiteral("2|b|7|"), QStringLiteral("4|b|7|"), QStringLiteral("5|a|7|"),
                QStringLiteral("6|b|7|") }));
        QVERIFY(harness.fake.state().counters().quotaRefusals > 0);
        // And a 429 without Retry-After, as Google often sends it: exponential backoff, then the rows.
        harness.fake.state().scriptFault(SheetsFault::Quota429, QStringLiteral("values.append"));
        harness.fake.state().scriptFault(SheetsFault::Quota429, QStringLiteral("values.append"));
        config.retryAfterSeconds = 0;
        config.writesPerWindow = 0;
        harness.fake.state().setConfig(config);
        const qint64 before = harness.fake.state().counters().rateLimited;
        QCOMPARE(errorsOf(deliverAll(*connector, { person(Operation::Upsert, 9, QStringLiteral("z")) })),
            QStringList { QStringLiteral("ok") });
        QCOMPARE(harness.fake.state().counters().rateLimited - before, 2);
        QCOMPARE(dataLines(harness.fake).size(), 5);
    }

    void aRowGoogleRefusesIsIsolatedAndTheOthersAreWritten()
    {
        SheetsFakeConfig config = fakeConfig(m_key);
        config.rejectValues = { QStringLiteral("#BAD") };
        Harness harness(m_key, config);
        addPeopleTab(
            harness.fake, { QJsonArray { 1, QStringLiteral("Ann"), 1 }, QJsonArray { 2, QStringLiteral("Bob"), 2 } });
        auto connector = harness.connector();
        QVERIFY(connector->beginRun(QStringLiteral("people")));
        std::vector<OutgoingRecord> records { person(Operation::Upsert, 1, QStringLiteral("Ann2")),
            person(Operation::Upsert, 2, QStringLiteral("#BAD")) };
        for (int id = 3; id <= 10; ++id)
            records.push_back(
                person(Operation::Upsert, id, id == 7 ? QStringLiteral("#BAD") : QStringLiteral("n%1").arg(id)));
        records.push_back(person(Operation::Upsert, 11, QString(60'000, QLatin1Char('x'))));
        const auto outcomes = deliverAll(*connector, records);
        QStringList rejected;
        for (size_t i = 0; i < outcomes.size(); ++i) {
            if (!outcomes[i].accepted)
                rejected << QString::fromStdString(records[i].key) + QLatin1Char(':') + outcomes[i].error.left(26);
        }
        QCOMPARE(rejected,
            (QStringList { QStringLiteral("2:HTTP 400 INVALID_ARGUMENT:"),
                QStringLiteral("7:HTTP 400 INVALID_ARGUMENT:"), QStringLiteral("11:field name has 60000 chara") }));
        const QStringList lines = dataLines(harness.fake);
        QCOMPARE(lines.size(), 9); // 1, 2 (unchanged) and 3..10 but 7
        QCOMPARE(lines[0], QStringLiteral("1|Ann2|7|"));
        QCOMPARE(lines[1], QStringLiteral("2|Bob|2|"));
        QVERIFY(!lines.join(QLatin1Char(',')).contains(QStringLiteral("#BAD")));
    }

    void aSyncKilledAfterItsAppendReachedGoogleLeavesNoDuplicateRowOnTheRerun()
    {
        const QString cli = QStringLiteral(SYNCLINE_BINARY_DIR "/app/syncline-cli");
        QVERIFY2(QFileInfo::exists(cli), "syncline-cli is not built");
        SheetsFake fake(fakeConfig(m_key));
        QVERIFY(fake.start());
        fake.state().addSpreadsheet(kSpreadsheet);
        fake.state().addTab(kSpreadsheet, QStringLiteral("people")); // empty: the first run writes the header
        SheetsSyncSetup setup(fake, m_key, 200,
            { { QStringLiteral("batch_size"), 50 }, { QStringLiteral("timeout"), QStringLiteral("60s") } });
        const QStringList run { QStringLiteral("run"), kSyncName, QStringLiteral("--workspace"), setup.workspacePath };

        // Google applies the first append and its answer never comes; the process is killed while it waits.
        fake.state().scriptFault(SheetsFault::ApplyThenHang, QStringLiteral("values.append"));
        QProcess killed;
        killed.start(cli, run);
        QVERIFY(killed.waitForStarted());
        QElapsedTimer waited;
        waited.start();
        while (fake.state().counters().rowsAppended < 50) {
            QVERIFY2(!killed.waitForFinished(20), killed.readAllStandardError().constData());
            QVERIFY2(waited.elapsed() < 60000, "the first append never came");
        }
        killed.kill(); // SIGKILL: the ledger never learns that the 50 rows landed
        killed.waitForFinished();
        QCOMPARE(dataLines(fake).size(), 50);

        QProcess rerun;
        rerun.start(cli, run);
        QVERIFY(rerun.waitForFinished(120000));
        QVERIFY2(rerun.exitCode() == 0, rerun.readAllStandardError().constData());
        QCOMPARE(sortedLines(fake), setup.model()); // 200 rows, each once
        QCOMPARE(fake.state().counters().rowsAppended, 200); // the 50 that landed were updated, not appended again

        fake.state().resetCounters(); // a third run has nothing to send
        QProcess idle;
        idle.start(cli, run);
        QVERIFY(idle.waitForFinished(120000));
        QCOMPARE(idle.exitCode(), 0);
        const auto counters = fake.state().counters();
        QCOMPARE(counters.count(QStringLiteral("values.append")) + counters.count(QStringLiteral("values.batchUpdate"))
                + counters.count(QStringLiteral("batchUpdate")),
            0);
    }
};

QTEST_GUILESS_MAIN(TestGoogleSheetsConnector)
#include "tst_googlesheetsconnector.moc"
