// The `hubspot` connector against the stateful HubSpot fake (tests/fakes/hubspot), no Prism:
// discovery, every write mode, properties as strings, batch sizes, 207 per-record outcomes,
// whole-batch refusals split, rate limits, OAuth refresh with the rotated token saved, and how
// `syncline-cli connectors --json` describes the type. The demo sync is tst_hubspotdemosync.
#include "connectors/http/ratelimiter.h"
#include "connectors/http/ratelimiterpool.h"
#include "connectors/hubspot/hubspotdestination.h"
#include "engine/connector/connectorregistry.h"
#include "tests/connectors/hubspottestsupport.h"
#include "tests/fakes/hubspot/hubspotfake.h"
#include "tests/http/httptestsupport.h"

#include <QJsonArray>
#include <QProcess>

using namespace syncline::engine;
using namespace syncline::engine::connector;
using syncline::connectors::hubspot::HubSpotDestination;
using syncline::httptests::MapSecrets;
using syncline::testfakes::hubspot::HubSpotFake;
using namespace syncline::hubspottests;

namespace {

std::unique_ptr<Connector> create(const DestinationDef &destination, SecretResolver &secrets,
    const QString &object = QStringLiteral("contacts"), const QString &matchField = QStringLiteral("email"))
{
    auto type = HubSpotDestination::connectorType(std::make_shared<syncline::connectors::http::RateLimiterPool>());
    auto made = type.create(destination, secrets);
    if (!made) {
        qWarning("%s", qPrintable(made.error().message));
        return nullptr;
    }
    RunContext context;
    context.runId = 1;
    context.object = object;
    context.matchField = matchField;
    (*made)->setRunContext(context);
    return std::move(*made);
}

OutgoingRecord rec(Operation operation, const QString &json, const QString &destinationId = {})
{
    OutgoingRecord record;
    record.operation = operation;
    record.payload = json.toStdString();
    const QJsonObject payload = QJsonDocument::fromJson(json.toUtf8()).object();
    record.key = payload.value(QStringLiteral("email"))
                     .toString(payload.value(QStringLiteral("vin")).toString())
                     .toStdString();
    record.destinationId = destinationId;
    return record;
}

Batch batchOf(std::vector<OutgoingRecord> records, const QString &object = QStringLiteral("contacts"))
{
    return Batch { object, std::move(records) };
}

std::vector<OutgoingRecord> contacts(int count, int first = 1)
{
    std::vector<OutgoingRecord> records;
    for (int i = first; i < first + count; ++i)
        records.push_back(rec(
            Operation::Upsert, QStringLiteral(R"({"email":"c%1@example.com","firstname":"C%1","score":%1})").arg(i)));
    return records;
}

QString contactId(const HubSpotFake &fake, const QString &email)
{
    const auto records = fake.records(QStringLiteral("contacts"));
    for (const auto &record : records) {
        if (record.properties.value(QStringLiteral("email")) == email)
            return record.id;
    }
    return {};
}

int inputsOf(const QByteArray &body)
{
    return int(QJsonDocument::fromJson(body).object().value(QStringLiteral("inputs")).toArray().size());
}

} // namespace

class TestHubSpotConnector : public QObject
{
    Q_OBJECT
private slots:
    void discoveryOffersUniquePropertiesAsMatchKeysAndHidesNothingItCannotWrite();
    void upsertSendsEveryPropertyAsAStringAndKeepsHubSpotsRecordId();
    void requestsHoldAtMostTheObjectsBatchSize();
    void multiStatusRefusesOnlyTheInputsItNames();
    void createReportsAFailedInputByItsTraceId();
    void updateChangesAndClearEmptiesTheMappedProperties();
    void deleteArchivesByLedgerIdOrLooksTheRecordUp();
    void aRequestRefusedAsAWholeIsSplitUntilTheBadInputIsAlone();
    void rateLimitsWaitAndEveryRecordStillArrives();
    void hubSpotRateLimitHeadersTellTheLimiterWhenAWindowIsSpent();
    void aSpentDailyLimitStopsTheRunInsteadOfWaiting();
    void oauthRefreshesAnExpiredTokenAndSavesTheRotatedRefreshToken();
    void aWrongTokenStopsTheBatchWithAClearMessage();
    void settingsAreCheckedAndSecretsRequired();
    void cliListsTheHubSpotType();
};

