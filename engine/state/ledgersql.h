#pragma once
// SQL shared by the ledger's writers (LedgerStore, BatchLanding) and readers. The status column
// is a small integer per key (migration 0009), shown to users as a word: this header is the one
// place that maps codes to words, and statements spell codes through SYNCLINE_LEDGER_* literals.

#include <QString>

// SQL text of each code, for statements composed from literals ("status = " SYNCLINE_LEDGER_DELIVERED).
// 'delivered' is 0: SQLite stores 0 and 1 in the record header alone, so the usual row pays no byte.
#define SYNCLINE_LEDGER_DELIVERED "0"
#define SYNCLINE_LEDGER_REJECTED "1"
#define SYNCLINE_LEDGER_CLEARED "2"
#define SYNCLINE_LEDGER_PENDING "3"

// An accepting upsert's SET of source_hash (ON CONFLICT DO UPDATE, with `excluded` the accepted
// plan row's values): the ledger's source hash always describes its payload. The accepted row's
// hash when it has one; else the ledger's own, if the payload is the one it already holds (a
// resend in mode "all"); else unknown (NULL), so the next warehouse_hash plan fetches the key.
#define SYNCLINE_LEDGER_KEPT_SOURCE_HASH                                                                             \
    "CASE WHEN excluded.source_hash IS NOT NULL OR excluded.payload_id IS NOT payload_id "                            \
    "THEN excluded.source_hash ELSE source_hash END"

namespace syncline::engine::state {

enum class LedgerStatus { Delivered = 0, Rejected = 1, Cleared = 2, Pending = 3 };

// "delivered", "rejected", "cleared", "pending"; an unknown code (a newer workspace) reads "unknown (N)".
inline QString ledgerStatusName(qint64 code)
{
    switch (code) {
    case qint64(LedgerStatus::Delivered):
        return QStringLiteral("delivered");
    case qint64(LedgerStatus::Rejected):
        return QStringLiteral("rejected");
    case qint64(LedgerStatus::Cleared):
        return QStringLiteral("cleared");
    case qint64(LedgerStatus::Pending):
        return QStringLiteral("pending");
    }
    return QStringLiteral("unknown (%1)").arg(code);
}

} // namespace syncline::engine::state
