#pragma once
// Writes a group through one Bulk API 2.0 ingest job: create it (object, operation,
// externalIdFieldName for upsert, CSV, LF), upload the CSV, close it (UploadComplete), poll its
// state with a growing wait that a cancellation cuts short (the job is then aborted), and read
// successfulResults, failedResults and unprocessedrecords back into per-row outcomes. The result
// files come in no order: rows are found again by their external id (upsert), Id (update,
// delete) or, for inserts, all their cells. Thread: the run's thread.

#include "connectors/salesforce/salesforcesession.h"
#include "connectors/salesforce/salesforcewrite.h"

namespace syncline::connectors::salesforce {

class BulkJob
{
public:
    static constexpr qsizetype maxUploadBytes = 100'000'000; // 150 MB after base64

    BulkJob(SalesforceSession &session, const WriteGroup &group);

    // The CSV this job uploads (built by the constructor).
    const QByteArray &csv() const { return m_csv; }

    // Runs the job (or, with `resumeJobId`, keeps polling a job already closed by an earlier attempt
    // of the same rows) and fills outcomes[record.index]. An Error when the job could not be
    // created, loaded or finished; jobId() then names it when it exists.
    engine::Result<void> run(Outcomes &outcomes, const engine::CancellationToken &cancellation,
        const QString &resumeJobId = {});
    QString jobId() const { return m_jobId; }
    bool closed() const { return m_closed; }

private:
    engine::Result<QJsonObject> jsonCall(const QByteArray &method, const QString &path, const QJsonObject &body,
        const engine::CancellationToken &cancellation, const QString &step);
    engine::Result<QJsonObject> poll(const engine::CancellationToken &cancellation);
    engine::Result<void> readResults(const QJsonObject &job, Outcomes &outcomes, const engine::CancellationToken &cancellation);
    void abort();
    engine::Error error(const QString &code, const QString &message, bool retryable) const;

    SalesforceSession &m_session;
    const WriteGroup &m_group;
    QStringList m_header;
    QList<QStringList> m_rows;
    QString m_keyColumn; // the column results are matched on; empty: all cells (insert)
    QByteArray m_csv;
    QString m_jobId;
    bool m_closed = false;
};

} // namespace syncline::connectors::salesforce
