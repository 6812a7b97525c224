#pragma once
// How `syncline-cli query` writes rows: aligned table, CSV (RFC 4180), JSON lines, or nothing.
// Writers append UTF-8 to a byte buffer the command flushes per batch.

#include "engine/warehouse/rowbatch.h"

#include <QByteArray>

#include <memory>
#include <vector>

namespace syncline::cli {

class QueryOutput
{
public:
    virtual ~QueryOutput() = default;
    virtual void begin(const std::vector<engine::warehouse::Column> &columns, QByteArray &out) = 0;
    virtual void rows(const engine::warehouse::RowBatch &batch, QByteArray &out) = 0;
    virtual void end(qint64 rowCount, QByteArray &out) = 0;
};

// "table", "csv", "jsonl" or "none"; nullptr for anything else.
std::unique_ptr<QueryOutput> makeQueryOutput(const QString &format);

} // namespace syncline::cli