void TestHubSpotConnector::discoveryOffersUniquePropertiesAsMatchKeysAndHidesNothingItCannotWrite()
{
    HubSpotFake fake;
    QVERIFY(fake.start());
    MapSecrets secrets = secretsFor(fake);
    auto hubspot = create(hubspotDestination(fake), secrets);
    QVERIFY(hubspot);
    QVERIFY(hubspot->capabilities().discoversObjects);
    auto objects = hubspot->objects();
    QVERIFY2(objects, qPrintable(objects ? QString() : objects.error().message));
    QStringList names;
    for (const ObjectSpec &object : *objects)
        names << object.name;
    QCOMPARE(names, (QStringList { QStringLiteral("contacts"), QStringLiteral("companies"), QStringLiteral("deals") }));
    const auto field = [](const ObjectSpec &object, const QString &name) {
        for (const FieldSpec &spec : object.fields) {
            if (spec.name == name)
                return spec;
        }
        return FieldSpec {};
    };
    const ObjectSpec &contactsSpec = objects->front();
    QVERIFY(field(contactsSpec, QStringLiteral("email")).identifier);
    QVERIFY(field(contactsSpec, QStringLiteral("email")).caseInsensitive);
    QVERIFY(field(contactsSpec, QStringLiteral("external_id")).identifier);
    QVERIFY(!field(contactsSpec, QStringLiteral("firstname")).identifier);
    QCOMPARE(field(contactsSpec, QStringLiteral("score")).type, FieldType::Number);
    QCOMPARE(field(contactsSpec, QStringLiteral("vip")).type, FieldType::Boolean);
    QCOMPARE(field(contactsSpec, QStringLiteral("birthdate")).type, FieldType::Date);
    QVERIFY(field(contactsSpec, QStringLiteral("createdate")).readOnly);
    QVERIFY(!field(contactsSpec, QStringLiteral("firstname")).readOnly);
    // A custom object by its type id, and listed when the destination names it.
    auto cars = hubspot->object(QStringLiteral("2-1001"));
    QVERIFY(cars);
    QVERIFY(field(*cars, QStringLiteral("vin")).identifier);
    QCOMPARE(field(*cars, QStringLiteral("year")).type, FieldType::Number);
    auto withCustom
        = create(hubspotDestination(fake, { { QStringLiteral("custom_objects"), QStringLiteral("2-1001") } }), secrets);
    QVERIFY(withCustom);
    auto listed = withCustom->objects();
    QVERIFY(listed && listed->size() == 4);
    QCOMPARE(listed->back().name, QStringLiteral("2-1001"));
    auto unknown = hubspot->object(QStringLiteral("nosuchthing"));
    QVERIFY(!unknown);
    QVERIFY2(unknown.error().message.contains(QStringLiteral("nosuchthing")), qPrintable(unknown.error().message));
}

