#include "connectors/salesforce/salesforcecollections.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QUrl>

#include <algorithm>
#include <memory>

namespace syncline::connectors::salesforce {

using engine::Result;
using engine::connector::RecordOutcome;

QString writeName(Write write)
{
    switch (write) {
    case Write::Upsert: return QStringLiteral("upsert");
    case Write::Update: return QStringLiteral("update");
    case Write::Insert: return QStringLiteral("insert");
    case Write::Delete: return QStringLiteral("delete");
    }
    return {};
}

namespace {

struct Chunk
{
    std::vector<const PreparedRecord *> records;
    bool answered = false;
};

http::HttpRequest buildRequest(const SalesforceSession &session, const WriteGroup &group, const Chunk &chunk)
{
    if (group.write == Write::Delete) {
        QStringList ids;
        for (const PreparedRecord *record : chunk.records)
            ids << record->id;
        QUrlQuery query;
        query.addQueryItem(QStringLiteral("ids"), ids.join(QLatin1Char(',')));
        query.addQueryItem(QStringLiteral("allOrNone"), QStringLiteral("false"));
        return session.request("DELETE", QStringLiteral("/composite/sobjects"), {}, {}, query);
    }
    QJsonArray records;
    for (const PreparedRecord *record : chunk.records) {
        QJsonObject json = record->fields;
        json.insert(QStringLiteral("attributes"), QJsonObject { { QStringLiteral("type"), group.object } });
        if (group.write == Write::Update)
            json.insert(QStringLiteral("id"), record->id);
        records.append(json);
    }
    const QByteArray body = QJsonDocument(QJsonObject { { QStringLiteral("allOrNone"), false },
                                              { QStringLiteral("records"), records } })
                                .toJson(QJsonDocument::Compact);
    switch (group.write) {
    case Write::Upsert:
        return session.request("PATCH",
            QStringLiteral("/composite/sobjects/%1/%2")
                .arg(QString::fromLatin1(QUrl::toPercentEncoding(group.object)),
                    QString::fromLatin1(QUrl::toPercentEncoding(group.externalIdField))),
            body);
    case Write::Update:
        return session.request("PATCH", QStringLiteral("/composite/sobjects"), body);
    case Write::Insert:
        return session.request("POST", QStringLiteral("/composite/sobjects"), body);
    case Write::Delete:
        break;
    }
    return {};
}

void reject(Outcomes &outcomes, const Chunk &chunk, const QString &error, bool retryable)
{
    for (const PreparedRecord *record : chunk.records) {
        RecordOutcome &outcome = outcomes[record->index];
        outcome.accepted = false;
        outcome.error = error;
        outcome.retryable = retryable;
    }
}

// The per-record results of a 200; empty when it cannot be read (the caller tries again).
QString applyResults(const WriteGroup &group, const Chunk &chunk, const QByteArray &body, Outcomes &outcomes)
{
    const QJsonDocument document = QJsonDocument::fromJson(body);
    const QJsonArray results = document.array();
    if (!document.isArray() || results.size() != qsizetype(chunk.records.size()))
        return QStringLiteral("Salesforce answered %1 results for %2 records").arg(results.size()).arg(chunk.records.size());
    for (size_t i = 0; i < chunk.records.size(); ++i) {
        const QJsonObject result = results.at(qsizetype(i)).toObject();
        const PreparedRecord &record = *chunk.records[i];
        RecordOutcome &outcome = outcomes[record.index];
        const QList<ApiError> errors = recordErrors(result.value(QStringLiteral("errors")).toArray());
        const bool alreadyDeleted = group.write == Write::Delete && !errors.isEmpty()
            && std::all_of(errors.begin(), errors.end(),
                [](const ApiError &error) { return error.code == QLatin1String("ENTITY_IS_DELETED"); });
        outcome.accepted = result.value(QStringLiteral("success")).toBool() || alreadyDeleted;
        outcome.destinationId = result.value(QStringLiteral("id")).toString();
        if (outcome.destinationId.isEmpty() && !record.id.isEmpty())
            outcome.destinationId = record.id;
        if (!outcome.accepted) {
            outcome.error = errors.isEmpty() ? QStringLiteral("Salesforce reported no success and no error")
                                             : describe(errors);
            outcome.retryable = retryableRecordError(errors);
        }
    }
    return {};
}

} // namespace

Result<void> CollectionsWriter::write(
    const WriteGroup &group, Outcomes &outcomes, const engine::CancellationToken &cancellation)
{
    if (group.records.empty())
        return {};
    if (m_session.stopped())
        return std::unexpected(*m_session.stopped());
    std::vector<std::shared_ptr<Chunk>> chunks;
    const size_t perRequest = size_t(std::clamp(m_session.settings().collectionSize, 1, maxRecordsPerRequest));
    for (size_t i = 0; i < group.records.size(); ++i) {
        if (i % perRequest == 0)
            chunks.push_back(std::make_shared<Chunk>());
        chunks.back()->records.push_back(&group.records[i]);
    }
    auto window = m_session.window(m_session.settings().concurrency);
    int answered = 0;
    for (const auto &chunk : chunks) {
        window->submit(http::RequestWindow::Job {
            [this, &group, chunk] { return buildRequest(m_session, group, *chunk); },
            [this, &group, &outcomes, &answered, chunk](const http::HttpResponse &response) -> QString {
                if (const QString again = m_session.inspect(response); !again.isEmpty())
                    return again;
                if (m_session.stopped()) {
                    reject(outcomes, *chunk, m_session.stopped()->message, true);
                } else if (response.status == 200) {
                    if (const QString again = applyResults(group, *chunk, response.body, outcomes); !again.isEmpty())
                        return again;
                } else {
                    // The request as a whole was refused: every record of it, with Salesforce's words.
                    reject(outcomes, *chunk,
                        QStringLiteral("HTTP %1: %2").arg(response.status).arg(describe(apiErrors(response))), false);
                }
                chunk->answered = true;
                ++answered;
                return {};
            },
            [&outcomes, chunk](const QString &reason) { reject(outcomes, *chunk, reason, true); },
        });
    }
    const Result<void> ran = window->run(cancellation);
    m_requests += window->requestsSent();
    if (m_session.stopped() && answered == 0)
        return std::unexpected(*m_session.stopped());
    if (!ran && answered == 0)
        return std::unexpected(ran.error());
    return {};
}

} // namespace syncline::connectors::salesforce
