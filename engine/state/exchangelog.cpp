#include "engine/state/exchangelog.h"

#include "engine/state/sqlitestatement.h"
#include "engine/state/workspace.h"

#include <QJsonArray>
#include <QJsonDocument>

namespace syncline::engine::state {

struct ExchangeLog::Row
{
    qint64 seq = 0;
    bool failed = false;
    QString method;
    QString url;
    int status = 0;
    QString error;
    qint64 startedAtMs = 0;
    qint64 durationMs = 0;
    QString requestHeaders;
    QByteArray requestBody;
    qint64 requestBytes = 0;
    bool requestTruncated = false;
    QString responseHeaders;
    QByteArray responseBody;
    qint64 responseBytes = 0;
    bool responseTruncated = false;
    qint64 storedBytes = 0;
};

namespace {

QString headersJson(const QList<QPair<QByteArray, QByteArray>> &headers)
{
    QJsonArray list;
    for (const auto &[name, value] : headers)
        list.append(QJsonArray { QString::fromLatin1(name), QString::fromUtf8(value) });
    return QString::fromUtf8(QJsonDocument(list).toJson(QJsonDocument::Compact));
}

// Redacted, then cut to `cap`. Only the head (plus room for one secret across the cut) is
// redacted, so a large body costs no more than a small one.
QByteArray storedBody(const ExchangeRedactor &redactor, const QByteArray &body, qsizetype cap, bool &truncated)
{
    const qsizetype head = cap + redactor.longestSecret() + 64;
    QByteArray redacted = redactor.body(body.size() > head ? body.left(head) : body);
    truncated = body.size() > head || redacted.size() > cap;
    if (redacted.size() > cap)
        redacted.truncate(cap);
    return redacted;
}

} // namespace

ExchangeLog::ExchangeLog(Workspace &workspace, qint64 runId, const QStringList &secretValues, ExchangeLogLimits limits)
    : m_workspace(workspace)
    , m_runId(runId)
    , m_redactor(secretValues)
    , m_limits(limits)
{ }

ExchangeLog::~ExchangeLog() = default;

void ExchangeLog::record(connector::Exchange exchange)
{
    const qint64 seq = ++m_recorded;
    ++m_pendingRecorded;
    if (exchange.failed) {
        ++m_pendingFailed;
    } else {
        const qint64 index = m_succeeded++;
        const bool sampled = index < m_limits.sampleFirst
            || (m_limits.sampleEvery > 0 && (index - m_limits.sampleFirst) % m_limits.sampleEvery == 0);
        if (!sampled)
            return;
    }

    Row row;
    row.seq = seq;
    row.failed = exchange.failed;
    row.method = exchange.method;
    row.url = m_redactor.url(exchange.url);
    row.status = exchange.status;
    row.error = m_redactor.text(exchange.error);
    row.startedAtMs = exchange.startedAtMs;
    row.durationMs = exchange.durationMs;
    row.requestHeaders = headersJson(m_redactor.headers(exchange.requestHeaders));
    row.requestBody = storedBody(m_redactor, exchange.requestBody, m_limits.storedBodyBytes, row.requestTruncated);
    row.requestBytes = exchange.requestBody.size();
    row.responseHeaders = headersJson(m_redactor.headers(exchange.responseHeaders));
    row.responseBody = storedBody(m_redactor, exchange.responseBody, m_limits.storedBodyBytes, row.responseTruncated);
    row.responseBytes = exchange.responseBody.size();
    row.storedBytes = 64 + row.method.size() + row.url.toUtf8().size() + row.error.toUtf8().size()
        + row.requestHeaders.toUtf8().size() + row.requestBody.size() + row.responseHeaders.toUtf8().size()
        + row.responseBody.size();
    if (m_keptBytes + row.storedBytes > m_limits.workspaceBytes) {
        ++m_pendingOverCap;
        return;
    }
    m_keptBytes += row.storedBytes;
    ++m_kept;
    m_pending.push_back(std::move(row));
}

Result<void> ExchangeLog::writePending()
{
    if (m_pending.empty() && m_pendingRecorded == 0)
        return {};
    // In a savepoint, so a failure takes back only the inspector's rows and the caller's
    // transaction may still commit its own work.
    if (auto ok = m_workspace.exec(QStringLiteral("SAVEPOINT exchange_log")); !ok)
        return ok;
    auto written = writeRows();
    if (!written)
        (void)m_workspace.exec(QStringLiteral("ROLLBACK TO exchange_log"));
    if (auto released = m_workspace.exec(QStringLiteral("RELEASE exchange_log")); !released && written)
        return released;
    return written;
}

Result<void> ExchangeLog::writeRows()
{
    auto insert = SqliteStatement::prepare(m_workspace.handle(),
        QStringLiteral(
            "INSERT INTO run_exchanges (run_id, seq, failed, stored_bytes, method, url, status, error, started_at, "
            "duration_ms, request_headers, request_body, request_bytes, request_truncated, response_headers, "
            "response_body, response_bytes, response_truncated) "
            "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16, ?17, ?18)"));
    if (!insert)
        return std::unexpected(insert.error());
    qint64 bytes = 0;
    for (const Row &row : m_pending) {
        insert->bind(1, m_runId).bind(2, row.seq).bind(3, qint64(row.failed)).bind(4, row.storedBytes);
        insert->bind(5, row.method.isNull() ? QStringLiteral("") : row.method);
        insert->bind(6, row.url.isNull() ? QStringLiteral("") : row.url);
        insert->bind(7, qint64(row.status)).bind(8, row.error.isNull() ? QStringLiteral("") : row.error);
        insert->bind(9, row.startedAtMs).bind(10, row.durationMs).bind(11, row.requestHeaders);
        insert->bindBlob(12, row.requestBody.constData(), int(row.requestBody.size()));
        insert->bind(13, row.requestBytes).bind(14, qint64(row.requestTruncated)).bind(15, row.responseHeaders);
        insert->bindBlob(16, row.responseBody.constData(), int(row.responseBody.size()));
        insert->bind(17, row.responseBytes).bind(18, qint64(row.responseTruncated));
        if (auto ok = insert->run(); !ok)
            return ok;
        bytes += row.storedBytes;
    }
    auto totals = SqliteStatement::prepare(m_workspace.handle(),
        QStringLiteral("INSERT INTO run_exchange_totals (run_id, recorded, failed, kept, over_cap, stored_bytes) "
                       "VALUES (?1, ?2, ?3, ?4, ?5, ?6) ON CONFLICT (run_id) DO UPDATE SET "
                       "recorded = recorded + excluded.recorded, failed = failed + excluded.failed, "
                       "kept = kept + excluded.kept, over_cap = over_cap + excluded.over_cap, "
                       "stored_bytes = stored_bytes + excluded.stored_bytes"));
    if (!totals)
        return std::unexpected(totals.error());
    totals->bind(1, m_runId).bind(2, m_pendingRecorded).bind(3, m_pendingFailed).bind(4, qint64(m_pending.size()));
    totals->bind(5, m_pendingOverCap).bind(6, bytes);
    if (auto ok = totals->run(); !ok)
        return ok;
    return prune();
}

void ExchangeLog::pendingWritten()
{
    m_pending.clear();
    m_pendingRecorded = 0;
    m_pendingFailed = 0;
    m_pendingOverCap = 0;
}

Result<void> ExchangeLog::prune()
{
    // Oldest runs first, never this one; its own share is bounded by record().
    auto total = SqliteStatement::prepare(
        m_workspace.handle(), QStringLiteral("SELECT coalesce(sum(stored_bytes), 0) FROM run_exchange_totals"));
    if (!total)
        return std::unexpected(total.error());
    auto stepped = total->step();
    if (!stepped)
        return std::unexpected(stepped.error());
    qint64 bytes = total->int64(0);
    if (bytes <= m_limits.workspaceBytes)
        return {};
    auto oldest = SqliteStatement::prepare(m_workspace.handle(),
        QStringLiteral("SELECT run_id, stored_bytes FROM run_exchange_totals WHERE run_id <> ?1 AND stored_bytes > 0 "
                       "ORDER BY run_id"));
    if (!oldest)
        return std::unexpected(oldest.error());
    oldest->bind(1, m_runId);
    std::vector<qint64> victims;
    while (bytes > m_limits.workspaceBytes) {
        auto row = oldest->step();
        if (!row)
            return std::unexpected(row.error());
        if (!*row)
            break;
        victims.push_back(oldest->int64(0));
        bytes -= oldest->int64(1);
    }
    oldest->reset();
    for (qint64 run : victims) {
        for (const QString &sql : { QStringLiteral("DELETE FROM run_exchanges WHERE run_id = ?1"),
                 QStringLiteral(
                     "UPDATE run_exchange_totals SET kept = 0, stored_bytes = 0, pruned = 1 WHERE run_id = ?1") }) {
            auto s = SqliteStatement::prepare(m_workspace.handle(), sql);
            if (!s)
                return std::unexpected(s.error());
            if (auto ok = s->bind(1, run).run(); !ok)
                return ok;
        }
    }
    return {};
}

} // namespace syncline::engine::state
