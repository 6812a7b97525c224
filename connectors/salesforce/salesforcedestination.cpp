#include "connectors/salesforce/salesforcedestination.h"

#include "connectors/http/ratelimiterpool.h"
#include "connectors/salesforce/salesforcebulkjob.h"
#include "connectors/salesforce/salesforcecollections.h"
#include "connectors/salesforce/salesforcedescribe.h"
#include "connectors/salesforce/salesforcevalues.h"
#include "engine/secrets/secretresolver.h"

#include <QCryptographicHash>
#include <QJsonDocument>
#include <QRegularExpression>
#include <QSet>

namespace syncline::connectors::salesforce {

using engine::Result;
using engine::connector::Batch;
using engine::connector::Capabilities;
using engine::connector::ConnectorType;
using engine::connector::ObjectSpec;
using engine::connector::Operation;
using engine::connector::RecordOutcome;

namespace {

bool isRecordId(const QString &id)
{
    static const QRegularExpression pattern(QStringLiteral("^[A-Za-z0-9]{15}([A-Za-z0-9]{3})?$"));
    return pattern.match(id).hasMatch();
}

void rejectNow(RecordOutcome &outcome, const QString &why)
{
    outcome.accepted = false;
    outcome.retryable = false;
    outcome.error = why;
}

} // namespace

SalesforceDestination::SalesforceDestination(QString name, std::unique_ptr<SalesforceSession> session)
    : m_name(std::move(name))
    , m_session(std::move(session))
{ }

SalesforceDestination::~SalesforceDestination() = default;

Capabilities SalesforceDestination::typeCapabilities()
{
    Capabilities capabilities;
    capabilities.operations
        = { Operation::Upsert, Operation::Update, Operation::Insert, Operation::Delete, Operation::Clear };
    capabilities.maxBatchSize = 100'000;
    capabilities.discoversObjects = true;
    return capabilities;
}

Capabilities SalesforceDestination::capabilities() const
{
    Capabilities capabilities = typeCapabilities();
    capabilities.maxBatchSize = m_session->settings().deliverBatchSize();
    return capabilities;
}

ConnectorType SalesforceDestination::connectorType(std::shared_ptr<http::RateLimiterPool> limiters)
{
    ConnectorType type;
    type.id = QStringLiteral("salesforce");
    type.label = QStringLiteral("Salesforce (sObject Collections, Bulk API 2.0)");
    type.settings = SalesforceSettings::schema();
    type.capabilities = typeCapabilities();
    // The app's "Sign in": a connected app's web-server flow; sandboxes use test.salesforce.com,
    // which the user may type over this address. refresh_token is the scope that grants one.
    type.oauth = { QStringLiteral("https://login.salesforce.com/services/oauth2/authorize"),
                   QStringLiteral("api refresh_token") };
    type.create = [limiters](const engine::DestinationDef &destination,
                      engine::SecretResolver &secrets) -> Result<std::unique_ptr<engine::connector::Connector>> {
        auto settings = SalesforceSettings::fromDestination(destination);
        if (!settings)
            return std::unexpected(settings.error());
        for (const char *key : { "client_id", "refresh_token" })
            if (!destination.secrets.contains(QString::fromLatin1(key)))
                return engine::fail(QStringLiteral("http.settings"),
                    QStringLiteral("Destination '%1': the secret '%2' is missing; a Salesforce connected app needs "
                                   "client_id and refresh_token (and usually client_secret) under secrets:")
                        .arg(destination.name, QString::fromLatin1(key)));
        http::OAuth2RefreshAuth::Config oauth;
        oauth.tokenUrl = settings->tokenUrl;
        oauth.where = QStringLiteral("destination '%1'").arg(destination.name);
        oauth.refreshTokenRef = destination.secrets.value(QStringLiteral("refresh_token"));
        auto clientId = secrets.resolve(destination.secrets.value(QStringLiteral("client_id")));
        if (!clientId)
            return std::unexpected(clientId.error());
        auto refreshToken = secrets.resolve(oauth.refreshTokenRef);
        if (!refreshToken)
            return std::unexpected(refreshToken.error());
        oauth.clientId = *clientId;
        oauth.refreshToken = *refreshToken;
        if (destination.secrets.contains(QStringLiteral("client_secret"))) {
            auto clientSecret = secrets.resolve(destination.secrets.value(QStringLiteral("client_secret")));
            if (!clientSecret)
                return std::unexpected(clientSecret.error());
            oauth.clientSecret = *clientSecret;
        }
        // One org, one API allocation: keyed by the connected app, the login host and the
        // refresh token's reference (its name, never its value).
        const QByteArray identity = oauth.clientId.toUtf8() + '@' + oauth.tokenUrl.toEncoded() + '#'
            + oauth.refreshTokenRef.name.toUtf8();
        auto limiter = limiters->limiterFor(
            http::RateLimiterPool::accountKey(settings->loginUrl, identity), settings->ratePerSecond);
        auto session = std::make_unique<SalesforceSession>(
            destination.name, std::move(*settings), std::move(oauth), &secrets, std::move(limiter));
        return std::make_unique<SalesforceDestination>(destination.name, std::move(session));
    };
    return type;
}

void SalesforceDestination::setRunContext(const engine::connector::RunContext &context)
{
    m_context = context;
    m_session->setRecorder(context.exchanges);
    m_session->setDiagnostics(context.diagnostics);
}

Result<QJsonObject> SalesforceDestination::getJson(const QString &path, const QString &what)
{
    const engine::CancellationToken none;
    auto response = m_session->call([this, path] { return m_session->request("GET", path); }, none);
    if (!response)
        return std::unexpected(response.error());
    if (response->status == 404)
        return engine::fail(QStringLiteral("salesforce.object"),
            QStringLiteral("Destination '%1': Salesforce knows no %2 (%3); pick an object from the list of the org's "
                           "objects")
                .arg(m_name, what, describe(apiErrors(*response))));
    if (!response->isSuccess())
        return engine::fail(QStringLiteral("salesforce.describe"),
            QStringLiteral("Destination '%1': reading %2 was refused (HTTP %3: %4)")
                .arg(m_name, what)
                .arg(response->status)
                .arg(describe(apiErrors(*response))),
            response->status >= 500);
    const QJsonDocument json = QJsonDocument::fromJson(response->body);
    if (!json.isObject())
        return engine::fail(QStringLiteral("salesforce.describe"),
            QStringLiteral("Destination '%1': %2 is not a JSON object").arg(m_name, what), true);
    return json.object();
}

Result<std::vector<ObjectSpec>> SalesforceDestination::objects()
{
    auto global = getJson(QStringLiteral("/sobjects"), QStringLiteral("the object list"));
    if (!global)
        return std::unexpected(global.error());
    return objectsFromDescribeGlobal(*global);
}

Result<ObjectSpec> SalesforceDestination::object(const QString &name)
{
    auto described = getJson(QStringLiteral("/sobjects/%1/describe").arg(QString::fromLatin1(QUrl::toPercentEncoding(name))),
        QStringLiteral("object '%1'").arg(name));
    if (!described)
        return std::unexpected(described.error());
    return objectFromDescribe(*described);
}

Result<void> SalesforceDestination::beginRun(const QString &object)
{
    // One describe per run: the field types the values are fitted to, and a clear refusal of a
    // mapping that names a field the object does not have (before anything is sent).
    auto described = getJson(QStringLiteral("/sobjects/%1/describe").arg(QString::fromLatin1(QUrl::toPercentEncoding(object))),
        QStringLiteral("object '%1'").arg(object));
    if (!described)
        return std::unexpected(described.error());
    m_fieldTypes = fieldTypesOf(*described);
    m_bulkWrites.clear();
    m_notNillable.clear();
    for (const QJsonValue &value : described->value(QStringLiteral("fields")).toArray())
        if (!value.toObject().value(QStringLiteral("nillable")).toBool(true))
            m_notNillable.insert(value.toObject().value(QStringLiteral("name")).toString().toLower());
    QSet<QString> relationships;
    for (const QJsonValue &value : described->value(QStringLiteral("fields")).toArray())
        relationships.insert(value.toObject().value(QStringLiteral("relationshipName")).toString().toLower());
    const ObjectSpec spec = objectFromDescribe(*described);
    QStringList mapped;
    for (const engine::connector::FieldSpec &field : m_context.fields)
        mapped << field.name;
    if (!m_context.matchField.isEmpty() && !mapped.contains(m_context.matchField))
        mapped << m_context.matchField;
    for (const QString &name : mapped) {
        if (relationships.contains(name.toLower()) || name.contains(QLatin1Char('.')))
            continue; // a parent by its external id: {"Account": {"Ext__c": ...}}
        const auto field = std::find_if(spec.fields.begin(), spec.fields.end(),
            [&](const engine::connector::FieldSpec &candidate) { return candidate.name.compare(name, Qt::CaseInsensitive) == 0; });
        if (field == spec.fields.end())
            return engine::fail(QStringLiteral("salesforce.field"),
                QStringLiteral("Destination '%1': %2 has no field '%3'; map to a field's API name as describe lists "
                               "it (e.g. Email, My_Field__c)")
                    .arg(m_name, object, name));
        if (field->readOnly)
            return engine::fail(QStringLiteral("salesforce.field"),
                QStringLiteral("Destination '%1': the field %2.%3 cannot be written (neither createable nor "
                               "updateable); remove it from the mapping")
                    .arg(m_name, object, field->name));
    }
    return {};
}

Result<void> SalesforceDestination::finishRun(bool)
{
    return {};
}

std::vector<WriteGroup> SalesforceDestination::prepare(const Batch &batch, Outcomes &outcomes) const
{
    const QString match = m_context.matchField;
    const bool matchIsId = match.compare(QLatin1String("Id"), Qt::CaseInsensitive) == 0;
    std::vector<WriteGroup> groups(4);
    const Write order[] = { Write::Upsert, Write::Insert, Write::Update, Write::Delete };
    for (size_t i = 0; i < 4; ++i) {
        groups[i].write = order[i];
        groups[i].object = batch.object;
        groups[i].externalIdField = match;
    }
    auto add = [&](Write write, PreparedRecord record) {
        for (WriteGroup &group : groups)
            if (group.write == write)
                group.records.push_back(std::move(record));
    };
    for (size_t i = 0; i < batch.records.size(); ++i) {
        const engine::connector::OutgoingRecord &outgoing = batch.records[i];
        RecordOutcome &outcome = outcomes[i];
        const QJsonObject payload
            = QJsonDocument::fromJson(QByteArray::fromStdString(outgoing.payload)).object();
        PreparedRecord record;
        record.index = i;
        for (auto it = payload.begin(); it != payload.end(); ++it)
            if (it.key().compare(QLatin1String("Id"), Qt::CaseInsensitive) != 0)
                record.fields.insert(it.key(), it.value());
        record.fields = fitRecord(record.fields, m_fieldTypes);
        record.id = outgoing.destinationId;
        if (record.id.isEmpty()) {
            const QJsonValue id = payload.value(QStringLiteral("Id")).isUndefined() ? payload.value(QStringLiteral("id"))
                                                                                   : payload.value(QStringLiteral("Id"));
            record.id = id.toString();
        }
        const bool hasId = isRecordId(record.id);
        const QString noId = record.id.isEmpty()
            ? QStringLiteral("the Salesforce Id of this record is not known (Syncline did not deliver it, and the "
                             "mapping has no Id field)")
            : QStringLiteral("'%1' is not a Salesforce record Id (15 or 18 letters and digits)").arg(record.id);
        switch (outgoing.operation) {
        case Operation::Upsert:
            if (matchIsId) {
                hasId ? add(Write::Update, std::move(record)) : rejectNow(outcome, noId);
            } else if (match.isEmpty() || payload.value(match).isNull() || payload.value(match).isUndefined()) {
                rejectNow(outcome, match.isEmpty()
                        ? QStringLiteral("the sync names no match field; an upsert needs an External ID field or Id")
                        : QStringLiteral("the External ID field '%1' has no value; an upsert needs it").arg(match));
            } else {
                add(Write::Upsert, std::move(record));
            }
            break;
        case Operation::Update:
            hasId ? add(Write::Update, std::move(record)) : rejectNow(outcome, noId);
            break;
        case Operation::Insert:
            add(Write::Insert, std::move(record));
            break;
        case Operation::Delete:
            record.fields = {};
            hasId ? add(Write::Delete, std::move(record)) : rejectNow(outcome, noId);
            break;
        case Operation::Clear:
            // A field Salesforce cannot empty (not nillable: LastName, a checkbox) keeps its value.
            for (const QString &name : record.fields.keys())
                if (record.fields.value(name).isNull() && m_notNillable.contains(name.toLower()))
                    record.fields.remove(name);
            // By Id when known, so that clearing never creates a record deleted in Salesforce meanwhile.
            if (hasId)
                add(Write::Update, std::move(record));
            else if (!matchIsId && !match.isEmpty() && !payload.value(match).isNull())
                add(Write::Upsert, std::move(record));
            else
                rejectNow(outcome, noId);
            break;
        }
    }
    return groups;
}

Result<void> SalesforceDestination::writeBulk(
    const WriteGroup &group, Outcomes &outcomes, const engine::CancellationToken &cancellation)
{
    BulkJob job(*m_session, group);
    if (job.csv().size() > BulkJob::maxUploadBytes && group.records.size() > 1) {
        // One upload per job, at most 100 MB of CSV: halve until each part fits.
        WriteGroup first = group;
        WriteGroup second = group;
        const auto middle = group.records.begin() + qsizetype(group.records.size() / 2);
        first.records.assign(group.records.begin(), middle);
        second.records.assign(middle, group.records.end());
        if (auto ok = writeBulk(first, outcomes, cancellation); !ok)
            return ok;
        return writeBulk(second, outcomes, cancellation);
    }
    const QByteArray fingerprint = QCryptographicHash::hash(
        QByteArray(writeName(group.write).toUtf8() + '\n' + group.object.toUtf8() + '\n' + job.csv()),
        QCryptographicHash::Sha256);
    const QString resume = m_openJob && m_openJob->fingerprint == fingerprint ? m_openJob->id : QString();
    m_openJob.reset();
    Result<void> ran = job.run(outcomes, cancellation, resume);
    if (!job.jobId().isEmpty() && resume.isEmpty())
        m_bulkJobs << job.jobId();
    if (!ran && job.closed() && ran.error().code != QLatin1String("http.cancelled")
        && ran.error().code != QLatin1String("salesforce.bulk_timeout"))
        m_openJob = OpenJob { job.jobId(), fingerprint };
    return ran;
}

Result<std::vector<RecordOutcome>> SalesforceDestination::deliver(
    const Batch &batch, const engine::CancellationToken &cancellation)
{
    if (m_session->stopped())
        return std::unexpected(*m_session->stopped());
    Outcomes outcomes(batch.records.size());
    std::vector<WriteGroup> groups = prepare(batch, outcomes);
    CollectionsWriter collections(*m_session);
    for (const WriteGroup &group : groups) {
        if (group.records.empty())
            continue;
        if (cancellation.isCancelled())
            return engine::fail(QStringLiteral("http.cancelled"),
                QStringLiteral("Destination '%1': cancelled; the rows not sent go with the next run").arg(m_name), true);
        // Per run: once an operation's batch went through Bulk, the rest of the run's rows of that
        // operation follow, so a run above bulk_threshold goes through Bulk as a whole (its first
        // batch alone carries more than bulk_threshold rows; see deliverBatchSize()).
        const bool bulk = qsizetype(group.records.size()) > m_session->settings().bulkThreshold
            || m_bulkWrites.contains(group.write);
        if (bulk)
            m_bulkWrites.insert(group.write);
        Result<void> written
            = bulk ? writeBulk(group, outcomes, cancellation) : collections.write(group, outcomes, cancellation);
        if (!written) {
            engine::Error error = written.error();
            if (!error.message.startsWith(QLatin1String("Destination '")))
                error.message = QStringLiteral("Destination '%1': %2").arg(m_name, error.message);
            return std::unexpected(error);
        }
    }
    return outcomes;
}

} // namespace syncline::connectors::salesforce