void TestHubSpotConnector::upsertSendsEveryPropertyAsAStringAndKeepsHubSpotsRecordId()
{
    HubSpotFake fake;
    QVERIFY(fake.start());
    MapSecrets secrets = secretsFor(fake);
    auto hubspot = create(hubspotDestination(fake), secrets);
    QVERIFY(hubspot);
    QVERIFY(hubspot->beginRun(QStringLiteral("contacts")));
    auto outcomes = hubspot->deliver(
        batchOf({ rec(Operation::Upsert,
            QStringLiteral(
                R"({"email":"Ada@Example.com","firstname":"Ada","score":12345678901234567,"vip":true,"lastname":null})")) }),
        {});
    QVERIFY(outcomes);
    QVERIFY2(outcomes->at(0).accepted, qPrintable(outcomes->at(0).error));
    const QString id = contactId(fake, QStringLiteral("ada@example.com"));
    QVERIFY(!id.isEmpty());
    QCOMPARE(outcomes->at(0).destinationId, id);
    const auto stored = fake.records(QStringLiteral("contacts")).value(id).properties;
    QCOMPARE(
        stored.value(QStringLiteral("score")), QStringLiteral("12345678901234567")); // as written, no double on the way
    QCOMPARE(stored.value(QStringLiteral("vip")), QStringLiteral("true"));
    QVERIFY(!stored.contains(QStringLiteral("lastname")));
    const QJsonObject input
        = QJsonDocument::fromJson(fake.requests().last().body).object()[QStringLiteral("inputs")][0].toObject();
    QCOMPARE(input[QStringLiteral("idProperty")].toString(), QStringLiteral("email"));
    QCOMPARE(input[QStringLiteral("id")].toString(), QStringLiteral("Ada@Example.com"));
    const QJsonObject properties = input[QStringLiteral("properties")].toObject();
    for (auto it = properties.begin(); it != properties.end(); ++it)
        QVERIFY2(it->isString(), qPrintable(it.key()));
    QCOMPARE(properties[QStringLiteral("lastname")].toString(), QString()); // null clears: ""
    // The same record again (other case of the email) updates it: still one contact.
    auto again = hubspot->deliver(
        batchOf({ rec(Operation::Upsert, QStringLiteral(R"({"email":"ada@example.com","firstname":"Ada L."})")) }), {});
    QVERIFY(again && again->at(0).accepted);
    QCOMPARE(again->at(0).destinationId, id);
    QCOMPARE(fake.records(QStringLiteral("contacts")).size(), 1);
}

void TestHubSpotConnector::requestsHoldAtMostTheObjectsBatchSize()
{
    HubSpotFake fake;
    QVERIFY(fake.start());
    MapSecrets secrets = secretsFor(fake);
    auto hubspot
        = create(hubspotDestination(
                     fake, { { QStringLiteral("batch_sizes"), QVariantMap { { QStringLiteral("contacts"), 40 } } } }),
            secrets);
    QVERIFY(hubspot);
    auto outcomes = hubspot->deliver(batchOf(contacts(250)), {});
    QVERIFY(outcomes);
    QCOMPARE(syncline::httptests::acceptedCount(*outcomes), 250);
    int requests = 0;
    for (const auto &request : fake.requests()) {
        if (!request.path.endsWith("/batch/upsert"))
            continue;
        ++requests;
        QVERIFY2(inputsOf(request.body) <= 40, qPrintable(QString::number(inputsOf(request.body))));
    }
    QCOMPARE(requests, 7);
    QCOMPARE(fake.records(QStringLiteral("contacts")).size(), 250);
}

void TestHubSpotConnector::multiStatusRefusesOnlyTheInputsItNames()
{
    HubSpotFake fake;
    QVERIFY(fake.start());
    fake.rejectWhere([](const QString &, const QHash<QString, QString> &properties) {
        return properties.value(QStringLiteral("email")).startsWith(QLatin1String("c1"));
    });
    MapSecrets secrets = secretsFor(fake);
    auto hubspot = create(hubspotDestination(fake), secrets);
    QVERIFY(hubspot);
    auto outcomes = hubspot->deliver(batchOf(contacts(25)), {}); // c1, c10..c19 are refused
    QVERIFY(outcomes);
    QCOMPARE(fake.counters().multiStatus, 1);
    for (int i = 0; i < 25; ++i) {
        const bool refused = QStringLiteral("c%1").arg(i + 1).startsWith(QLatin1String("c1"));
        QCOMPARE(outcomes->at(size_t(i)).accepted, !refused);
        if (refused)
            QVERIFY2(outcomes->at(size_t(i)).error.contains(QStringLiteral("refused by the test")),
                qPrintable(outcomes->at(size_t(i)).error));
    }
    QCOMPARE(fake.records(QStringLiteral("contacts")).size(), 14);
}

