#pragma once

#include "engine/definitions/definitions.h"
#include "engine/warehouse/column.h"
#include "engine/warehouse/rowbatch.h"

#include <QList>
#include <QString>
#include <QStringList>
#include <QVariantList>

#include <memory>
#include <vector>

namespace syncline::ui {

// What one mapping line sends for each sample row, rendered by the engine's own Mapper, so the
// preview is byte for byte the JSON value the destination receives ("\"Ada Lovelace\"", 42,
// true, null). A row the engine would refuse shows its reason instead.
struct FieldPreview
{
    QStringList values; // one per sample row: the JSON value, or the reason the row is invalid
    QList<bool> rowValid; // per sample row: false when `values` holds a reason
    QString error; // the line itself does not compile (bad template, cast, column)
};

// The first rows of the model's preview, held as a RowBatch the Mapper reads. Cells come as the
// preview table holds them: NULL = invalid QVariant, integers, doubles, booleans, text.
// Thread: a plain value; render() is used on the GUI thread (a handful of rows).
class MappingSamples
{
public:
    MappingSamples() = default;
    MappingSamples(const std::vector<engine::warehouse::Column> &columns, const QList<QVariantList> &rows);

    int rowCount() const { return int(m_rows.size()); }
    // The display text of column `name`'s sample values (NULL shows as an empty string).
    QStringList displayValues(const QString &column) const;
    FieldPreview render(const engine::MappingEntry &entry) const;

private:
    std::vector<engine::warehouse::Column> m_columns;
    QList<QVariantList> m_rows;
    std::shared_ptr<engine::warehouse::RowBatch> m_batch; // columns + a synthetic row-number key
};

} // namespace syncline::ui
