// The fake org's Bulk API 2.0 ingest jobs (part of FakeSalesforceState): create, upload CSV,
// close or abort, the state machine advanced by polls, and the three result files.
#include "tests/fakes/salesforce/fakesalesforcestate.h"

#include <QDateTime>
#include <QJsonDocument>

namespace syncline::testfakes {

namespace {

// A CSV reader of its own (not the connector's), so that a quoting mistake on either side shows.
QList<QStringList> parseCsv(const QByteArray &bytes)
{
    QList<QStringList> rows;
    QStringList row;
    QString cell;
    bool quoted = false;
    bool any = false;
    const QString text = QString::fromUtf8(bytes);
    for (qsizetype i = 0; i < text.size(); ++i) {
        const QChar c = text[i];
        if (quoted) {
            if (c == QLatin1Char('"') && i + 1 < text.size() && text[i + 1] == QLatin1Char('"')) {
                cell += c;
                ++i;
            } else if (c == QLatin1Char('"')) {
                quoted = false;
            } else {
                cell += c;
            }
        } else if (c == QLatin1Char('"')) {
            quoted = any = true;
        } else if (c == QLatin1Char(',')) {
            row << cell;
            cell.clear();
            any = true;
        } else if (c == QLatin1Char('\n') || c == QLatin1Char('\r')) {
            if (c == QLatin1Char('\r') && i + 1 < text.size() && text[i + 1] == QLatin1Char('\n'))
                ++i;
            row << cell;
            if (any || !cell.isEmpty())
                rows << row;
            row.clear();
            cell.clear();
            any = false;
        } else {
            cell += c;
            any = true;
        }
    }
    if (any || !cell.isEmpty()) {
        row << cell;
        rows << row;
    }
    return rows;
}

QByteArray quotedLine(const QStringList &cells)
{
    QStringList quoted;
    for (QString cell : cells)
        quoted << QLatin1Char('"') + cell.replace(QLatin1Char('"'), QStringLiteral("\"\"")) + QLatin1Char('"');
    return quoted.join(QLatin1Char(',')).toUtf8() + '\n';
}

bool terminalState(const QString &state)
{
    return state == QLatin1String("JobComplete") || state == QLatin1String("Failed") || state == QLatin1String("Aborted");
}

} // namespace

QJsonObject FakeSalesforceState::jobInfo(const FakeBulkJob &job) const
{
    QJsonObject info { { QStringLiteral("id"), job.id }, { QStringLiteral("operation"), job.operation },
        { QStringLiteral("object"), job.object }, { QStringLiteral("createdById"), QStringLiteral("005000000000001AAA") },
        { QStringLiteral("createdDate"), QStringLiteral("2026-12-01T10:00:00.000+0000") },
        { QStringLiteral("systemModstamp"), QStringLiteral("2026-12-01T10:00:00.000+0000") },
        { QStringLiteral("state"), job.state }, { QStringLiteral("concurrencyMode"), QStringLiteral("Parallel") },
        { QStringLiteral("contentType"), QStringLiteral("CSV") },
        { QStringLiteral("apiVersion"), m_config.apiVersion.mid(1).toDouble() },
        { QStringLiteral("jobType"), QStringLiteral("V2Ingest") },
        { QStringLiteral("contentUrl"), QStringLiteral("services/data/%1/jobs/ingest/%2/batches").arg(m_config.apiVersion, job.id) },
        { QStringLiteral("lineEnding"), QStringLiteral("LF") }, { QStringLiteral("columnDelimiter"), QStringLiteral("COMMA") },
        { QStringLiteral("numberRecordsProcessed"), job.processed }, { QStringLiteral("numberRecordsFailed"), job.failed },
        { QStringLiteral("retries"), 0 }, { QStringLiteral("totalProcessingTime"), 0 } };
    if (!job.externalIdField.isEmpty())
        info.insert(QStringLiteral("externalIdFieldName"), job.externalIdField);
    if (!job.errorMessage.isEmpty())
        info.insert(QStringLiteral("errorMessage"), job.errorMessage);
    return info;
}

FakeReply FakeSalesforceState::bulk(const QByteArray &method, const QStringList &segments, const HttpRequest &request)
{
    const QString notFound = QStringLiteral("The requested resource does not exist");
    if (segments.size() == 2 && method == "POST") {
        const QJsonObject body = QJsonDocument::fromJson(request.body).object();
        FakeBulkJob job;
        job.object = body.value(QStringLiteral("object")).toString();
        job.operation = body.value(QStringLiteral("operation")).toString();
        job.externalIdField = body.value(QStringLiteral("externalIdFieldName")).toString();
        if (describeOf(job.object).isEmpty())
            return apiError(400, QStringLiteral("INVALIDENTITY"), QStringLiteral("Entity '%1' is not supported").arg(job.object));
        static const QStringList operations = { QStringLiteral("insert"), QStringLiteral("update"),
            QStringLiteral("upsert"), QStringLiteral("delete"), QStringLiteral("hardDelete") };
        if (!operations.contains(job.operation) || (job.operation == QLatin1String("upsert") && job.externalIdField.isEmpty()))
            return apiError(400, QStringLiteral("INVALIDJOB"), QStringLiteral("Invalid operation or missing externalIdFieldName"));
        job.id = newId(QString(), QStringLiteral("750"));
        job.state = QStringLiteral("Open");
        m_jobs.append(job);
        return json(200, jobInfo(job));
    }
    FakeBulkJob *job = nullptr;
    for (FakeBulkJob &candidate : m_jobs)
        if (candidate.id == segments.value(2))
            job = &candidate;
    if (!job)
        return apiError(404, QStringLiteral("NOT_FOUND"), notFound);
    if (segments.size() == 4 && segments[3] == QLatin1String("batches") && method == "PUT") {
        if (!request.header("Content-Type").startsWith("text/csv"))
            return apiError(400, QStringLiteral("INVALIDCONTENTTYPE"), QStringLiteral("the content type must be text/csv"));
        if (job->state != QLatin1String("Open"))
            return apiError(409, QStringLiteral("INVALIDJOBSTATE"), QStringLiteral("the job is not Open"));
        job->data += request.body;
        FakeReply reply;
        reply.status = 201;
        return reply;
    }
    if (segments.size() == 3 && method == "PATCH") {
        const QString state = QJsonDocument::fromJson(request.body).object().value(QStringLiteral("state")).toString();
        if (state == QLatin1String("UploadComplete") && job->state == QLatin1String("Open"))
            job->state = state;
        else if (state == QLatin1String("Aborted") && !terminalState(job->state))
            job->state = state;
        else
            return apiError(400, QStringLiteral("INVALIDJOBSTATE"),
                QStringLiteral("cannot change the state of a job from %1 to %2").arg(job->state, state));
        return json(200, jobInfo(*job));
    }
    if (segments.size() == 3 && method == "GET") {
        if (job->failedPolls < m_config.bulkPollFailures) {
            ++job->failedPolls;
            return apiError(503, QStringLiteral("SERVER_UNAVAILABLE"), QStringLiteral("down for a moment"));
        }
        advance(*job);
        return json(200, jobInfo(*job));
    }
    if (segments.size() == 4 && method == "GET") {
        static const QStringList files = { QStringLiteral("successfulResults"), QStringLiteral("failedResults"),
            QStringLiteral("unprocessedrecords") };
        if (!files.contains(segments[3]))
            return apiError(404, QStringLiteral("NOT_FOUND"), notFound);
        if (!terminalState(job->state))
            return apiError(400, QStringLiteral("INVALIDJOBSTATE"), QStringLiteral("the job is still %1").arg(job->state));
        FakeReply reply;
        reply.headers = { { "Content-Type", "text/csv" } };
        reply.body = resultCsv(*job, segments[3]);
        return reply;
    }
    return apiError(404, QStringLiteral("NOT_FOUND"), notFound);
}

void FakeSalesforceState::advance(FakeBulkJob &job)
{
    if (job.state == QLatin1String("UploadComplete")) {
        job.state = QStringLiteral("InProgress");
        return;
    }
    if (job.state != QLatin1String("InProgress"))
        return;
    if (job.polls++ < m_config.bulkPollsInProgress - 1)
        return;
    runJob(job);
}

void FakeSalesforceState::runJob(FakeBulkJob &job)
{
    QList<QStringList> rows = parseCsv(job.data);
    job.header = rows.isEmpty() ? QStringList() : rows.takeFirst();
    QJsonObject columns;
    for (const QString &name : job.header)
        columns.insert(name, QString());
    const auto unknown = job.operation == QLatin1String("delete") || job.operation == QLatin1String("hardDelete")
        ? std::optional<QString>()
        : unknownField(job.object, columns);
    if (unknown || !m_config.bulkJobFailure.isEmpty()) {
        job.state = QStringLiteral("Failed");
        job.errorMessage = unknown ? QStringLiteral("InvalidBatch : Field name not found : %1").arg(*unknown)
                                   : m_config.bulkJobFailure;
        job.unprocessed = rows;
        return;
    }
    const QString operation = job.operation == QLatin1String("hardDelete") ? QStringLiteral("delete") : job.operation;
    for (const QStringList &row : rows) {
        QJsonObject fields;
        QString id;
        for (qsizetype i = 0; i < job.header.size() && i < row.size(); ++i) {
            const QString &name = job.header[i];
            if (name.compare(QLatin1String("Id"), Qt::CaseInsensitive) == 0) {
                id = row[i];
            } else if (row[i] == QLatin1String("#N/A")) {
                fields.insert(name, QJsonValue::Null);
            } else if (!row[i].isEmpty()) { // an empty cell leaves the field as it is
                const QString parent = name.section(QLatin1Char('.'), 0, 0);
                if (name.contains(QLatin1Char('.'))) {
                    QJsonObject nested = fields.value(parent).toObject();
                    nested.insert(name.section(QLatin1Char('.'), 1), row[i]);
                    fields.insert(parent, nested);
                } else {
                    fields.insert(name, row[i]);
                }
            }
        }
        const WriteResult done = write(operation, job.object, job.externalIdField, fields, id, true);
        ++job.processed;
        if (done.success) {
            job.successful << (QStringList { done.id, done.created ? QStringLiteral("true") : QStringLiteral("false") } + row);
        } else {
            ++job.failed;
            const QJsonObject error = done.errors.at(0).toObject();
            const QString text = QStringLiteral("%1:%2:%3 --")
                                     .arg(error.value(QStringLiteral("statusCode")).toString(),
                                         error.value(QStringLiteral("message")).toString(),
                                         error.value(QStringLiteral("fields")).toVariant().toStringList().join(QLatin1Char(',')));
            job.failures << (QStringList { done.id, text } + row);
        }
    }
    job.state = QStringLiteral("JobComplete");
}

QByteArray FakeSalesforceState::resultCsv(const FakeBulkJob &job, const QString &file) const
{
    QByteArray out;
    if (file == QLatin1String("successfulResults")) {
        out = quotedLine(QStringList { QStringLiteral("sf__Id"), QStringLiteral("sf__Created") } + job.header);
        // Salesforce promises no order: the newest first, so a reader relying on order fails.
        for (auto it = job.successful.crbegin(); it != job.successful.crend(); ++it)
            out += quotedLine(*it);
    } else if (file == QLatin1String("failedResults")) {
        out = quotedLine(QStringList { QStringLiteral("sf__Id"), QStringLiteral("sf__Error") } + job.header);
        for (auto it = job.failures.crbegin(); it != job.failures.crend(); ++it)
            out += quotedLine(*it);
    } else {
        QStringList header = job.header;
        QList<QStringList> rows = job.unprocessed;
        if (job.state == QLatin1String("Aborted") && header.isEmpty()) {
            // Aborted before it ran: every uploaded row is unprocessed.
            rows = parseCsv(job.data);
            header = rows.isEmpty() ? QStringList() : rows.takeFirst();
        }
        out = quotedLine(header);
        for (const QStringList &row : rows)
            out += quotedLine(row);
    }
    return out;
}

} // namespace syncline::testfakes