void TestHubSpotConnector::createReportsAFailedInputByItsTraceId()
{
    HubSpotFake fake;
    QVERIFY(fake.start());
    MapSecrets secrets = secretsFor(fake);
    auto hubspot = create(hubspotDestination(fake), secrets);
    QVERIFY(hubspot);
    QVERIFY(
        hubspot->deliver(batchOf({ rec(Operation::Upsert, QStringLiteral(R"({"email":"taken@example.com"})")) }), {}));
    auto outcomes = hubspot->deliver(
        batchOf({ rec(Operation::Insert, QStringLiteral(R"({"email":"new1@example.com","firstname":"N"})")),
            rec(Operation::Insert, QStringLiteral(R"({"email":"taken@example.com","firstname":"T"})")),
            rec(Operation::Insert, QStringLiteral(R"({"email":"new2@example.com"})")) }),
        {});
    QVERIFY(outcomes);
    QVERIFY(outcomes->at(0).accepted);
    QVERIFY(!outcomes->at(1).accepted);
    QVERIFY2(outcomes->at(1).error.contains(QStringLiteral("already exists")), qPrintable(outcomes->at(1).error));
    QVERIFY(outcomes->at(2).accepted);
    QCOMPARE(outcomes->at(2).destinationId, contactId(fake, QStringLiteral("new2@example.com")));
    QVERIFY(fake.requests().last().body.contains("objectWriteTraceId"));
}

void TestHubSpotConnector::updateChangesAndClearEmptiesTheMappedProperties()
{
    HubSpotFake fake;
    QVERIFY(fake.start());
    MapSecrets secrets = secretsFor(fake);
    auto hubspot = create(hubspotDestination(fake), secrets);
    QVERIFY(hubspot);
    QVERIFY(hubspot->deliver(batchOf(contacts(2)), {}));
    auto outcomes = hubspot->deliver(
        batchOf(
            { rec(Operation::Update, QStringLiteral(R"({"email":"c1@example.com","firstname":"Changed","score":5})")),
                rec(Operation::Clear, QStringLiteral(R"({"email":"c2@example.com","firstname":null,"score":null})")),
                rec(Operation::Update, QStringLiteral(R"({"email":"ghost@example.com","firstname":"G"})")) }),
        {});
    QVERIFY(outcomes);
    QVERIFY(outcomes->at(0).accepted);
    QVERIFY(outcomes->at(1).accepted);
    QVERIFY(!outcomes->at(2).accepted); // update never creates
    QVERIFY2(outcomes->at(2).error.contains(QStringLiteral("OBJECT_NOT_FOUND")), qPrintable(outcomes->at(2).error));
    const auto records = fake.records(QStringLiteral("contacts"));
    const auto c1 = records.value(contactId(fake, QStringLiteral("c1@example.com"))).properties;
    QCOMPARE(c1.value(QStringLiteral("firstname")), QStringLiteral("Changed"));
    QCOMPARE(c1.value(QStringLiteral("score")), QStringLiteral("5"));
    const auto c2 = records.value(contactId(fake, QStringLiteral("c2@example.com"))).properties;
    QVERIFY(!c2.contains(QStringLiteral("firstname")));
    QVERIFY(!c2.contains(QStringLiteral("score")));
    QCOMPARE(records.size(), 2);
}

