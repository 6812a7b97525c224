#include "engine/state/planrowreader.h"

#include "engine/state/sqlitestatement.h"
#include "engine/state/workspace.h"

#include <cstring>

namespace syncline::engine::state {

Result<std::vector<PlanRow>> PlanRowReader::page(qint64 planId, DiffOp op, qint64 afterSeq, int limit,
                                                 const QString &keyContains)
{
    auto s = SqliteStatement::prepare(
        m_workspace.handle(),
        QStringLiteral("SELECT r.seq, r.key, r.key_hash, payload_json(a.payload), r.payload_hash, payload_json(b.payload), "
                       "r.destination_id, r.payload_id, r.before_payload_id, r.action "
                       "FROM plan_rows r LEFT JOIN payloads a ON a.id = r.payload_id "
                       "LEFT JOIN payloads b ON b.id = r.before_payload_id "
                       "WHERE r.plan_id = ?1 AND r.seq > ?2 AND r.op = ?3 "
                       "AND (?5 IS NULL OR instr(lower(r.key), lower(?5)) > 0) "
                       "ORDER BY r.seq LIMIT ?4"));
    if (!s)
        return std::unexpected(s.error());
    s->bind(1, planId).bind(2, afterSeq).bind(3, diffOpName(op)).bind(4, qint64(limit));
    if (keyContains.isEmpty())
        s->bindNull(5);
    else
        s->bind(5, keyContains);
    std::vector<PlanRow> rows;
    for (;;) {
        auto more = s->step();
        if (!more)
            return std::unexpected(more.error());
        if (!*more)
            break;
        PlanRow row;
        row.op = op;
        row.seq = s->int64(0);
        row.key = std::string(s->textView(1));
        row.keyHash = static_cast<std::uint64_t>(s->int64(2));
        row.payload = std::string(s->textView(3));
        const QByteArray hash = s->blob(4);
        if (hash.size() == qsizetype(row.payloadHash.size()))
            std::memcpy(row.payloadHash.data(), hash.constData(), row.payloadHash.size());
        row.beforePayload = std::string(s->textView(5));
        row.destinationId = s->text(6);
        row.payloadId = s->isNull(7) ? 0 : s->int64(7);
        row.beforePayloadId = s->isNull(8) ? 0 : s->int64(8);
        if (!s->isNull(9)) {
            const QString action = s->text(9);
            for (connector::Operation candidate : {connector::Operation::Upsert, connector::Operation::Update,
                                                   connector::Operation::Insert, connector::Operation::Delete,
                                                   connector::Operation::Clear})
                if (connector::operationName(candidate) == action)
                    row.action = candidate;
        }
        rows.push_back(std::move(row));
    }
    return rows;
}

} // namespace syncline::engine::state
