#include "connectors/salesforce/salesforcebulkjob.h"

#include "connectors/salesforce/salesforcecsv.h"

#include <QElapsedTimer>
#include <QHash>
#include <QJsonDocument>
#include <QThread>

#include <algorithm>
#include <deque>

namespace syncline::connectors::salesforce {

using engine::Result;
using engine::connector::RecordOutcome;
using namespace std::chrono;

namespace {

constexpr milliseconds maxPollInterval { 15'000 };

bool waitUnlessCancelled(milliseconds delay, const engine::CancellationToken &cancellation)
{
    QElapsedTimer timer;
    timer.start();
    while (timer.elapsed() < delay.count()) {
        if (cancellation.isCancelled())
            return false;
        QThread::msleep(ulong(std::clamp<qint64>(delay.count() - timer.elapsed(), 1, 20)));
    }
    return !cancellation.isCancelled();
}

bool terminal(const QString &state)
{
    return state == QLatin1String("JobComplete") || state == QLatin1String("Failed")
        || state == QLatin1String("Aborted");
}

const QChar cellSeparator(0x1f);

} // namespace

BulkJob::BulkJob(SalesforceSession &session, const WriteGroup &group)
    : m_session(session)
    , m_group(group)
{
    QList<QJsonObject> fields;
    for (const PreparedRecord &record : group.records)
        fields << record.fields;
    switch (group.write) {
    case Write::Upsert:
        m_header = csvColumns(fields);
        m_keyColumn = group.externalIdField;
        break;
    case Write::Insert:
        m_header = csvColumns(fields);
        break;
    case Write::Update:
        m_header = QStringList { QStringLiteral("Id") } + csvColumns(fields);
        m_keyColumn = QStringLiteral("Id");
        break;
    case Write::Delete:
        m_header = { QStringLiteral("Id") };
        m_keyColumn = QStringLiteral("Id");
        break;
    }
    for (const PreparedRecord &record : group.records) {
        QStringList cells = group.write == Write::Delete ? QStringList()
                                                          : csvCells(record.fields, group.write == Write::Update
                                                                  ? m_header.mid(1) : m_header);
        if (group.write == Write::Update || group.write == Write::Delete)
            cells.prepend(record.id);
        m_rows << cells;
    }
    m_csv = writeCsv(m_header, m_rows);
}

engine::Error BulkJob::error(const QString &code, const QString &message, bool retryable) const
{
    QString text = QStringLiteral("Destination '%1': Bulk API 2.0 %2 of %3").arg(m_session.destinationName(),
        writeName(m_group.write), m_group.object);
    if (!m_jobId.isEmpty())
        text += QStringLiteral(" (job %1)").arg(m_jobId);
    return engine::Error { code, text + QStringLiteral(": ") + message, retryable, {} };
}

Result<QJsonObject> BulkJob::jsonCall(const QByteArray &method, const QString &path, const QJsonObject &body,
    const engine::CancellationToken &cancellation, const QString &step)
{
    const QByteArray bytes = body.isEmpty() ? QByteArray() : QJsonDocument(body).toJson(QJsonDocument::Compact);
    auto response = m_session.call([this, method, path, bytes] { return m_session.request(method, path, bytes); },
        cancellation);
    if (!response)
        return std::unexpected(response.error());
    if (!response->isSuccess())
        return std::unexpected(error(QStringLiteral("salesforce.bulk"),
            QStringLiteral("%1 was refused (HTTP %2: %3)").arg(step).arg(response->status).arg(describe(apiErrors(*response))),
            response->status == 429 || response->status >= 500));
    const QJsonDocument json = QJsonDocument::fromJson(response->body);
    if (!json.isObject())
        return std::unexpected(error(QStringLiteral("salesforce.bulk"),
            QStringLiteral("%1 answered something that is not a JSON object").arg(step), true));
    return json.object();
}

void BulkJob::abort()
{
    if (m_jobId.isEmpty())
        return;
    const engine::CancellationToken fresh; // the run's token is cancelled already
    (void)jsonCall("PATCH", QStringLiteral("/jobs/ingest/") + m_jobId,
        QJsonObject { { QStringLiteral("state"), QStringLiteral("Aborted") } }, fresh, QStringLiteral("aborting the job"));
}

Result<void> BulkJob::run(Outcomes &outcomes, const engine::CancellationToken &cancellation, const QString &resumeJobId)
{
    if (m_group.records.empty())
        return {};
    if (!resumeJobId.isEmpty()) {
        m_jobId = resumeJobId;
        m_closed = true;
    } else {
        QJsonObject create { { QStringLiteral("object"), m_group.object },
            { QStringLiteral("operation"), writeName(m_group.write) }, { QStringLiteral("contentType"), QStringLiteral("CSV") },
            { QStringLiteral("lineEnding"), QStringLiteral("LF") }, { QStringLiteral("columnDelimiter"), QStringLiteral("COMMA") } };
        if (m_group.write == Write::Upsert)
            create.insert(QStringLiteral("externalIdFieldName"), m_group.externalIdField);
        auto job = jsonCall("POST", QStringLiteral("/jobs/ingest"), create, cancellation, QStringLiteral("creating the job"));
        if (!job)
            return std::unexpected(job.error());
        m_jobId = job->value(QStringLiteral("id")).toString();
        if (m_jobId.isEmpty())
            return std::unexpected(error(QStringLiteral("salesforce.bulk"), QStringLiteral("the new job has no id"), true));

        auto uploaded = m_session.call(
            [this] {
                return m_session.request("PUT", QStringLiteral("/jobs/ingest/%1/batches").arg(m_jobId), m_csv, "text/csv");
            },
            cancellation);
        if (!uploaded || !uploaded->isSuccess()) {
            const engine::Error failure = !uploaded ? uploaded.error()
                : error(QStringLiteral("salesforce.bulk"),
                      QStringLiteral("uploading the CSV was refused (HTTP %1: %2)")
                          .arg(uploaded->status)
                          .arg(describe(apiErrors(*uploaded))),
                      uploaded->status >= 500);
            abort();
            return std::unexpected(failure);
        }
        auto closed = jsonCall("PATCH", QStringLiteral("/jobs/ingest/") + m_jobId,
            QJsonObject { { QStringLiteral("state"), QStringLiteral("UploadComplete") } }, cancellation,
            QStringLiteral("closing the job"));
        if (!closed) {
            abort();
            return std::unexpected(closed.error());
        }
        m_closed = true;
    }
    auto finished = poll(cancellation);
    if (!finished)
        return std::unexpected(finished.error());
    return readResults(*finished, outcomes, cancellation);
}

Result<QJsonObject> BulkJob::poll(const engine::CancellationToken &cancellation)
{
    QElapsedTimer elapsed;
    elapsed.start();
    milliseconds wait = m_session.settings().pollInterval;
    for (;;) {
        if (!waitUnlessCancelled(wait, cancellation)) {
            abort();
            return std::unexpected(error(QStringLiteral("http.cancelled"),
                QStringLiteral("cancelled while the job ran; it was aborted, and its rows are sent again by the next run"),
                true));
        }
        auto job = jsonCall("GET", QStringLiteral("/jobs/ingest/") + m_jobId, {}, cancellation,
            QStringLiteral("reading the job's state"));
        if (!job) {
            if (cancellation.isCancelled())
                abort();
            return std::unexpected(job.error());
        }
        if (terminal(job->value(QStringLiteral("state")).toString()))
            return *job;
        if (elapsed.elapsed() > m_session.settings().bulkTimeout.count()) {
            abort();
            return std::unexpected(error(QStringLiteral("salesforce.bulk_timeout"),
                QStringLiteral("still %1 after %2 s (bulk_timeout); it was aborted, and its rows are sent again by the "
                               "next run")
                    .arg(job->value(QStringLiteral("state")).toString())
                    .arg(elapsed.elapsed() / 1000),
                true));
        }
        wait = std::min(maxPollInterval, duration_cast<milliseconds>(wait * 3 / 2) + milliseconds(1));
    }
}

Result<void> BulkJob::readResults(const QJsonObject &job, Outcomes &outcomes, const engine::CancellationToken &cancellation)
{
    const QString state = job.value(QStringLiteral("state")).toString();
    const QString jobError = job.value(QStringLiteral("errorMessage")).toString();
    // Each row of the upload, findable by its key (or all its cells), in upload order for duplicates.
    const int keyAt = m_keyColumn.isEmpty() ? -1 : int(m_header.indexOf(m_keyColumn));
    QHash<QString, std::deque<size_t>> pending;
    for (size_t i = 0; i < size_t(m_rows.size()); ++i)
        pending[keyAt >= 0 ? m_rows[qsizetype(i)][keyAt] : m_rows[qsizetype(i)].join(cellSeparator)].push_back(i);
    std::vector<bool> reported(m_rows.size(), false);
    auto keyOf = [&](const CsvTable &table, const QStringList &row) {
        if (keyAt >= 0) {
            const int column = table.column(m_keyColumn);
            return column >= 0 ? row[column] : QString();
        }
        QStringList cells;
        for (const QString &name : m_header) {
            const int column = table.column(name);
            cells << (column >= 0 ? row[column] : QString());
        }
        return cells.join(cellSeparator);
    };

    const std::pair<const char *, int> files[] = { { "successfulResults", 0 }, { "failedResults", 1 },
        { "unprocessedrecords", 2 } };
    for (const auto &[file, kind] : files) {
        auto response = m_session.call(
            [this, file] {
                http::HttpRequest request
                    = m_session.request("GET", QStringLiteral("/jobs/ingest/%1/%2").arg(m_jobId, QLatin1String(file)));
                http::setHeader(request.headers, "Accept", "text/csv");
                return request;
            },
            cancellation);
        if (!response)
            return std::unexpected(response.error());
        if (!response->isSuccess())
            return std::unexpected(error(QStringLiteral("salesforce.bulk"),
                QStringLiteral("reading %1 was refused (HTTP %2: %3)")
                    .arg(QLatin1String(file))
                    .arg(response->status)
                    .arg(describe(apiErrors(*response))),
                true));
        QString why;
        const auto table = readCsv(response->body, &why);
        if (!table)
            return std::unexpected(error(QStringLiteral("salesforce.bulk"),
                QStringLiteral("%1 is not readable CSV (%2)").arg(QLatin1String(file), why), true));
        const int idColumn = table->column(QStringLiteral("sf__Id"));
        const int errorColumn = table->column(QStringLiteral("sf__Error"));
        for (const QStringList &row : table->rows) {
            auto found = pending.find(keyOf(*table, row));
            if (found == pending.end() || found->empty())
                continue; // a row this job did not upload: nothing to report it on
            const size_t at = found->front();
            found->pop_front();
            reported[at] = true;
            RecordOutcome &outcome = outcomes[m_group.records[at].index];
            outcome.destinationId = idColumn >= 0 ? row[idColumn] : QString();
            if (outcome.destinationId.isEmpty())
                outcome.destinationId = m_group.records[at].id;
            if (kind == 0) {
                outcome.accepted = true;
                continue;
            }
            outcome.accepted = false;
            if (kind == 1) {
                const ApiError failure = bulkError(errorColumn >= 0 ? row[errorColumn] : QString());
                const bool alreadyDeleted = m_group.write == Write::Delete
                    && failure.code == QLatin1String("ENTITY_IS_DELETED");
                outcome.accepted = alreadyDeleted;
                outcome.error = alreadyDeleted ? QString() : failure.text();
                outcome.retryable = retryableRecordError({ failure });
            } else {
                outcome.error = QStringLiteral("Bulk API job %1 did not process this row (job %2%3)")
                                    .arg(m_jobId, state, jobError.isEmpty() ? QString() : QStringLiteral(": ") + jobError);
                outcome.retryable = state != QLatin1String("Failed");
            }
        }
    }
    for (size_t i = 0; i < reported.size(); ++i)
        if (!reported[i]) {
            RecordOutcome &outcome = outcomes[m_group.records[i].index];
            outcome.accepted = false;
            outcome.error = QStringLiteral("Bulk API job %1 (%2%3) reported nothing on this row")
                                .arg(m_jobId, state, jobError.isEmpty() ? QString() : QStringLiteral(": ") + jobError);
            outcome.retryable = state != QLatin1String("Failed");
        }
    return {};
}

} // namespace syncline::connectors::salesforce