void TestHubSpotConnector::deleteArchivesByLedgerIdOrLooksTheRecordUp()
{
    HubSpotFake fake;
    QVERIFY(fake.start());
    MapSecrets secrets = secretsFor(fake);
    auto hubspot = create(hubspotDestination(fake), secrets);
    QVERIFY(hubspot);
    QVERIFY(hubspot->deliver(batchOf(contacts(3)), {}));
    const QString firstId = contactId(fake, QStringLiteral("c1@example.com"));
    auto outcomes
        = hubspot->deliver(batchOf({ rec(Operation::Delete, QStringLiteral(R"({"email":"c1@example.com"})"), firstId),
                               rec(Operation::Delete, QStringLiteral(R"({"email":"c2@example.com"})")),
                               rec(Operation::Delete, QStringLiteral(R"({"email":"never@example.com"})")) }),
            {});
    QVERIFY(outcomes);
    for (const RecordOutcome &outcome : *outcomes)
        QVERIFY2(outcome.accepted, qPrintable(outcome.error));
    const auto records = fake.records(QStringLiteral("contacts"));
    QCOMPARE(records.size(), 1);
    QCOMPARE(records.first().properties.value(QStringLiteral("email")), QStringLiteral("c3@example.com"));
    QStringList paths;
    for (const auto &request : fake.requests())
        paths << QString::fromUtf8(request.path.mid(request.path.lastIndexOf('/') + 1));
    QVERIFY2(paths.contains(QStringLiteral("read")) && paths.count(QStringLiteral("archive")) == 2,
        qPrintable(paths.join(u',')));
}

void TestHubSpotConnector::aRequestRefusedAsAWholeIsSplitUntilTheBadInputIsAlone()
{
    HubSpotFake fake;
    QVERIFY(fake.start());
    MapSecrets secrets = secretsFor(fake);
    auto hubspot = create(hubspotDestination(fake), secrets, QStringLiteral("2-1001"), QStringLiteral("vin"));
    QVERIFY(hubspot);
    std::vector<OutgoingRecord> cars;
    for (int i = 1; i <= 8; ++i)
        cars.push_back(rec(Operation::Upsert,
            QStringLiteral(R"({"vin":"V%1","model":"M%1","year":%2})")
                .arg(i)
                .arg(i == 6 ? QStringLiteral("\"soon\"") : QString::number(2000 + i))));
    // V6's "year" is no number: refused per input (207). The same VIN twice makes HubSpot refuse
    // the whole request (400), which is split until each input stands alone.
    cars.push_back(rec(Operation::Upsert, QStringLiteral(R"({"vin":"V3","model":"again","year":2003})")));
    auto outcomes = hubspot->deliver(batchOf(cars, QStringLiteral("2-1001")), {});
    QVERIFY(outcomes);
    QVERIFY(fake.counters().badRequests >= 1); // the duplicate made HubSpot refuse the whole request
    for (size_t i = 0; i < cars.size(); ++i) {
        if (i == 5)
            QVERIFY2(!outcomes->at(i).accepted && outcomes->at(i).error.contains(QStringLiteral("valid number")),
                qPrintable(outcomes->at(i).error));
        else
            QVERIFY2(outcomes->at(i).accepted, qPrintable(outcomes->at(i).error));
    }
    QCOMPARE(fake.records(QStringLiteral("2-1001")).size(), 7);
}

void TestHubSpotConnector::rateLimitsWaitAndEveryRecordStillArrives()
{
    HubSpotFake fake;
    QVERIFY(fake.start());
    fake.setSecondlyLimit(4);
    fake.rateLimitNext(2, QStringLiteral("TEN_SECONDLY_ROLLING"));
    MapSecrets secrets = secretsFor(fake);
    auto hubspot = create(
        hubspotDestination(
            fake, { { QStringLiteral("batch_size"), 10 }, { QStringLiteral("rate_limit"), QStringLiteral("1000/s") } }),
        secrets);
    QVERIFY(hubspot);
    auto outcomes = hubspot->deliver(batchOf(contacts(120)), {});
    QVERIFY(outcomes);
    QCOMPARE(syncline::httptests::acceptedCount(*outcomes), 120);
    QVERIFY(fake.counters().rateLimited >= 2);
    QCOMPARE(fake.records(QStringLiteral("contacts")).size(), 120);
}

