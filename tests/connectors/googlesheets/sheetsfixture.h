#pragma once
// Shared set-up for the Google Sheets tests: a throwaway RSA key (OpenSSL) and the service
// account JSON key built from it, a fake Sheets API that trusts that key, a spreadsheet with a
// "people" tab, and `google_sheets` destinations pointing at the fake.

#include "connectors/builtinconnectors.h"
#include "engine/connector/connectorregistry.h"
#include "tests/fakes/googlesheets/jwtverifier.h"
#include "tests/fakes/googlesheets/sheetsfake.h"
#include "tests/http/httptestsupport.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>

namespace sheetstest {

using namespace syncline::engine;
using namespace syncline::engine::connector;
using syncline::testfakes::googlesheets::RsaKeyPair;
using syncline::testfakes::googlesheets::SheetsFake;
using syncline::testfakes::googlesheets::SheetsFakeConfig;
using syncline::testfakes::googlesheets::SheetsFault;

inline const QString kSpreadsheet = QStringLiteral("1SyncLineFakeSheet_x-9");
inline const QString kEmail = QStringLiteral("syncline-test@fake-project.iam.gserviceaccount.com");

// The JSON key Google would issue for `key` (its token_uri is Google's: the assertion's audience).
inline QString serviceAccountJson(const RsaKeyPair &key, const QString &email = kEmail)
{
    return QString::fromUtf8(
        QJsonDocument(QJsonObject { { QStringLiteral("type"), QStringLiteral("service_account") },
                          { QStringLiteral("project_id"), QStringLiteral("fake-project") },
                          { QStringLiteral("private_key_id"), QStringLiteral("0123456789abcdef") },
                          { QStringLiteral("private_key"), QString::fromLatin1(key.privatePem) },
                          { QStringLiteral("client_email"), email },
                          { QStringLiteral("token_uri"), QStringLiteral("https://oauth2.googleapis.com/token") } })
            .toJson(QJsonDocument::Compact));
}

inline SheetsFakeConfig fakeConfig(const RsaKeyPair &key)
{
    SheetsFakeConfig config;
    config.publicPem = key.publicPem;
    config.clientEmail = kEmail;
    return config;
}

// The fake's spreadsheet with tab "people": header id, name, score, notes (notes is not mapped).
inline void addPeopleTab(SheetsFake &fake, const QList<QJsonArray> &dataRows = {})
{
    fake.state().addSpreadsheet(kSpreadsheet);
    fake.state().addTab(kSpreadsheet, QStringLiteral("people"));
    QList<QJsonArray> rows { QJsonArray {
        QStringLiteral("id"), QStringLiteral("name"), QStringLiteral("score"), QStringLiteral("notes") } };
    rows += dataRows;
    fake.state().setRows(kSpreadsheet, QStringLiteral("people"), rows);
}

// A google_sheets destination at the fake; `auth` "service_account" or "oauth".
inline DestinationDef sheetsDestination(
    const SheetsFake &fake, const QString &auth = QStringLiteral("service_account"), const QVariantMap &extra = {})
{
    DestinationDef destination;
    destination.name = QStringLiteral("ops-sheet");
    destination.type = QStringLiteral("google_sheets");
    destination.settings
        = { { QStringLiteral("spreadsheet_id"), kSpreadsheet }, { QStringLiteral("base_url"), fake.url().toString() },
              { QStringLiteral("token_url"), fake.tokenUrl().toString() },
              { QStringLiteral("rate_limit"), QStringLiteral("6000/min") },
              { QStringLiteral("retry_delay"), QStringLiteral("10ms") },
              { QStringLiteral("timeout"), QStringLiteral("3s") } };
    for (auto it = extra.cbegin(); it != extra.cend(); ++it)
        destination.settings.insert(it.key(), it.value());
    if (auth == QLatin1String("service_account")) {
        destination.secrets.insert(
            QStringLiteral("service_account"), SecretRef { SecretRef::Kind::Keychain, QStringLiteral("sa") });
    } else {
        destination.secrets.insert(
            QStringLiteral("client_id"), SecretRef { SecretRef::Kind::Keychain, QStringLiteral("cid") });
        destination.secrets.insert(
            QStringLiteral("client_secret"), SecretRef { SecretRef::Kind::Keychain, QStringLiteral("cs") });
        destination.secrets.insert(
            QStringLiteral("refresh_token"), SecretRef { SecretRef::Kind::Keychain, QStringLiteral("rt") });
    }
    return destination;
}

inline void fillSecrets(syncline::httptests::MapSecrets &secrets, const RsaKeyPair &key, const SheetsFakeConfig &config)
{
    secrets.values.insert(QStringLiteral("sa"), serviceAccountJson(key));
    secrets.values.insert(QStringLiteral("cid"), config.clientId);
    secrets.values.insert(QStringLiteral("cs"), config.clientSecret);
    secrets.values.insert(QStringLiteral("rt"), config.refreshToken);
}

inline RunContext peopleContext(
    const QStringList &fields = { QStringLiteral("id"), QStringLiteral("name"), QStringLiteral("score") })
{
    RunContext context;
    context.runId = 1;
    context.syncName = QStringLiteral("people-sheet");
    context.destinationName = QStringLiteral("ops-sheet");
    context.object = QStringLiteral("people");
    context.matchField = QStringLiteral("id");
    for (const QString &name : fields) {
        FieldSpec field;
        field.name = name;
        field.identifier = name == context.matchField;
        context.fields.push_back(field);
    }
    return context;
}

inline OutgoingRecord person(Operation operation, int id, const QJsonValue &name, const QJsonValue &score = 7)
{
    OutgoingRecord record;
    record.operation = operation;
    record.key = std::to_string(id);
    const QJsonObject payload { { QStringLiteral("id"), id }, { QStringLiteral("name"), name },
        { QStringLiteral("score"), score } };
    record.payload = QJsonDocument(payload).toJson(QJsonDocument::Compact).toStdString();
    return record;
}

// The tab's data rows (after the header) as "id|name|score|notes" lines, empty cells as "".
inline QStringList dataLines(const SheetsFake &fake, const QString &tab = QStringLiteral("people"))
{
    QStringList lines;
    const QList<QJsonArray> rows = fake.state().rows(kSpreadsheet, tab);
    for (qsizetype r = 1; r < rows.size(); ++r) {
        QStringList cells;
        for (int c = 0; c < 4; ++c) {
            const QJsonValue value = rows[r].at(c);
            cells << (value.isDouble() ? QString::number(value.toDouble()) : value.toString());
        }
        lines << cells.join(QLatin1Char('|'));
    }
    return lines;
}

} // namespace sheetstest
