#include "connectors/googlesheets/googlesheetsdestination.h"

#include "connectors/googlesheets/a1notation.h"
#include "connectors/googlesheets/serviceaccountauth.h"
#include "connectors/googlesheets/sheetcells.h"
#include "connectors/googlesheets/sheetwriter.h"
#include "connectors/http/oauth2refreshauth.h"
#include "connectors/http/ratelimiterpool.h"
#include "engine/secrets/secretresolver.h"

#include <QJsonArray>

namespace syncline::connectors::googlesheets {

using engine::Result;
using engine::connector::Capabilities;
using engine::connector::ConnectorType;
using engine::connector::FieldSpec;
using engine::connector::FieldType;
using engine::connector::ObjectSpec;
using engine::connector::Operation;
using engine::connector::RecordOutcome;

namespace {

const QString kScope = QStringLiteral("https://www.googleapis.com/auth/spreadsheets");

Result<std::unique_ptr<http::HttpAuth>> authFor(
    const engine::DestinationDef &destination, const GoogleSheetsSettings &settings, engine::SecretResolver &resolver)
{
    const QString where = QStringLiteral("destination '%1'").arg(destination.name);
    auto has = [&](const char *key) { return destination.secrets.contains(QString::fromLatin1(key)); };
    auto secret
        = [&](const char *key) { return resolver.resolve(destination.secrets.value(QString::fromLatin1(key))); };
    const bool oauth = has("client_id") || has("client_secret") || has("refresh_token");
    if (has("service_account") && oauth)
        return engine::fail(QStringLiteral("http.settings"),
            QStringLiteral("Destination '%1': its secrets name both a service account and OAuth; keep "
                           "service_account, or client_id, client_secret and refresh_token")
                .arg(destination.name));
    if (has("service_account")) {
        auto json = secret("service_account");
        if (!json)
            return std::unexpected(json.error());
        auto key = ServiceAccountAuth::parseKey(*json, QStringLiteral("Destination '%1'").arg(destination.name));
        if (!key)
            return std::unexpected(key.error());
        return std::make_unique<ServiceAccountAuth>(std::move(*key), settings.tokenUrl, kScope, where);
    }
    if (!has("client_id") || !has("refresh_token"))
        return engine::fail(QStringLiteral("http.settings"),
            QStringLiteral("Destination '%1' has no Google credential; add the secret service_account (a service "
                           "account's JSON key), or client_id, client_secret and refresh_token (OAuth)")
                .arg(destination.name));
    http::OAuth2RefreshAuth::Config config;
    config.tokenUrl = settings.tokenUrl;
    config.where = where;
    config.refreshTokenRef = destination.secrets.value(QStringLiteral("refresh_token"));
    auto clientId = secret("client_id");
    if (!clientId)
        return std::unexpected(clientId.error());
    auto refreshToken = secret("refresh_token");
    if (!refreshToken)
        return std::unexpected(refreshToken.error());
    config.clientId = *clientId;
    config.refreshToken = *refreshToken;
    if (has("client_secret")) {
        auto clientSecret = secret("client_secret");
        if (!clientSecret)
            return std::unexpected(clientSecret.error());
        config.clientSecret = *clientSecret;
    }
    return std::make_unique<http::OAuth2RefreshAuth>(std::move(config), &resolver);
}

} // namespace

GoogleSheetsDestination::GoogleSheetsDestination(QString name, std::unique_ptr<SheetsClient> client)
    : m_name(std::move(name))
    , m_client(std::move(client))
{ }

GoogleSheetsDestination::~GoogleSheetsDestination() = default;

ConnectorType GoogleSheetsDestination::connectorType(std::shared_ptr<http::RateLimiterPool> limiters)
{
    ConnectorType type;
    type.id = QStringLiteral("google_sheets");
    type.label = QStringLiteral("Google Sheets");
    type.settings = GoogleSheetsSettings::schema();
    type.capabilities = typeCapabilities();
    // The app's "Sign in" for OAuth clients (a service account needs none). Google sends a
    // refresh token only for offline access, and again only when consent is asked again.
    type.oauth = { QStringLiteral("https://accounts.google.com/o/oauth2/v2/auth?access_type=offline&prompt=consent"),
                   QStringLiteral("https://www.googleapis.com/auth/spreadsheets") };
    type.create = [limiters](const engine::DestinationDef &destination,
                      engine::SecretResolver &secrets) -> Result<std::unique_ptr<engine::connector::Connector>> {
        auto settings = GoogleSheetsSettings::fromDestination(destination);
        if (!settings)
            return std::unexpected(settings.error());
        auto auth = authFor(destination, *settings, secrets);
        if (!auth)
            return std::unexpected(auth.error());
        // Google's quotas are per user and project, so the budget is shared by every sync of the account.
        auto limiter = limiters->limiterFor(
            http::RateLimiterPool::accountKey(settings->baseUrl, (*auth)->identity()), settings->ratePerSecond);
        auto client = std::make_unique<SheetsClient>(std::move(*settings), std::move(*auth), std::move(limiter));
        return std::make_unique<GoogleSheetsDestination>(destination.name, std::move(client));
    };
    return type;
}

Capabilities GoogleSheetsDestination::typeCapabilities()
{
    Capabilities capabilities;
    capabilities.operations
        = { Operation::Upsert, Operation::Update, Operation::Insert, Operation::Delete, Operation::Clear };
    capabilities.maxBatchSize = 5000;
    capabilities.discoversObjects = true;
    return capabilities;
}

Capabilities GoogleSheetsDestination::capabilities() const
{
    Capabilities capabilities = typeCapabilities();
    capabilities.maxBatchSize = m_client->settings().batchSize;
    return capabilities;
}

void GoogleSheetsDestination::setRunContext(const engine::connector::RunContext &context)
{
    m_context = context;
    m_client->setRunContext(context.exchanges, context.diagnostics);
}

engine::Error GoogleSheetsDestination::failure(
    const QString &code, const QString &what, const SheetsClient::Reply &reply) const
{
    if (reply.stopped) {
        engine::Error error = *reply.stopped;
        error.message = QStringLiteral("Destination '%1': %2").arg(m_name, error.message);
        return error;
    }
    QString hint;
    if (reply.status == 403)
        hint = QStringLiteral("; share the spreadsheet with the service account's client_email (or the OAuth user)");
    else if (reply.status == 404)
        hint = QStringLiteral("; check spreadsheet_id");
    return engine::Error { code, QStringLiteral("Destination '%1': %2 (%3)%4").arg(m_name, what, reply.message, hint),
        reply.kind == SheetsClient::Reply::Kind::Unknown || reply.status == 429 || reply.status >= 500,
        { { QStringLiteral("http_status"), QString::number(reply.status) } } };
}

Result<std::vector<GoogleSheetsDestination::Tab>> GoogleSheetsDestination::tabs(
    const engine::CancellationToken &cancellation)
{
    QUrlQuery query;
    query.addQueryItem(QStringLiteral("fields"), QStringLiteral("sheets.properties"));
    const SheetsClient::Reply reply = m_client->get(QString(), query, cancellation);
    if (!reply.done())
        return std::unexpected(failure(QStringLiteral("googlesheets.read"),
            QStringLiteral("could not list the tabs of spreadsheet %1").arg(m_client->settings().spreadsheetId),
            reply));
    std::vector<Tab> found;
    for (const QJsonValue &sheet : reply.body.value(QStringLiteral("sheets")).toArray()) {
        const QJsonObject properties = sheet.toObject().value(QStringLiteral("properties")).toObject();
        if (properties.value(QStringLiteral("sheetType")).toString(QStringLiteral("GRID")) != QLatin1String("GRID"))
            continue; // charts and data-source sheets hold no rows
        found.push_back(Tab { properties.value(QStringLiteral("title")).toString(),
            properties.value(QStringLiteral("sheetId")).toInt(),
            properties.value(QStringLiteral("gridProperties"))
                .toObject()
                .value(QStringLiteral("columnCount"))
                .toInt(26) });
    }
    return found;
}

Result<QStringList> GoogleSheetsDestination::headerRow(
    const QString &title, const engine::CancellationToken &cancellation)
{
    QUrlQuery query;
    query.addQueryItem(QStringLiteral("majorDimension"), QStringLiteral("ROWS"));
    const QString range = quotedTitle(title) + QStringLiteral("!1:1");
    const SheetsClient::Reply reply = m_client->get(SheetsClient::valuesPath(range), query, cancellation);
    if (!reply.done())
        return std::unexpected(failure(QStringLiteral("googlesheets.read"),
            QStringLiteral("could not read the header row of tab '%1'").arg(title), reply));
    QStringList names;
    for (const QJsonValue &cell : reply.body.value(QStringLiteral("values")).toArray().at(0).toArray())
        names << keyText(cell);
    return names;
}

Result<std::vector<ObjectSpec>> GoogleSheetsDestination::objects()
{
    auto found = tabs(engine::CancellationToken());
    if (!found)
        return std::unexpected(found.error());
    std::vector<ObjectSpec> specs;
    for (const Tab &tab : *found) {
        ObjectSpec spec;
        spec.name = tab.title;
        spec.label = tab.title;
        specs.push_back(spec);
    }
    return specs;
}

Result<ObjectSpec> GoogleSheetsDestination::object(const QString &name)
{
    const engine::CancellationToken none;
    auto found = tabs(none);
    if (!found)
        return std::unexpected(found.error());
    ObjectSpec spec;
    spec.name = name;
    spec.label = name;
    const auto tab = std::find_if(found->begin(), found->end(), [&](const Tab &t) { return t.title == name; });
    if (tab == found->end()) {
        spec.acceptsAnyField = true; // created by the first run, its header row from the mapping
        return spec;
    }
    auto header = headerRow(name, none);
    if (!header)
        return std::unexpected(header.error());
    QSet<QString> seen;
    for (const QString &cell : *header) {
        const QString field = cell.trimmed();
        if (field.isEmpty() || seen.contains(field))
            continue;
        seen.insert(field);
        FieldSpec column;
        column.name = field;
        column.label = field;
        column.type = FieldType::Text; // Sheets has no column types
        column.identifier = true; // any column can be the key: Syncline reads it and matches exact text
        spec.fields.push_back(column);
    }
    spec.acceptsAnyField = spec.fields.empty(); // an empty tab gets its header row from the mapping
    return spec;
}

Result<GoogleSheetsDestination::Tab> GoogleSheetsDestination::addTab(
    const QString &title, const engine::CancellationToken &cancellation)
{
    const QJsonObject request { { QStringLiteral("addSheet"),
        QJsonObject { { QStringLiteral("properties"), QJsonObject { { QStringLiteral("title"), title } } } } } };
    const SheetsClient::Reply reply = m_client->post(QStringLiteral(":batchUpdate"), {},
        QJsonObject { { QStringLiteral("requests"), QJsonArray { request } } }, /*repeatable=*/false, cancellation);
    if (!reply.done())
        return std::unexpected(failure(QStringLiteral("googlesheets.write"),
            QStringLiteral("could not add tab '%1' (a lost answer is settled by the next run, which finds the tab)")
                .arg(title),
            reply));
    const QJsonObject properties = reply.body.value(QStringLiteral("replies"))
                                       .toArray()
                                       .at(0)
                                       .toObject()
                                       .value(QStringLiteral("addSheet"))
                                       .toObject()
                                       .value(QStringLiteral("properties"))
                                       .toObject();
    return Tab { title, properties.value(QStringLiteral("sheetId")).toInt(),
        properties.value(QStringLiteral("gridProperties")).toObject().value(QStringLiteral("columnCount")).toInt(26) };
}

Result<void> GoogleSheetsDestination::writeHeader(
    const QStringList &names, const engine::CancellationToken &cancellation)
{
    QJsonArray cells;
    for (const QString &name : names)
        cells.append(name);
    const QJsonObject range { { QStringLiteral("range"), cellRange(m_layout->title, 0, 1, int(names.size()) - 1, 1) },
        { QStringLiteral("majorDimension"), QStringLiteral("ROWS") },
        { QStringLiteral("values"), QJsonArray { cells } } };
    const SheetsClient::Reply reply = m_client->post(QStringLiteral("/values:batchUpdate"), {},
        QJsonObject { { QStringLiteral("valueInputOption"), QStringLiteral("RAW") },
            { QStringLiteral("data"), QJsonArray { range } } },
        /*repeatable=*/true, cancellation);
    if (!reply.done())
        return std::unexpected(failure(QStringLiteral("googlesheets.write"),
            QStringLiteral("could not write the header row of tab '%1'").arg(m_layout->title), reply));
    return {};
}

Result<void> GoogleSheetsDestination::beginRun(const QString &object)
{
    const engine::CancellationToken none;
    auto found = tabs(none);
    if (!found)
        return std::unexpected(found.error());
    const auto existing = std::find_if(found->begin(), found->end(), [&](const Tab &t) { return t.title == object; });
    std::optional<Tab> tab;
    if (existing != found->end()) {
        tab = *existing;
    } else {
        auto added = addTab(object, none);
        if (!added)
            return std::unexpected(added.error());
        tab = *added;
    }
    m_layout = TabLayout {};
    m_layout->title = tab->title;
    m_layout->sheetId = tab->sheetId;
    m_layout->columnCount = tab->columnCount;
    m_layout->keyField = m_context.matchField;
    auto header = headerRow(tab->title, none);
    if (!header)
        return std::unexpected(header.error());
    const bool blank
        = std::all_of(header->begin(), header->end(), [](const QString &cell) { return cell.trimmed().isEmpty(); });
    QStringList mapped;
    for (const FieldSpec &field : m_context.fields)
        mapped << field.name;
    if (blank && !mapped.isEmpty()) {
        if (mapped.size() > tab->columnCount)
            return engine::fail(QStringLiteral("googlesheets.header"),
                QStringLiteral("Destination '%1': tab '%2' has %3 columns and the mapping %4 fields; add columns to "
                               "the tab")
                    .arg(m_name, tab->title)
                    .arg(tab->columnCount)
                    .arg(mapped.size()));
        if (auto written = writeHeader(mapped, none); !written)
            return written;
        *header = mapped;
    }
    m_layout->header = *header;
    m_layout->indexHeader();
    QStringList missing;
    for (const QString &field : mapped) {
        if (!m_layout->columnOf.contains(field))
            missing << field;
    }
    if (!m_context.matchField.isEmpty() && !m_layout->columnOf.contains(m_context.matchField)
        && !missing.contains(m_context.matchField))
        missing.prepend(m_context.matchField);
    if (!missing.isEmpty())
        return engine::fail(QStringLiteral("googlesheets.header"),
            QStringLiteral("Destination '%1': the header row (row 1) of tab '%2' has no column %3; add %4 to row 1 "
                           "(Syncline never rewrites a header a person made)")
                .arg(m_name, tab->title, missing.join(QStringLiteral(", ")),
                    missing.size() == 1 ? QStringLiteral("it") : QStringLiteral("them")));
    return {};
}

Result<std::vector<RecordOutcome>> GoogleSheetsDestination::deliver(
    const engine::connector::Batch &batch, const engine::CancellationToken &cancellation)
{
    if (!m_layout)
        return engine::fail(QStringLiteral("googlesheets.state"),
            QStringLiteral("Destination '%1': deliver() before beginRun()").arg(m_name));
    SheetWriter writer(*m_client, *m_layout, QStringLiteral("Destination '%1'").arg(m_name));
    return writer.deliver(batch, cancellation);
}

Result<void> GoogleSheetsDestination::finishRun(bool)
{
    return {};
}

} // namespace syncline::connectors::googlesheets