void TestHubSpotConnector::hubSpotRateLimitHeadersTellTheLimiterWhenAWindowIsSpent()
{
    using namespace syncline::connectors::http;
    const QDateTime now = QDateTime::currentDateTimeUtc();
    const RateLimitHint secondly = parseRateLimitHeaders(
        { { "X-HubSpot-RateLimit-Secondly", "19" }, { "X-HubSpot-RateLimit-Secondly-Remaining", "0" },
            { "X-HubSpot-RateLimit-Daily", "500000" }, { "X-HubSpot-RateLimit-Daily-Remaining", "499000" } },
        now);
    QCOMPARE(secondly.limit, std::optional<double>(19));
    QCOMPARE(secondly.remaining, std::optional<double>(0));
    QCOMPARE(secondly.reset, std::optional<std::chrono::milliseconds>(std::chrono::milliseconds(1000)));
    const RateLimitHint rolling
        = parseRateLimitHeaders({ { "X-HubSpot-RateLimit-Max", "100" }, { "X-HubSpot-RateLimit-Remaining", "3" },
                                    { "X-HubSpot-RateLimit-Interval-Milliseconds", "10000" } },
            now);
    QCOMPARE(rolling.limit, std::optional<double>(100));
    QCOMPARE(rolling.remaining, std::optional<double>(3));
    QCOMPARE(rolling.reset, std::optional<std::chrono::milliseconds>(std::chrono::milliseconds(10000)));
    RateLimiter limiter(0);
    limiter.observe(secondly);
    QVERIFY(limiter.tryAcquire() > std::chrono::milliseconds(0)); // spent: the next request waits
}

void TestHubSpotConnector::aSpentDailyLimitStopsTheRunInsteadOfWaiting()
{
    HubSpotFake fake;
    QVERIFY(fake.start());
    fake.rateLimitNext(1000, QStringLiteral("DAILY"));
    MapSecrets secrets = secretsFor(fake);
    auto hubspot = create(
        hubspotDestination(fake, { { QStringLiteral("batch_size"), 10 }, { QStringLiteral("concurrency"), 1 } }),
        secrets);
    QVERIFY(hubspot);
    auto outcomes = hubspot->deliver(batchOf(contacts(30)), {});
    QVERIFY(outcomes);
    for (const RecordOutcome &outcome : *outcomes) {
        QVERIFY(!outcome.accepted && outcome.retryable); // the next run sends them
        QVERIFY2(outcome.error.contains(QStringLiteral("daily API limit")), qPrintable(outcome.error));
    }
    QCOMPARE(fake.counters().rateLimited, 3); // one 429 per request, none waited on
    auto next = hubspot->deliver(batchOf(contacts(5, 100)), {});
    QVERIFY(!next); // the run stops rather than trying every batch
    QCOMPARE(fake.counters().rateLimited, 3);
}

void TestHubSpotConnector::oauthRefreshesAnExpiredTokenAndSavesTheRotatedRefreshToken()
{
    HubSpotFake fake;
    QVERIFY(fake.start());
    MapSecrets secrets = secretsFor(fake);
    auto hubspot = create(hubspotDestination(fake, {}, true), secrets);
    QVERIFY(hubspot);
    auto first = hubspot->deliver(batchOf(contacts(3)), {});
    QVERIFY(first && syncline::httptests::acceptedCount(*first) == 3);
    QCOMPARE(fake.counters().tokenRequests, 1);
    QCOMPARE(secrets.stored.value(QStringLiteral("hub-refresh")), fake.latestRefreshToken());
    QVERIFY(fake.latestRefreshToken() != fake.config().refreshToken);
    fake.expireAccessTokens();
    auto second = hubspot->deliver(batchOf(contacts(3, 10)), {});
    QVERIFY(second && syncline::httptests::acceptedCount(*second) == 3);
    QCOMPARE(fake.counters().tokenRequests, 2);
    QVERIFY(fake.counters().unauthorized >= 1);
    QCOMPARE(secrets.stored.value(QStringLiteral("hub-refresh")), fake.latestRefreshToken()); // saved again at once
}

