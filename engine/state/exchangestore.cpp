#include "engine/state/exchangestore.h"

#include "engine/state/sqlitestatement.h"
#include "engine/state/workspace.h"

#include <QJsonArray>
#include <QJsonDocument>

namespace syncline::engine::state {

namespace {

QList<QPair<QByteArray, QByteArray>> headersFromJson(const QString &json)
{
    QList<QPair<QByteArray, QByteArray>> headers;
    for (const QJsonValue &pair : QJsonDocument::fromJson(json.toUtf8()).array()) {
        const QJsonArray fields = pair.toArray();
        headers.append({ fields.at(0).toString().toLatin1(), fields.at(1).toString().toUtf8() });
    }
    return headers;
}

} // namespace

Result<ExchangeTotals> ExchangeStore::totals(qint64 runId)
{
    auto s = SqliteStatement::prepare(m_workspace.handle(),
        QStringLiteral("SELECT recorded, failed, kept, over_cap, stored_bytes, pruned "
                       "FROM run_exchange_totals WHERE run_id = ?1"));
    if (!s)
        return std::unexpected(s.error());
    s->bind(1, runId);
    auto row = s->step();
    if (!row)
        return std::unexpected(row.error());
    ExchangeTotals totals;
    if (*row)
        totals = ExchangeTotals { s->int64(0), s->int64(1), s->int64(2), s->int64(3), s->int64(4), s->int64(5) != 0 };
    return totals;
}

Result<std::vector<StoredExchange>> ExchangeStore::exchanges(qint64 runId, bool failedOnly)
{
    auto s = SqliteStatement::prepare(m_workspace.handle(),
        QStringLiteral(
            "SELECT seq, failed, method, url, status, error, started_at, duration_ms, request_headers, "
            "request_body, request_bytes, request_truncated, response_headers, response_body, response_bytes, "
            "response_truncated FROM run_exchanges WHERE run_id = ?1 %1 ORDER BY seq")
            .arg(failedOnly ? QStringLiteral("AND failed = 1") : QString()));
    if (!s)
        return std::unexpected(s.error());
    s->bind(1, runId);
    std::vector<StoredExchange> exchanges;
    for (;;) {
        auto row = s->step();
        if (!row)
            return std::unexpected(row.error());
        if (!*row)
            break;
        StoredExchange exchange;
        exchange.seq = s->int64(0);
        exchange.failed = s->int64(1) != 0;
        exchange.method = s->text(2);
        exchange.url = s->text(3);
        exchange.status = int(s->int64(4));
        exchange.error = s->text(5);
        exchange.startedAtMs = s->int64(6);
        exchange.durationMs = s->int64(7);
        exchange.request = { headersFromJson(s->text(8)), s->blob(9), s->int64(10), s->int64(11) != 0 };
        exchange.response = { headersFromJson(s->text(12)), s->blob(13), s->int64(14), s->int64(15) != 0 };
        exchanges.push_back(std::move(exchange));
    }
    return exchanges;
}

Result<qint64> ExchangeStore::storedBytes()
{
    auto s = SqliteStatement::prepare(
        m_workspace.handle(), QStringLiteral("SELECT coalesce(sum(stored_bytes), 0) FROM run_exchanges"));
    if (!s)
        return std::unexpected(s.error());
    auto row = s->step();
    if (!row)
        return std::unexpected(row.error());
    return s->int64(0);
}

} // namespace syncline::engine::state
