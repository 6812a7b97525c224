#include "connectors/hubspot/hubspotdelivery.h"

#include <QHash>
#include <QJsonArray>
#include <QJsonDocument>

namespace syncline::connectors::hubspot {

using engine::connector::Operation;
using engine::connector::RecordOutcome;
using http::HttpRequest;
using http::HttpResponse;
using http::RequestWindow;

namespace {

const QString kObjectId = QStringLiteral("hs_object_id");

const char *endpointPath(int endpoint)
{
    static const char *const paths[] = { "upsert", "update", "create", "archive", "read" };
    return paths[endpoint];
}

} // namespace

HubSpotDelivery::HubSpotDelivery(
    const HubSpotSettings &settings, QString objectType, QString matchField, const engine::connector::Batch &batch)
    : m_settings(settings)
    , m_objectType(std::move(objectType))
    , m_matchField(std::move(matchField))
    , m_byObjectId(m_matchField == kObjectId)
    , m_batch(batch)
    , m_payloads(batch.records.size())
    , m_archiveIds(batch.records.size())
    , m_outcomes(batch.records.size())
    , m_settled(batch.records.size(), 0)
    , m_answered(batch.records.size(), 0)
{ }

QString HubSpotDelivery::key(const QString &matchValue) const
{
    return m_matchField == QLatin1String("email") ? matchValue.toLower() : matchValue;
}

QString HubSpotDelivery::traceId(int index) const
{
    return QStringLiteral("syncline-%1").arg(QString::fromStdString(m_batch.records[size_t(index)].key));
}

void HubSpotDelivery::submitAll(RequestWindow &window)
{
    std::map<Endpoint, Indexes> groups;
    for (int i = 0; i < int(m_batch.records.size()); ++i) {
        const auto &record = m_batch.records[size_t(i)];
        auto parsed = payloadProperties(record.payload, m_matchField, record.operation == Operation::Insert);
        if (!parsed) {
            settle(i, false, QStringLiteral("the payload is not a JSON object"), false);
            continue;
        }
        m_payloads[size_t(i)] = std::move(*parsed);
        const QString &match = m_payloads[size_t(i)].matchValue;
        switch (record.operation) {
        case Operation::Insert:
            groups[Endpoint::Create].push_back(i);
            break;
        case Operation::Delete:
            if (!record.destinationId.isEmpty() || m_byObjectId) {
                m_archiveIds[size_t(i)] = record.destinationId.isEmpty() ? match : record.destinationId;
                groups[Endpoint::Archive].push_back(i);
            } else if (match.isEmpty()) {
                settle(i, true, {}, false); // never delivered with a key: nothing to archive
            } else {
                groups[Endpoint::Read].push_back(i);
            }
            break;
        case Operation::Upsert:
        case Operation::Update:
        case Operation::Clear:
            if (match.isEmpty()) {
                settle(i, false,
                    QStringLiteral("the match field '%1' is empty; HubSpot needs it to find the record")
                        .arg(m_matchField),
                    false);
                break;
            }
            groups[record.operation == Operation::Upsert && !m_byObjectId ? Endpoint::Upsert : Endpoint::Update]
                .push_back(i);
            break;
        }
    }
    const int size = m_settings.batchSizeFor(m_objectType);
    for (auto &[endpoint, indexes] : groups) {
        for (size_t start = 0; start < indexes.size(); start += size_t(size)) {
            const size_t end = std::min(indexes.size(), start + size_t(size));
            submit(
                window, endpoint, Indexes(indexes.begin() + qsizetype(start), indexes.begin() + qsizetype(end)), false);
        }
    }
}

void HubSpotDelivery::submit(RequestWindow &window, Endpoint endpoint, Indexes indexes, bool urgent)
{
    auto shared = std::make_shared<const Indexes>(std::move(indexes));
    RequestWindow::Job job;
    job.build = [this, endpoint, shared] { return build(endpoint, *shared); };
    job.answered = [this, &window, endpoint, shared](
                       const HttpResponse &response) { return read(window, endpoint, *shared, response); };
    job.hopelessRateLimit = [](const HttpResponse &response) { return dailyLimitSpent(response.body); };
    job.abandoned = [this, shared](const QString &reason) {
        for (int index : *shared)
            settle(index, false, reason, true);
    };
    window.submit(std::move(job), urgent);
}

HttpRequest HubSpotDelivery::build(Endpoint endpoint, const Indexes &indexes) const
{
    QJsonArray inputs;
    for (int index : indexes) {
        const PayloadProperties &payload = m_payloads[size_t(index)];
        switch (endpoint) {
        case Endpoint::Upsert:
            inputs.append(QJsonObject { { QStringLiteral("idProperty"), m_matchField },
                { QStringLiteral("id"), payload.matchValue }, { QStringLiteral("properties"), payload.properties } });
            break;
        case Endpoint::Update: {
            QJsonObject input { { QStringLiteral("id"), payload.matchValue },
                { QStringLiteral("properties"), payload.properties } };
            if (!m_byObjectId)
                input.insert(QStringLiteral("idProperty"), m_matchField);
            inputs.append(input);
            break;
        }
        case Endpoint::Create:
            inputs.append(QJsonObject { { QStringLiteral("properties"), payload.properties },
                { QStringLiteral("objectWriteTraceId"), traceId(index) } });
            break;
        case Endpoint::Archive:
            inputs.append(QJsonObject { { QStringLiteral("id"), m_archiveIds[size_t(index)] } });
            break;
        case Endpoint::Read:
            inputs.append(QJsonObject { { QStringLiteral("id"), payload.matchValue } });
            break;
        }
    }
    QJsonObject body { { QStringLiteral("inputs"), inputs } };
    if (endpoint == Endpoint::Read) {
        body.insert(QStringLiteral("idProperty"), m_matchField);
        body.insert(QStringLiteral("properties"), QJsonArray { m_matchField });
    }
    HttpRequest request;
    request.method = "POST";
    QString base = m_settings.baseUrl.toString(QUrl::FullyEncoded);
    while (base.endsWith(QLatin1Char('/')))
        base.chop(1);
    request.url
        = QUrl(base + QStringLiteral("/crm/v3/objects/") + QString::fromUtf8(QUrl::toPercentEncoding(m_objectType))
                + QStringLiteral("/batch/") + QString::fromLatin1(endpointPath(int(endpoint))),
            QUrl::StrictMode);
    request.headers = { { "Content-Type", "application/json" }, { "Accept", "application/json" } };
    request.body = QJsonDocument(body).toJson(QJsonDocument::Compact);
    return request;
}

QString HubSpotDelivery::read(
    RequestWindow &window, Endpoint endpoint, const Indexes &indexes, const HttpResponse &response)
{
    const int status = response.status;
    if (status == 204 || (endpoint == Endpoint::Archive && (status == 200 || status == 404))) {
        for (int index : indexes)
            settle(index, true, {}, false, m_archiveIds[size_t(index)]);
        return {};
    }
    if (status == 200 || status == 201 || status == 207) {
        const auto answer = parseBatchAnswer(response.body);
        if (!answer)
            return QStringLiteral("HTTP %1 with a body that is not HubSpot's batch answer").arg(status);
        return readBatch(window, endpoint, indexes, status, *answer);
    }
    const QString why = errorText(response.body);
    if (status == 403) {
        for (int index : indexes)
            settle(index, false,
                QStringLiteral("HubSpot refused the request (HTTP 403, %1); give the private app or OAuth app the "
                               "scope crm.objects.%2.write")
                    .arg(why, m_objectType),
                false);
        return {};
    }
    if ((status == 400 || status == 409 || status == 422) && indexes.size() > 1) {
        // Refused as a whole: halves, until the bad inputs are alone and the good ones go through.
        const auto middle = indexes.begin() + qsizetype(indexes.size() / 2);
        submit(window, endpoint, Indexes(indexes.begin(), middle), true);
        submit(window, endpoint, Indexes(middle, indexes.end()), true);
        return {};
    }
    for (int index : indexes)
        settle(index, false, QStringLiteral("HubSpot refused it (HTTP %1): %2").arg(status).arg(why), false);
    return {};
}

QString HubSpotDelivery::readBatch(
    RequestWindow &window, Endpoint endpoint, const Indexes &indexes, int status, const BatchAnswer &answer)
{
    // Which input each result and error names: by the match value, the trace id, or the record id.
    QHash<QString, int> byKey;
    for (int index : indexes) {
        const QString name = endpoint == Endpoint::Create ? traceId(index) : key(m_payloads[size_t(index)].matchValue);
        byKey.insert(name, index);
    }
    const auto resultKey = [&](const BatchResult &result) -> QString {
        if (endpoint == Endpoint::Create)
            return result.objectWriteTraceId;
        if (m_byObjectId)
            return result.id;
        return key(result.properties.value(m_matchField).toVariant().toString());
    };
    QHash<int, QString> found; // index -> record id
    bool allNamed = true;
    for (const BatchResult &result : answer.results) {
        const auto hit = byKey.constFind(resultKey(result));
        if (hit == byKey.cend())
            allNamed = false;
        else
            found.insert(*hit, result.id);
    }
    if (!allNamed && answer.errors.empty() && answer.results.size() == indexes.size()) {
        // Results that do not name their input: HubSpot answers in input order when all succeed.
        for (size_t i = 0; i < indexes.size(); ++i)
            found.insert(indexes[i], answer.results[i].id);
    }
    QString unattributed;
    QHash<int, QString> refused;
    for (const BatchError &error : answer.errors) {
        const QString message
            = error.category.isEmpty() ? error.message : error.category + QStringLiteral(": ") + error.message;
        bool named = false;
        for (const QString &id : error.ids) {
            const auto hit = byKey.constFind(endpoint == Endpoint::Create ? id : key(id));
            if (hit != byKey.cend()) {
                refused.insert(*hit, message);
                named = true;
            }
        }
        if (!named && unattributed.isEmpty())
            unattributed = message.isEmpty() ? QStringLiteral("HubSpot reported an error without details") : message;
    }
    if (endpoint == Endpoint::Read) {
        // Resolved ids go on to batch/archive; what HubSpot does not have is already gone.
        Indexes archive;
        for (int index : indexes) {
            if (found.contains(index)) {
                m_archiveIds[size_t(index)] = found.value(index);
                archive.push_back(index);
            } else if (refused.contains(index) || unattributed.isEmpty() || status == 207) {
                settle(index, true, {}, false);
            }
        }
        if (!archive.empty())
            submit(window, Endpoint::Archive, archive, true);
        return {};
    }
    for (int index : indexes) {
        if (refused.contains(index))
            settle(index, false, QStringLiteral("HubSpot refused it: %1").arg(refused.value(index)), false);
        else if (found.contains(index))
            settle(index, true, {}, false, found.value(index));
        else if (status == 207 && !unattributed.isEmpty())
            settle(index, false, QStringLiteral("HubSpot refused part of the batch: %1").arg(unattributed), false);
        else
            settle(index, true, {}, false);
    }
    return {};
}

void HubSpotDelivery::settle(
    int index, bool accepted, const QString &error, bool retryable, const QString &destinationId)
{
    if (m_settled[size_t(index)])
        return;
    m_settled[size_t(index)] = 1;
    m_answered[size_t(index)] = !retryable || accepted;
    RecordOutcome &outcome = m_outcomes[size_t(index)];
    outcome.accepted = accepted;
    outcome.error = error;
    outcome.retryable = retryable;
    outcome.destinationId = destinationId.isEmpty() ? m_batch.records[size_t(index)].destinationId : destinationId;
}

int HubSpotDelivery::answeredCount() const
{
    return int(std::count(m_answered.begin(), m_answered.end(), 1));
}

std::vector<RecordOutcome> HubSpotDelivery::takeOutcomes()
{
    for (size_t i = 0; i < m_outcomes.size(); ++i) {
        if (!m_settled[i])
            settle(int(i), false, QStringLiteral("no answer from HubSpot for this record; sent again by the next run"),
                true);
    }
    return std::move(m_outcomes);
}

} // namespace syncline::connectors::hubspot