void TestHubSpotConnector::aWrongTokenStopsTheBatchWithAClearMessage()
{
    HubSpotFake fake;
    QVERIFY(fake.start());
    MapSecrets secrets = secretsFor(fake);
    secrets.values[QStringLiteral("hub-token")] = QStringLiteral("pat-wrong");
    auto hubspot = create(hubspotDestination(fake), secrets);
    QVERIFY(hubspot);
    auto outcomes = hubspot->deliver(batchOf(contacts(3)), {});
    QVERIFY(!outcomes);
    QCOMPARE(outcomes.error().code, QStringLiteral("auth.refused"));
    QVERIFY2(outcomes.error().message.contains(QStringLiteral("401")), qPrintable(outcomes.error().message));
    QVERIFY(!outcomes.error().message.contains(QStringLiteral("pat-wrong")));
    QCOMPARE(fake.records(QStringLiteral("contacts")).size(), 0);
}

void TestHubSpotConnector::settingsAreCheckedAndSecretsRequired()
{
    HubSpotFake fake;
    QVERIFY(fake.start());
    MapSecrets secrets = secretsFor(fake);
    auto type = HubSpotDestination::connectorType(std::make_shared<syncline::connectors::http::RateLimiterPool>());
    auto tooBig = type.create(hubspotDestination(fake, { { QStringLiteral("batch_size"), 150 } }), secrets);
    QVERIFY(!tooBig);
    QVERIFY2(tooBig.error().message.contains(QStringLiteral("batch_size")), qPrintable(tooBig.error().message));
    auto badSizes = type.create(
        hubspotDestination(fake,
            { { QStringLiteral("batch_sizes"), QVariantMap { { QStringLiteral("deals"), QStringLiteral("lots") } } } }),
        secrets);
    QVERIFY(!badSizes);
    QVERIFY2(badSizes.error().message.contains(QStringLiteral("deals")), qPrintable(badSizes.error().message));
    DestinationDef bare = hubspotDestination(fake);
    bare.secrets.clear();
    auto noSecret = type.create(bare, secrets);
    QVERIFY(!noSecret);
    QVERIFY2(noSecret.error().message.contains(QStringLiteral("'token'")), qPrintable(noSecret.error().message));
}

void TestHubSpotConnector::cliListsTheHubSpotType()
{
    QProcess cli;
    cli.start(QStringLiteral(SYNCLINE_BINARY_DIR "/app/syncline-cli"),
        { QStringLiteral("connectors"), QStringLiteral("--json") });
    QVERIFY(cli.waitForFinished(60000));
    QCOMPARE(cli.exitCode(), 0);
    QJsonObject hubspot;
    for (const QJsonValue &type :
        QJsonDocument::fromJson(cli.readAllStandardOutput()).object()[QStringLiteral("connectors")].toArray()) {
        if (type[QStringLiteral("id")].toString() == QLatin1String("hubspot"))
            hubspot = type.toObject();
    }
    QVERIFY2(!hubspot.isEmpty(), "syncline-cli connectors --json does not list hubspot");
    QVERIFY(hubspot[QStringLiteral("capabilities")][QStringLiteral("discovers_objects")].toBool());
    QMap<QString, QJsonObject> settings;
    for (const QJsonValue &setting : hubspot[QStringLiteral("settings")].toArray())
        settings.insert(setting[QStringLiteral("key")].toString(), setting.toObject());
    QCOMPARE(settings.value(QStringLiteral("base_url"))[QStringLiteral("default")].toString(),
        QStringLiteral("https://api.hubapi.com"));
    QCOMPARE(settings.value(QStringLiteral("token_url"))[QStringLiteral("default")].toString(),
        QStringLiteral("https://api.hubapi.com/oauth/v1/token"));
    for (const char *secret : { "token", "client_id", "client_secret", "refresh_token" })
        QVERIFY2(settings.value(QString::fromLatin1(secret))[QStringLiteral("secret")].toBool(), secret);
    QCOMPARE(settings.value(QStringLiteral("batch_size"))[QStringLiteral("default")].toInt(), 100);
}

QTEST_GUILESS_MAIN(TestHubSpotConnector)
#include "tst_hubspotconnector.moc"
