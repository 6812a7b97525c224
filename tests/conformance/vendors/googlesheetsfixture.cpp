#include "tests/conformance/vendors/googlesheetsfixture.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>

namespace syncline::conformance {

SYNCLINE_CONFORMANCE_VENDOR(googlesheets, GoogleSheetsFixture);

namespace {

const QString kSpreadsheet = QStringLiteral("1ConformanceSheet_Ab-9");
const QString kTab = QStringLiteral("people");
const QString kEmail = QStringLiteral("conformance@fake-project.iam.gserviceaccount.com");
const QString kKeyVariable = QStringLiteral("SYNCLINE_CONF_GOOGLESHEETS_SERVICE_ACCOUNT");

// One key per process: 2048-bit RSA generation is the slow part of a fixture.
const testfakes::googlesheets::RsaKeyPair &processKey()
{
    static const testfakes::googlesheets::RsaKeyPair key = testfakes::googlesheets::generateRsaKey();
    return key;
}

testfakes::googlesheets::SheetsFakeConfig configFor(const testfakes::googlesheets::RsaKeyPair &key)
{
    testfakes::googlesheets::SheetsFakeConfig config;
    config.publicPem = key.publicPem;
    config.clientEmail = kEmail;
    return config;
}

QString cellText(const QJsonValue &value)
{
    if (value.isDouble()) {
        const double number = value.toDouble();
        return number == double(qint64(number)) ? QString::number(qint64(number)) : QString::number(number, 'g', 15);
    }
    if (value.isBool())
        return value.toBool() ? QStringLiteral("TRUE") : QStringLiteral("FALSE");
    return value.toString();
}

} // namespace

GoogleSheetsFixture::GoogleSheetsFixture()
    : m_key(processKey())
    , m_fake(configFor(m_key))
{
    m_fake.state().addSpreadsheet(kSpreadsheet);
    m_fake.state().addTab(kSpreadsheet, kTab);
    m_fake.state().setRows(kSpreadsheet, kTab,
        { QJsonArray { QStringLiteral("email"), QStringLiteral("first_name"), QStringLiteral("last_name"),
            QStringLiteral("owner"), QStringLiteral("score") } });
}

FixtureTraits GoogleSheetsFixture::traits() const
{
    FixtureTraits traits;
    traits.refreshesTokens = true;
    return traits;
}

engine::DestinationDef GoogleSheetsFixture::destination(const QUrl &apiBase) const
{
    engine::DestinationDef destination;
    destination.name = QStringLiteral("ops-sheet");
    destination.type = QStringLiteral("google_sheets");
    destination.settings
        = { { QStringLiteral("spreadsheet_id"), kSpreadsheet }, { QStringLiteral("base_url"), apiBase.toString() },
              { QStringLiteral("token_url"), m_fake.tokenUrl().toString() }, { QStringLiteral("batch_size"), 40 },
              { QStringLiteral("rate_limit"), QStringLiteral("100/s") },
              { QStringLiteral("retry_delay"), QStringLiteral("100ms") },
              // Prism compiles the huge batchUpdate schemas on first use: 20 s and more on a loaded machine.
              { QStringLiteral("timeout"), QStringLiteral("90s") } };
    destination.secrets
        = { { QStringLiteral("service_account"), engine::SecretRef { engine::SecretRef::Kind::Env, kKeyVariable } } };
    return destination;
}

QHash<QString, QString> GoogleSheetsFixture::secretEnvironment() const
{
    const QJsonObject key { { QStringLiteral("type"), QStringLiteral("service_account") },
        { QStringLiteral("private_key_id"), QStringLiteral("conformance-key") },
        { QStringLiteral("private_key"), QString::fromLatin1(m_key.privatePem) },
        { QStringLiteral("client_email"), kEmail },
        { QStringLiteral("token_uri"), QStringLiteral("https://oauth2.googleapis.com/token") } };
    return { { kKeyVariable, QString::fromUtf8(QJsonDocument(key).toJson(QJsonDocument::Compact)) } };
}

SyncShape GoogleSheetsFixture::sync() const
{
    SyncShape shape;
    shape.object = kTab;
    shape.matchColumn = QStringLiteral("email");
    shape.matchField = QStringLiteral("email");
    shape.mapping = { { QStringLiteral("first_name"), QStringLiteral("first_name") },
        { QStringLiteral("last_name"), QStringLiteral("last_name") },
        { QStringLiteral("score"), QStringLiteral("score") } };
    shape.onRemoved = engine::RemovedRowAction::Delete; // deleteDimension, bottom-up
    return shape;
}

FakeRecords GoogleSheetsFixture::records() const
{
    FakeRecords out;
    const QList<QJsonArray> rows = m_fake.state().rows(kSpreadsheet, kTab);
    if (rows.isEmpty())
        return out;
    const QJsonArray header = rows.first();
    for (qsizetype r = 1; r < rows.size(); ++r) {
        QHash<QString, QString> record;
        for (qsizetype c = 0; c < header.size(); ++c)
            record.insert(header.at(c).toString(), cellText(rows[r].at(c)));
        const QString email = record.value(QStringLiteral("email"));
        if (email.isEmpty())
            continue; // a blank row
        // A row appended twice becomes a second record under another name, so the comparison names
        // it; a value in the unmapped owner column (which must stay empty) spoils the row's email.
        const QString key = out.contains(email) ? QStringLiteral("%1 (again in row %2)").arg(email).arg(r + 1) : email;
        if (!record.value(QStringLiteral("owner")).isEmpty())
            record.insert(QStringLiteral("email"),
                QStringLiteral("(owner column written: %1)").arg(record.value(QStringLiteral("owner"))));
        out.insert(key, record);
    }
    return out;
}

FakeCounters GoogleSheetsFixture::counters() const
{
    const auto counters = m_fake.state().counters();
    return FakeCounters { int(counters.writes), int(counters.rateLimited), int(counters.unauthorized),
        int(counters.jwtGrants + counters.refreshGrants) };
}

void GoogleSheetsFixture::rejectRecords(const QSet<QString> &matchValues)
{
    auto config = m_fake.state().config();
    config.rejectValues = matchValues;
    m_fake.state().setConfig(config);
}

void GoogleSheetsFixture::rateLimitNext(int requests)
{
    for (int i = 0; i < requests; ++i)
        m_fake.state().scriptFault(testfakes::googlesheets::SheetsFault::Quota429);
}

void GoogleSheetsFixture::setWriteLatency(int ms)
{
    auto config = m_fake.state().config();
    config.writeLatencyMs = ms;
    m_fake.state().setConfig(config);
}

QList<MalformedRequest> GoogleSheetsFixture::malformedRequests() const
{
    // A bearer token Prism accepts (it checks the scheme only); the fake never sees these.
    const QList<QPair<QByteArray, QByteArray>> headers { { "Content-Type", "application/json" },
        { "Authorization", "Bearer ya29.conformance-malformed" } };
    const QString base = QStringLiteral("/v4/spreadsheets/") + kSpreadsheet;
    return {
        { QStringLiteral("values:batchUpdate (update rows): valueInputOption TEXT"), "POST",
            base + QStringLiteral("/values:batchUpdate"), headers,
            R"({"valueInputOption":"TEXT","data":[{"range":"'people'!A2:E2","values":[["a@example.com"]]}]})" },
        { QStringLiteral("values:batchUpdate (update rows): values a flat array"), "POST",
            base + QStringLiteral("/values:batchUpdate"), headers,
            R"({"valueInputOption":"RAW","data":[{"range":"'people'!A2:B2","values":["a@example.com","A"]}]})" },
        { QStringLiteral("values:append (new rows): no valueInputOption"), "POST",
            base + QStringLiteral("/values/%27people%27%21A%3AE:append?insertDataOption=INSERT_ROWS"), headers,
            R"({"majorDimension":"ROWS","values":[["a@example.com","A"]]})" },
        { QStringLiteral("values:append (new rows): values a string"), "POST",
            base
                + QStringLiteral(
                    "/values/%27people%27%21A%3AE:append?valueInputOption=RAW&insertDataOption=INSERT_ROWS"),
            headers, R"({"majorDimension":"ROWS","values":"a@example.com"})" },
        { QStringLiteral("batchUpdate (delete rows): dimension ROW"), "POST", base + QStringLiteral(":batchUpdate"),
            headers,
            R"({"requests":[{"deleteDimension":{"range":{"sheetId":0,"dimension":"ROW","startIndex":1,"endIndex":2}}}]})" },
        { QStringLiteral("batchUpdate (delete rows): startIndex a string"), "POST",
            base + QStringLiteral(":batchUpdate"), headers,
            R"({"requests":[{"deleteDimension":{"range":{"sheetId":0,"dimension":"ROWS","startIndex":"1","endIndex":2}}}]})" },
        { QStringLiteral("batchUpdate (add tab): misspelt request addSheets"), "POST",
            base + QStringLiteral(":batchUpdate"), headers,
            R"({"requests":[{"addSheets":{"properties":{"title":"people 2"}}}]})" },
    };
}

} // namespace syncline::conformance
