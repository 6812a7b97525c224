#include "engine/state/planstore.h"

#include "engine/state/sqlitestatement.h"
#include "engine/state/workspace.h"

#include <QDateTime>
#include <QJsonArray>
#include <QJsonDocument>

#include <sqlite3.h>

#include <algorithm>
#include <array>
#include <cstring>
#include <string>
#include <utility>

namespace syncline::engine::state {

namespace {

constexpr std::array<std::pair<DiffOp, const char *>, 4> kOpNames{{
    {DiffOp::Add, "add"},
    {DiffOp::Change, "change"},
    {DiffOp::Remove, "remove"},
    {DiffOp::Unchanged, "unchanged"},
}};

DiffOp diffOpFromName(std::string_view name)
{
    for (const auto &[op, text] : kOpNames)
        if (name == text)
            return op;
    return DiffOp::Add;
}

std::optional<connector::Operation> operationFromName(std::string_view name)
{
    using connector::Operation;
    // The names as UTF-8, once: this runs for every plan row a run reads.
    static const std::vector<std::pair<Operation, std::string>> names = [] {
        std::vector<std::pair<Operation, std::string>> all;
        for (Operation op : {Operation::Upsert, Operation::Update, Operation::Insert, Operation::Delete, Operation::Clear})
            all.emplace_back(op, connector::operationName(op).toStdString());
        return all;
    }();
    for (const auto &[op, text] : names)
        if (name == text)
            return op;
    return std::nullopt;
}

Error notFound(qint64 planId)
{
    return Error{QStringLiteral("plan.not_found"),
                 QStringLiteral("there is no plan %1 in this workspace; 'syncline-cli plan SYNC' makes one").arg(planId),
                 false,
                 {}};
}

} // namespace

QString diffOpName(DiffOp op)
{
    for (const auto &[value, text] : kOpNames)
        if (value == op)
            return QString::fromLatin1(text);
    return {};
}

PlanStore::PlanStore(Workspace &workspace) : m_workspace(workspace) {}

PlanStore::~PlanStore() = default;

Result<qint64> PlanStore::create(qint64 syncId, qint64 baseGeneration, SyncMode mode, RemovedRowAction onRemoved)
{
    auto s = SqliteStatement::prepare(m_workspace.handle(),
                                      QStringLiteral("INSERT INTO plans (sync_id, created_at, base_generation, status, mode, "
                                                     "on_removed) VALUES (?1, ?2, ?3, 'building', ?4, ?5)"));
    if (!s)
        return std::unexpected(s.error());
    s->bind(1, syncId)
        .bind(2, QDateTime::currentMSecsSinceEpoch())
        .bind(3, baseGeneration)
        .bind(4, syncModeName(mode))
        .bind(5, removedRowActionName(onRemoved));
    if (auto ok = s->run(); !ok)
        return std::unexpected(ok.error());
    return qint64(sqlite3_last_insert_rowid(m_workspace.handle()));
}

Result<void> PlanStore::discardUnfinished(qint64 syncId)
{
    auto s = SqliteStatement::prepare(m_workspace.handle(),
                                      QStringLiteral("DELETE FROM plans WHERE sync_id = ?1 AND status = 'building'"));
    if (!s)
        return std::unexpected(s.error());
    return s->bind(1, syncId).run();
}

Result<void> PlanStore::addRow(qint64 planId, const PlanRow &row)
{
    if (!m_insert) {
        auto s = SqliteStatement::prepare(
            m_workspace.handle(),
            QStringLiteral("INSERT INTO plan_rows (plan_id, seq, op, action, key, key_hash, payload_id, payload_hash, "
                           "before_payload_id, destination_id, source_hash) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11)"));
        if (!s)
            return std::unexpected(s.error());
        m_insert = std::make_unique<SqliteStatement>(std::move(*s));
    }
    SqliteStatement &s = *m_insert;
    s.bind(1, planId).bind(2, row.seq).bind(3, diffOpName(row.op));
    if (row.action)
        s.bind(4, connector::operationName(*row.action));
    else
        s.bindNull(4);
    s.bind(5, std::string_view(row.key)).bind(6, static_cast<qint64>(row.keyHash));
    if (row.op == DiffOp::Remove) {
        s.bindNull(7).bindNull(8);
    } else {
        s.bind(7, row.payloadId).bindBlob(8, row.payloadHash.data(), int(row.payloadHash.size()));
    }
    if (row.beforePayloadId == 0)
        s.bindNull(9);
    else
        s.bind(9, row.beforePayloadId);
    if (row.destinationId.isEmpty())
        s.bindNull(10);
    else
        s.bind(10, row.destinationId);
    if (row.sourceHash && row.op != DiffOp::Remove)
        s.bindBlob(11, row.sourceHash->data(), int(row.sourceHash->size()));
    else
        s.bindNull(11);
    return s.run();
}

Result<void> PlanStore::complete(const PlanInfo &info)
{
    QJsonArray examples;
    for (const InvalidExample &example : info.invalidExamples)
        examples.append(QJsonObject{{QStringLiteral("key"), example.key}, {QStringLiteral("reason"), example.reason}});
    auto s = SqliteStatement::prepare(
        m_workspace.handle(),
        QStringLiteral("UPDATE plans SET status = 'open', added = ?2, changed = ?3, removed = ?4, unchanged = ?5, "
                       "invalid = ?6, to_send = ?7, ledger_delivered = ?8, invalid_examples = ?9, blocked = ?10, "
                       "guardrail = ?11, timings = ?12 WHERE id = ?1 AND status = 'building'"));
    if (!s)
        return std::unexpected(s.error());
    s->bind(1, info.id)
        .bind(2, info.counts.added)
        .bind(3, info.counts.changed)
        .bind(4, info.counts.removed)
        .bind(5, info.counts.unchanged)
        .bind(6, info.counts.invalid)
        .bind(7, info.counts.toSend)
        .bind(8, info.ledgerDelivered)
        .bind(9, QString::fromUtf8(QJsonDocument(examples).toJson(QJsonDocument::Compact)))
        .bind(10, qint64(info.blocked ? 1 : 0))
        .bind(11, info.guardrail.isNull() ? QStringLiteral("") : info.guardrail)
        .bind(12, QString::fromUtf8(QJsonDocument(info.timings).toJson(QJsonDocument::Compact)));
    return s->run();
}

Result<PlanInfo> PlanStore::plan(qint64 planId)
{
    auto s = SqliteStatement::prepare(
        m_workspace.handle(),
        QStringLiteral("SELECT id, sync_id, created_at, base_generation, status, mode, on_removed, added, changed, "
                       "removed, unchanged, invalid, to_send, ledger_delivered, invalid_examples, blocked, guardrail, "
                       "timings FROM plans WHERE id = ?1"));
    if (!s)
        return std::unexpected(s.error());
    s->bind(1, planId);
    auto row = s->step();
    if (!row)
        return std::unexpected(row.error());
    if (!*row)
        return std::unexpected(notFound(planId));
    PlanInfo info;
    info.id = s->int64(0);
    info.syncId = s->int64(1);
    info.createdAtMs = s->int64(2);
    info.baseGeneration = s->int64(3);
    info.status = s->text(4);
    info.mode = syncModeFromName(s->text(5)).value_or(SyncMode::Upsert);
    info.onRemoved = removedRowActionFromName(s->text(6)).value_or(RemovedRowAction::Ignore);
    info.counts = PlanCounts{s->int64(7), s->int64(8), s->int64(9), s->int64(10), s->int64(11), s->int64(12)};
    info.ledgerDelivered = s->int64(13);
    const QJsonArray examples = QJsonDocument::fromJson(s->text(14).toUtf8()).array();
    for (const QJsonValue &value : examples) {
        const QJsonObject object = value.toObject();
        info.invalidExamples.push_back(
            InvalidExample{object.value(QStringLiteral("key")).toString(), object.value(QStringLiteral("reason")).toString()});
    }
    info.blocked = s->int64(15) != 0;
    info.guardrail = s->text(16);
    info.timings = QJsonDocument::fromJson(s->text(17).toUtf8()).object();
    return info;
}

Result<std::vector<PlanRow>> PlanStore::rows(qint64 planId, qint64 afterSeq, int limit, bool sentOnly)
{
    auto s = SqliteStatement::prepare(
        m_workspace.handle(),
        // Sending needs the before payload only for a delete or a clear: a subquery under CASE
        // skips reading it for the rest (a join would look it up for every changed row).
        QStringLiteral("SELECT r.seq, r.op, r.action, r.key, r.key_hash, payload_json(a.payload), r.payload_hash, "
                       "CASE WHEN ?3 = 0 OR r.action = 'delete' OR r.action = 'clear' "
                       "THEN (SELECT payload_json(b.payload) FROM payloads b WHERE b.id = r.before_payload_id) END, "
                       "r.destination_id, r.payload_id, r.before_payload_id, r.source_hash "
                       "FROM plan_rows r LEFT JOIN payloads a ON a.id = r.payload_id "
                       "WHERE r.plan_id = ?1 AND r.seq > ?2 AND (?3 = 0 OR r.action IS NOT NULL) "
                       "ORDER BY r.seq LIMIT ?4"));
    if (!s)
        return std::unexpected(s.error());
    s->bind(1, planId).bind(2, afterSeq).bind(3, qint64(sentOnly ? 1 : 0)).bind(4, qint64(limit));
    std::vector<PlanRow> rows;
    rows.reserve(size_t(std::clamp(limit, 0, 10000)));
    for (;;) {
        auto more = s->step();
        if (!more)
            return std::unexpected(more.error());
        if (!*more)
            break;
        PlanRow row;
        row.seq = s->int64(0);
        row.op = diffOpFromName(s->textView(1));
        if (!s->isNull(2))
            row.action = operationFromName(s->textView(2));
        row.key = std::string(s->textView(3));
        row.keyHash = static_cast<std::uint64_t>(s->int64(4));
        row.payload = std::string(s->textView(5));
        if (sqlite3_column_bytes(s->handle(), 6) == int(row.payloadHash.size()))
            std::memcpy(row.payloadHash.data(), sqlite3_column_blob(s->handle(), 6), row.payloadHash.size());
        row.beforePayload = std::string(s->textView(7));
        row.destinationId = s->text(8);
        row.payloadId = s->isNull(9) ? 0 : s->int64(9);
        row.beforePayloadId = s->isNull(10) ? 0 : s->int64(10);
        if (sqlite3_column_bytes(s->handle(), 11) == int(mapping::PayloadHash{}.size())) {
            row.sourceHash.emplace();
            std::memcpy(row.sourceHash->data(), sqlite3_column_blob(s->handle(), 11), row.sourceHash->size());
        }
        rows.push_back(std::move(row));
    }
    return rows;
}

Result<bool> PlanStore::hasRows(qint64 planId)
{
    auto s = SqliteStatement::prepare(m_workspace.handle(),
                                      QStringLiteral("SELECT 1 FROM plan_rows WHERE plan_id = ?1 LIMIT 1"));
    if (!s)
        return std::unexpected(s.error());
    s->bind(1, planId);
    return s->step();
}

Result<void> PlanStore::markApplied(qint64 syncId, qint64 planId)
{
    // Rows of the sync's other plans go: superseded ones can never be applied, and applied ones
    // whose run ended were dropped by dropRows() (or their run died, and was recovered, under the
    // lock the caller holds; its outcomes are in the run's history).
    // The payloads a plan superseded now wrote for its added and changed rows go with it: no
    // ledger row ever pointed to them (the plan never ran), and no other plan refers to them
    // (a plan's unchanged rows point to the ledger's payloads). Each preview's plan would
    // otherwise leave its payloads for the next garbage collection.
    const QStringList statements{
        QStringLiteral("UPDATE plans SET status = 'applied' WHERE id = ?2"),
        QStringLiteral("DELETE FROM payloads WHERE id IN (SELECT r.payload_id FROM plans p "
                       "JOIN plan_rows r ON r.plan_id = p.id WHERE p.sync_id = ?1 AND p.id <> ?2 "
                       "AND (p.status = 'open' OR p.status = 'building') AND (r.op = 'add' OR r.op = 'change') "
                       "AND r.payload_id IS NOT NULL)"),
        QStringLiteral("UPDATE plans SET status = 'superseded' WHERE sync_id = ?1 AND id <> ?2 "
                       "AND status IN ('open', 'building')"),
        QStringLiteral("DELETE FROM plan_rows WHERE plan_id IN (SELECT id FROM plans WHERE sync_id = ?1 AND id <> ?2 "
                       "AND status IN ('superseded', 'applied')) "
                       "AND plan_id NOT IN (SELECT plan_id FROM in_flight_batches)"),
    };
    for (const QString &sql : statements) {
        auto s = SqliteStatement::prepare(m_workspace.handle(), sql);
        if (!s)
            return std::unexpected(s.error());
        if (auto ok = s->bind(1, syncId).bind(2, planId).run(); !ok)
            return ok;
    }
    return {};
}

Result<void> PlanStore::dropRows(qint64 planId)
{
    // The conditions are checked first, on their own: a DELETE whose WHERE holds a subquery is
    // run by SQLite in two passes (row keys collected first, then each deleted), and the
    // subqueries were a sixth of the drop's cost. Both reads and the delete run in the caller's
    // transaction, so nothing can change in between.
    auto check = SqliteStatement::prepare(
        m_workspace.handle(),
        QStringLiteral("SELECT EXISTS (SELECT 1 FROM plans WHERE id = ?1 AND status = 'applied') "
                       "AND NOT EXISTS (SELECT 1 FROM in_flight_batches WHERE plan_id = ?1)"));
    if (!check)
        return std::unexpected(check.error());
    check->bind(1, planId);
    auto row = check->step();
    if (!row)
        return std::unexpected(row.error());
    if (!*row || check->int64(0) == 0)
        return {};
    // When the plan's rows are all the table holds (the usual case: other plans' rows went when
    // this one was applied), a DELETE without WHERE lets SQLite free the pages wholesale instead
    // of row by row (when foreign-key checks are paused: ForeignKeyChecksPause).
    auto others = SqliteStatement::prepare(
        m_workspace.handle(), QStringLiteral("SELECT EXISTS (SELECT 1 FROM plan_rows WHERE plan_id < ?1) "
                                             "OR EXISTS (SELECT 1 FROM plan_rows WHERE plan_id > ?1)"));
    if (!others)
        return std::unexpected(others.error());
    others->bind(1, planId);
    auto found = others->step();
    if (!found)
        return std::unexpected(found.error());
    const bool alone = *found && others->int64(0) == 0;
    auto s = SqliteStatement::prepare(m_workspace.handle(), alone ? QStringLiteral("DELETE FROM plan_rows")
                                                                  : QStringLiteral("DELETE FROM plan_rows WHERE plan_id = ?1"));
    if (!s)
        return std::unexpected(s.error());
    if (!alone)
        s->bind(1, planId);
    return s->run();
}

} // namespace syncline::engine::state
