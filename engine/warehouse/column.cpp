#include "engine/warehouse/column.h"

namespace syncline::engine::warehouse {

QString columnKindName(ColumnKind kind)
{
    switch (kind) {
    case ColumnKind::Integer: return QStringLiteral("integer");
    case ColumnKind::Real: return QStringLiteral("real");
    case ColumnKind::Decimal: return QStringLiteral("decimal");
    case ColumnKind::Boolean: return QStringLiteral("boolean");
    case ColumnKind::Date: return QStringLiteral("date");
    case ColumnKind::Time: return QStringLiteral("time");
    case ColumnKind::Timestamp: return QStringLiteral("timestamp");
    case ColumnKind::TimestampTz: return QStringLiteral("timestamptz");
    case ColumnKind::Text: return QStringLiteral("text");
    case ColumnKind::Binary: return QStringLiteral("binary");
    }
    return QStringLiteral("unknown");
}

} // namespace syncline::engine::warehouse
