#include "ui/syncs/mappingpreview.h"

#include "engine/connector/connector.h"
#include "engine/mapping/jsonwriter.h"
#include "engine/mapping/mapper.h"
#include "engine/warehouse/rowbatchbuilder.h"

namespace syncline::ui {

using engine::warehouse::Column;
using engine::warehouse::ColumnKind;
using engine::warehouse::RowBatchBuilder;

namespace {

// A key column of our own, so a NULL in the model's key never hides a field's preview.
const QString kRowColumn = QStringLiteral("__syncline_preview_row");

RowBatchBuilder::Cell toCell(const QVariant &value, ColumnKind kind)
{
    if (!value.isValid() || value.isNull())
        return std::monostate {};
    switch (kind) {
    case ColumnKind::Integer:
        return std::int64_t(value.toLongLong());
    case ColumnKind::Real:
        return value.toDouble();
    case ColumnKind::Boolean:
        return value.toBool();
    case ColumnKind::Binary: {
        // The preview shows bytes as "\\x<hex>" (RowBatch::displayText): back to the bytes the engine reads.
        const QString text = value.toString();
        if (text.startsWith(QStringLiteral("\\x")))
            return QByteArray::fromHex(text.mid(2).toLatin1()).toStdString();
        return text.toStdString();
    }
    default:
        return value.toString().toStdString();
    }
}

} // namespace

MappingSamples::MappingSamples(const std::vector<Column> &columns, const QList<QVariantList> &rows)
    : m_columns(columns)
    , m_rows(rows)
{
    std::vector<Column> withKey = columns;
    withKey.push_back(RowBatchBuilder::column(kRowColumn, ColumnKind::Integer));
    RowBatchBuilder builder(withKey);
    for (qsizetype r = 0; r < rows.size(); ++r) {
        std::vector<RowBatchBuilder::Cell> cells;
        cells.reserve(withKey.size());
        for (size_t c = 0; c < columns.size(); ++c) {
            const QVariant value = rows[r].value(qsizetype(c));
            cells.push_back(toCell(value, columns[c].kind));
        }
        cells.emplace_back(std::in_place_type<std::int64_t>, std::int64_t(r));
        builder.addRow(std::move(cells));
    }
    m_batch = std::make_shared<engine::warehouse::RowBatch>(builder.build());
}

QStringList MappingSamples::displayValues(const QString &column) const
{
    QStringList out;
    for (size_t c = 0; c < m_columns.size(); ++c) {
        if (m_columns[c].name != column)
            continue;
        for (int r = 0; r < m_batch->rowCount(); ++r)
            out << m_batch->displayText(r, int(c));
    }
    return out;
}

FieldPreview MappingSamples::render(const engine::MappingEntry &entry) const
{
    FieldPreview preview;
    if (!m_batch || m_columns.empty())
        return preview;
    engine::SyncDef sync;
    sync.name = QStringLiteral("preview");
    sync.mapping = { entry };
    engine::connector::ObjectSpec anyObject;
    anyObject.acceptsAnyField = true;
    auto compiled = engine::mapping::Mapper::compile(sync, m_batch->columns(), { kRowColumn }, anyObject);
    if (!compiled) {
        QStringList lines = compiled.error().message.split(QLatin1Char('\n'));
        preview.error = lines.size() > 1 ? lines.mid(1).join(QLatin1Char('\n')) : lines.value(0);
        return preview;
    }
    // The payload is {"field":VALUE}: strip the known prefix and the closing brace.
    std::string prefix = "{";
    engine::mapping::json::appendString(prefix, entry.field.toStdString());
    prefix.push_back(':');
    engine::mapping::Mapper &mapper = *compiled;
    engine::mapping::MappedRow row;
    for (int r = 0; r < m_batch->rowCount(); ++r) {
        QString reason;
        if (!mapper.map(*m_batch, r, row, &reason)) {
            preview.values << reason;
            preview.rowValid << false;
            continue;
        }
        const std::string &payload = row.payload;
        const std::string value = payload.size() > prefix.size() && payload.starts_with(prefix)
            ? payload.substr(prefix.size(), payload.size() - prefix.size() - 1)
            : payload;
        preview.values << QString::fromStdString(value);
        preview.rowValid << true;
    }
    return preview;
}

} // namespace syncline::ui
