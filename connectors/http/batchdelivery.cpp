#include "connectors/http/batchdelivery.h"

#include "engine/mapping/jsonreader.h"

#include <QCryptographicHash>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QUrlQuery>

#include <algorithm>
#include <map>

namespace syncline::connectors::http {

using engine::connector::Batch;
using engine::connector::Operation;
using engine::connector::RecordOutcome;
namespace json = engine::mapping::json;

namespace {

// The text of member `field` of a canonical JSON object; nullopt when absent or null.
std::optional<std::string> memberText(const std::string &payload, const QString &field)
{
    std::vector<json::Member> members;
    if (!json::splitObject(payload, members))
        return std::nullopt;
    const std::string wanted = field.toStdString();
    for (const json::Member &member : members) {
        std::string name, value;
        if (!json::decodeString(member.key, name) || name != wanted)
            continue;
        if (member.value == "null" || !json::valueText(member.value, value))
            return std::nullopt;
        return value;
    }
    return std::nullopt;
}

// base_url followed by `path` (already percent-encoded), keeping base_url's query.
QUrl joined(const QUrl &base, const std::string &path)
{
    if (path.empty())
        return base;
    QUrl url = base;
    QString rendered = QString::fromStdString(path);
    QString query;
    if (const qsizetype mark = rendered.indexOf(QLatin1Char('?')); mark >= 0) {
        query = rendered.mid(mark + 1);
        rendered.truncate(mark);
    }
    QString basePath = base.path(QUrl::FullyEncoded);
    if (basePath.endsWith(QLatin1Char('/')) && rendered.startsWith(QLatin1Char('/')))
        basePath.chop(1);
    else if (!basePath.endsWith(QLatin1Char('/')) && !rendered.startsWith(QLatin1Char('/')) && !rendered.isEmpty())
        basePath += QLatin1Char('/');
    url.setPath(basePath + rendered, QUrl::StrictMode);
    if (!query.isEmpty())
        url.setQuery(base.query(QUrl::FullyEncoded).isEmpty()
                ? query
                : base.query(QUrl::FullyEncoded) + QLatin1Char('&') + query,
            QUrl::StrictMode);
    return url;
}

bool splittable(int status)
{
    return status >= 400 && status < 500 && status != 401 && status != 403 && status != 404 && status != 408
        && status != 429;
}

} // namespace

BatchDelivery::BatchDelivery(
    const HttpDestinationSettings &settings, const QString &matchField, qint64 runId, const Batch &batch)
    : m_settings(settings)
    , m_matchField(matchField)
    , m_runId(runId)
    , m_batch(batch)
{
    const size_t count = batch.records.size();
    m_outcomes.resize(count);
    m_settled.assign(count, 0);
    m_answered.assign(count, 0);
    m_records.reserve(count);
    for (const auto &record : batch.records)
        m_records.push_back(
            { record.payload, record.key, record.destinationId, engine::connector::operationName(record.operation) });
}

void BatchDelivery::settle(int index, bool accepted, const QString &error, bool retryable, const QString &destinationId)
{
    if (m_settled[size_t(index)])
        return;
    m_settled[size_t(index)] = 1;
    RecordOutcome &outcome = m_outcomes[size_t(index)];
    outcome.accepted = accepted;
    outcome.error = error;
    outcome.retryable = retryable;
    outcome.destinationId = destinationId;
}

int BatchDelivery::acceptedCount() const
{
    int count = 0;
    for (size_t i = 0; i < m_outcomes.size(); ++i)
        count += m_settled[i] && m_outcomes[i].accepted;
    return count;
}

std::vector<RecordOutcome> BatchDelivery::takeOutcomes()
{
    for (size_t i = 0; i < m_outcomes.size(); ++i) {
        if (!m_settled[i])
            settle(int(i), false, QStringLiteral("no answer was recorded for this record; sent again by the next run"),
                true);
    }
    return std::move(m_outcomes);
}

int BatchDelivery::answeredCount() const
{
    return int(std::count(m_answered.begin(), m_answered.end(), 1));
}

void BatchDelivery::submitAll(RequestWindow &window)
{
    // Requests keep the batch's order within each spec; specs in order of first appearance.
    std::vector<std::pair<std::shared_ptr<const OperationSpec>, Indexes>> groups;
    for (int i = 0; i < int(m_batch.records.size()); ++i) {
        const auto &record = m_batch.records[size_t(i)];
        const auto spec = m_settings.operations.at(record.operation);
        if (spec->defaultDeletePath && !memberText(record.payload, m_matchField)) {
            m_answered[size_t(i)] = 1;
            settle(i, false,
                QStringLiteral("the record has no value for the match field '%1', so there is no URL to "
                               "DELETE; set operations.delete.path")
                    .arg(m_matchField),
                false);
            continue;
        }
        auto group = std::find_if(groups.begin(), groups.end(), [&](const auto &entry) { return entry.first == spec; });
        if (group == groups.end())
            groups.push_back({ spec, { i } });
        else
            group->second.push_back(i);
    }
    for (auto &[spec, indexes] : groups) {
        const size_t size = spec->perRecord() ? 1 : size_t(m_settings.batchSize);
        for (size_t start = 0; start < indexes.size(); start += size)
            submit(window, spec,
                Indexes(indexes.begin() + qsizetype(start),
                    indexes.begin() + qsizetype(std::min(indexes.size(), start + size))),
                false);
    }
}

void BatchDelivery::submit(
    RequestWindow &window, const std::shared_ptr<const OperationSpec> &spec, Indexes indexes, bool urgent)
{
    RequestWindow::Job job;
    job.build = [this, spec, indexes] { return build(*spec, indexes); };
    job.answered = [this, &window, spec, indexes](
                       const HttpResponse &response) { return read(window, spec, indexes, response); };
    job.abandoned = [this, indexes](const QString &reason) {
        for (int index : indexes)
            settle(index, false, reason, true);
    };
    window.submit(std::move(job), urgent);
}

HttpRequest BatchDelivery::build(const OperationSpec &spec, const Indexes &indexes) const
{
    std::vector<const TemplateRecord *> records;
    records.reserve(indexes.size());
    for (int index : indexes)
        records.push_back(&m_records[size_t(index)]);

    HttpRequest request;
    request.method = spec.method;
    if (spec.defaultDeletePath) {
        const auto value = memberText(records.front()->payload, m_matchField);
        request.url = joined(m_settings.baseUrl,
            "/" + QUrl::toPercentEncoding(QString::fromStdString(value.value_or(std::string()))).toStdString());
    } else {
        request.url = spec.path ? joined(m_settings.baseUrl, spec.path->render(records)) : m_settings.baseUrl;
    }
    setHeader(request.headers, "Accept", "application/json");
    for (auto it = m_settings.headers.cbegin(); it != m_settings.headers.cend(); ++it)
        setHeader(request.headers, it.key().toUtf8(), it.value().toUtf8());
    for (auto it = spec.headers.cbegin(); it != spec.headers.cend(); ++it)
        setHeader(request.headers, it.key().toUtf8(), it.value().toUtf8());
    if (!spec.sendsBody)
        return request;
    if (spec.body) {
        request.body = QByteArray::fromStdString(spec.body->render(records));
    } else if (m_settings.batchSize == 1) {
        request.body = QByteArray::fromStdString(records.front()->payload);
    } else {
        request.body.reserve(qsizetype(indexes.size() * (records.front()->payload.size() + 1) + 2));
        request.body.append('[');
        for (size_t i = 0; i < records.size(); ++i) {
            if (i > 0)
                request.body.append(',');
            request.body.append(records[i]->payload);
        }
        request.body.append(']');
    }
    if (!headerValue(request.headers, "Content-Type").size())
        setHeader(request.headers, "Content-Type", "application/json");
    const bool onlyInserts = std::all_of(indexes.begin(), indexes.end(),
        [this](int index) { return m_batch.records[size_t(index)].operation == Operation::Insert; });
    if (onlyInserts && headerValue(request.headers, "Idempotency-Key").isEmpty()) {
        QCryptographicHash hash(QCryptographicHash::Sha256);
        const QByteArray head
            = QByteArray::number(m_runId) + '\n' + request.method + ' ' + request.url.toEncoded() + '\n';
        hash.addData(head);
        hash.addData(request.body);
        setHeader(request.headers, "Idempotency-Key", hash.result().toHex().left(32));
    }
    return request;
}

QString BatchDelivery::read(RequestWindow &window, const std::shared_ptr<const OperationSpec> &spec,
    const Indexes &indexes, const HttpResponse &response)
{
    const Operation operation = m_batch.records[size_t(indexes.front())].operation;
    if (!spec->isSuccess(response.status, operation)) {
        if (splittable(response.status) && indexes.size() > 1) {
            // Refused as a whole because of some of its records: try each half on its own.
            const auto middle = indexes.begin() + qsizetype(indexes.size() / 2);
            submit(window, spec, Indexes(indexes.begin(), middle), true);
            submit(window, spec, Indexes(middle, indexes.end()), true);
            return {};
        }
        QString message;
        if (spec->errorsPath && indexes.size() == 1) {
            // The record's own error, when the refusal names it where errors_path says.
            const QJsonDocument document = QJsonDocument::fromJson(response.body);
            const QJsonValue root = document.isArray() ? QJsonValue(document.array()) : QJsonValue(document.object());
            message = errorText(spec->errorsPath->valuesPerRecord(root, 1).front());
        }
        if (message.isEmpty())
            message = responseMessage(response.body);
        const QString reason = QStringLiteral("HTTP %1%2")
                                   .arg(response.status)
                                   .arg(message.isEmpty() ? QString() : QStringLiteral(": ") + message);
        for (int index : indexes) {
            m_answered[size_t(index)] = 1;
            settle(index, false, reason, false);
        }
        return {};
    }

    const int count = int(indexes.size());
    std::vector<QJsonValue> errors(static_cast<size_t>(count));
    std::vector<QJsonValue> ids(static_cast<size_t>(count));
    if (spec->errorsPath || spec->idPath) {
        QJsonParseError parseError;
        const QJsonDocument document = QJsonDocument::fromJson(response.body, &parseError);
        const bool readable = parseError.error == QJsonParseError::NoError;
        if (!readable && spec->errorsPath && !response.body.trimmed().isEmpty())
            return QStringLiteral("HTTP %1 with a body that is not JSON (%2), so errors_path '%3' could not be read")
                .arg(response.status)
                .arg(parseError.errorString(), spec->errorsPath->text());
        const QJsonValue root = document.isArray() ? QJsonValue(document.array()) : QJsonValue(document.object());
        if (readable && spec->errorsPath)
            errors = spec->errorsPath->valuesPerRecord(root, count);
        if (readable && spec->idPath)
            ids = spec->idPath->valuesPerRecord(root, count);
    }
    for (int i = 0; i < count; ++i) {
        const int index = indexes[size_t(i)];
        m_answered[size_t(index)] = 1;
        const QString error = errorText(errors[size_t(i)]);
        if (!error.isEmpty())
            settle(index, false, error, false);
        else
            settle(index, true, {}, false, idText(ids[size_t(i)]));
    }
    return {};
}

} // namespace syncline::connectors::http
