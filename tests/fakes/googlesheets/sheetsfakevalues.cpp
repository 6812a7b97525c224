// The endpoints of the fake Google Sheets API (see sheetsfakestate.h): reads and atomic writes.
#include "tests/fakes/googlesheets/sheetsfakestate.h"

#include <QSet>

#include <cmath>

namespace syncline::testfakes::googlesheets {

namespace {

QString formatted(const QJsonValue &value)
{
    if (value.isBool())
        return value.toBool() ? QStringLiteral("TRUE") : QStringLiteral("FALSE");
    if (value.isDouble()) {
        const double number = value.toDouble();
        if (std::floor(number) == number && std::abs(number) < 1e15)
            return QString::number(qint64(number));
        return QString::number(number, 'g', 15);
    }
    return value.toString();
}

bool isEmpty(const QJsonValue &value)
{
    return value.isNull() || value.isUndefined() || (value.isString() && value.toString().isEmpty());
}

// The first key of `object` not in `allowed`, as Google names it in its 400.
QString unknownKey(const QJsonObject &object, const QSet<QString> &allowed)
{
    for (auto it = object.constBegin(); it != object.constEnd(); ++it) {
        if (!allowed.contains(it.key()))
            return it.key();
    }
    return {};
}

QJsonObject sheetProperties(const Tab &tab, int index)
{
    return QJsonObject { { QStringLiteral("sheetId"), tab.sheetId }, { QStringLiteral("title"), tab.title },
        { QStringLiteral("index"), index }, { QStringLiteral("sheetType"), QStringLiteral("GRID") },
        { QStringLiteral("gridProperties"),
            QJsonObject {
                { QStringLiteral("rowCount"), tab.rowCount }, { QStringLiteral("columnCount"), tab.columnCount } } } };
}

} // namespace

QJsonValue SheetsFakeState::inputValue(const QJsonValue &value, const QString &option) const
{
    if (value.isString() && value.toString().isEmpty())
        return QJsonValue(QJsonValue::Null); // "" empties the cell
    if (option == QLatin1String("USER_ENTERED") && value.isString()) {
        bool number = false;
        const double parsed = value.toString().toDouble(&number);
        if (number)
            return parsed;
    }
    return value;
}

FakeReply SheetsFakeState::getSpreadsheet(Spreadsheet &sheet, const QHash<QString, QString> &query)
{
    QJsonArray sheets;
    for (size_t i = 0; i < sheet.tabs.size(); ++i)
        sheets.append(QJsonObject { { QStringLiteral("properties"), sheetProperties(sheet.tabs[i], int(i)) } });
    if (query.value(QStringLiteral("fields")) == QLatin1String("sheets.properties"))
        return json(200, QJsonObject { { QStringLiteral("sheets"), sheets } });
    return json(200,
        QJsonObject { { QStringLiteral("spreadsheetId"), sheet.id },
            { QStringLiteral("properties"), QJsonObject { { QStringLiteral("title"), sheet.title } } },
            { QStringLiteral("sheets"), sheets } });
}

FakeReply SheetsFakeState::getValues(Spreadsheet &sheet, const QString &range, const QHash<QString, QString> &query)
{
    QString why;
    auto resolved = resolveRange(sheet, range, why);
    if (!resolved)
        return error(400, QStringLiteral("INVALID_ARGUMENT"), why);
    const Tab &tab = *resolved->tab;
    const int lastRow = std::min(resolved->lastRow, tab.rowCount - 1);
    const int lastColumn = std::min(resolved->lastColumn, tab.columnCount - 1);
    const bool columns = query.value(QStringLiteral("majorDimension")) == QLatin1String("COLUMNS");
    const bool unformatted = query.value(QStringLiteral("valueRenderOption")) == QLatin1String("UNFORMATTED_VALUE");
    auto render = [&](const QJsonValue &value) -> QJsonValue {
        if (isEmpty(value))
            return QString(QLatin1String(""));
        return unformatted ? value : QJsonValue(formatted(value));
    };
    // Major lines (rows, or columns), each without trailing blanks; trailing blank lines dropped.
    QJsonArray lines;
    const int majorFirst = columns ? resolved->firstColumn : resolved->firstRow;
    const int majorLast = columns ? lastColumn : lastRow;
    const int minorFirst = columns ? resolved->firstRow : resolved->firstColumn;
    const int minorLast = columns ? lastRow : lastColumn;
    int lastNonEmptyLine = -1;
    for (int major = majorFirst; major <= majorLast; ++major) {
        QJsonArray line;
        int lastValue = -1;
        for (int minor = minorFirst; minor <= minorLast; ++minor) {
            const QJsonValue value = columns ? tab.cell(minor, major) : tab.cell(major, minor);
            if (!isEmpty(value))
                lastValue = minor - minorFirst;
            line.append(render(value));
        }
        while (line.size() > lastValue + 1)
            line.removeLast();
        if (!line.isEmpty())
            lastNonEmptyLine = int(lines.size());
        lines.append(line);
        if (major - majorFirst > lastNonEmptyLine + 20000)
            break; // nothing further down but blanks (the grid is large)
    }
    while (lines.size() > lastNonEmptyLine + 1)
        lines.removeLast();
    QJsonObject body { { QStringLiteral("range"),
                           a1(tab, resolved->firstRow, resolved->firstColumn, lastRow, lastColumn) },
        { QStringLiteral("majorDimension"), columns ? QStringLiteral("COLUMNS") : QStringLiteral("ROWS") } };
    if (!lines.isEmpty())
        body.insert(QStringLiteral("values"), lines);
    return json(200, body);
}

FakeReply SheetsFakeState::batchUpdateValues(Spreadsheet &sheet, const QJsonObject &body)
{
    const QString unknown = unknownKey(body,
        { QStringLiteral("valueInputOption"), QStringLiteral("data"), QStringLiteral("includeValuesInResponse"),
            QStringLiteral("responseValueRenderOption"), QStringLiteral("responseDateTimeRenderOption") });
    if (!unknown.isEmpty())
        return error(400, QStringLiteral("INVALID_ARGUMENT"),
            QStringLiteral("Invalid JSON payload received. Unknown name \"%1\": Cannot find field.").arg(unknown));
    const QString option = body.value(QStringLiteral("valueInputOption")).toString();
    if (option != QLatin1String("RAW") && option != QLatin1String("USER_ENTERED"))
        return error(400, QStringLiteral("INVALID_ARGUMENT"),
            QStringLiteral("Invalid valueInputOption: INPUT_VALUE_OPTION_UNSPECIFIED"));
    struct Write
    {
        GridRange range;
        QJsonArray values;
    };
    std::vector<Write> writes;
    const QJsonArray data = body.value(QStringLiteral("data")).toArray();
    for (int i = 0; i < data.size(); ++i) {
        const QJsonObject item = data.at(i).toObject();
        QString why;
        auto range = resolveRange(sheet, item.value(QStringLiteral("range")).toString(), why);
        if (!range)
            return error(400, QStringLiteral("INVALID_ARGUMENT"), why);
        const QJsonArray values = item.value(QStringLiteral("values")).toArray();
        const Tab &tab = *range->tab;
        for (int r = 0; r < values.size(); ++r) {
            const QJsonArray row = values.at(r).toArray();
            if (range->firstRow + r > range->lastRow)
                return error(400, QStringLiteral("INVALID_ARGUMENT"),
                    QStringLiteral("Requested writing within range [%1], but tried writing to row [%2]")
                        .arg(item.value(QStringLiteral("range")).toString())
                        .arg(range->firstRow + r + 1));
            if (range->firstColumn + int(row.size()) - 1 > range->lastColumn)
                return error(400, QStringLiteral("INVALID_ARGUMENT"),
                    QStringLiteral("Requested writing within range [%1], but tried writing to column [%2]")
                        .arg(item.value(QStringLiteral("range")).toString(),
                            columnLetters(range->firstColumn + int(row.size()) - 1)));
            if (range->firstRow + r >= tab.rowCount || range->firstColumn + int(row.size()) > tab.columnCount)
                return error(400, QStringLiteral("INVALID_ARGUMENT"),
                    QStringLiteral("Range (%1) exceeds grid limits. Max rows: %2, max columns: %3")
                        .arg(item.value(QStringLiteral("range")).toString())
                        .arg(tab.rowCount)
                        .arg(tab.columnCount));
            for (int c = 0; c < row.size(); ++c) {
                if (m_config.rejectValues.contains(formatted(row.at(c))))
                    return error(400, QStringLiteral("INVALID_ARGUMENT"),
                        QStringLiteral("Invalid value at 'data[%1].values[%2]' (%3)")
                            .arg(i)
                            .arg(r)
                            .arg(formatted(row.at(c))));
            }
        }
        writes.push_back(Write { *range, values });
    }
    // Every range checked: now applied, all of them.
    QJsonArray responses;
    int totalCells = 0;
    int totalRows = 0;
    QSet<int> sheets;
    for (const Write &write : writes) {
        int cells = 0;
        int width = 0;
        for (int r = 0; r < write.values.size(); ++r) {
            const QJsonArray row = write.values.at(r).toArray();
            width = std::max(width, int(row.size()));
            for (int c = 0; c < row.size(); ++c) {
                if (row.at(c).isNull())
                    continue; // null leaves the cell as it is
                write.range.tab->setCell(
                    write.range.firstRow + r, write.range.firstColumn + c, inputValue(row.at(c), option));
                ++cells;
            }
        }
        totalCells += cells;
        totalRows += int(write.values.size());
        sheets.insert(write.range.tab->sheetId);
        responses.append(QJsonObject { { QStringLiteral("spreadsheetId"), sheet.id },
            { QStringLiteral("updatedRange"),
                a1(*write.range.tab, write.range.firstRow, write.range.firstColumn,
                    write.range.firstRow + std::max(0, int(write.values.size()) - 1),
                    write.range.firstColumn + std::max(0, width - 1)) },
            { QStringLiteral("updatedRows"), int(write.values.size()) }, { QStringLiteral("updatedColumns"), width },
            { QStringLiteral("updatedCells"), cells } });
    }
    return json(200,
        QJsonObject { { QStringLiteral("spreadsheetId"), sheet.id }, { QStringLiteral("totalUpdatedRows"), totalRows },
            { QStringLiteral("totalUpdatedCells"), totalCells },
            { QStringLiteral("totalUpdatedSheets"), int(sheets.size()) }, { QStringLiteral("responses"), responses } });
}

FakeReply SheetsFakeState::appendValues(
    Spreadsheet &sheet, const QString &rangeText, const QHash<QString, QString> &query, const QJsonObject &body)
{
    const QString unknown
        = unknownKey(body, { QStringLiteral("range"), QStringLiteral("majorDimension"), QStringLiteral("values") });
    if (!unknown.isEmpty())
        return error(400, QStringLiteral("INVALID_ARGUMENT"),
            QStringLiteral("Invalid JSON payload received. Unknown name \"%1\": Cannot find field.").arg(unknown));
    const QString option = query.value(QStringLiteral("valueInputOption"));
    if (option != QLatin1String("RAW") && option != QLatin1String("USER_ENTERED"))
        return error(400, QStringLiteral("INVALID_ARGUMENT"),
            QStringLiteral("'valueInputOption' is required but not specified"));
    QString why;
    auto range = resolveRange(sheet, rangeText, why);
    if (!range)
        return error(400, QStringLiteral("INVALID_ARGUMENT"), why);
    Tab &tab = *range->tab;
    const QJsonArray values = body.value(QStringLiteral("values")).toArray();
    int width = 0;
    for (const QJsonValue &row : values) {
        width = std::max(width, int(row.toArray().size()));
        for (const QJsonValue &cell : row.toArray()) {
            if (m_config.rejectValues.contains(formatted(cell)))
                return error(400, QStringLiteral("INVALID_ARGUMENT"),
                    QStringLiteral("Invalid value at 'data.values' (%1)").arg(formatted(cell)));
        }
    }
    if (range->firstColumn + width > tab.columnCount)
        return error(400, QStringLiteral("INVALID_ARGUMENT"),
            QStringLiteral("Range (%1) exceeds grid limits. Max rows: %2, max columns: %3")
                .arg(rangeText)
                .arg(tab.rowCount)
                .arg(tab.columnCount));
    // The table is the block of used rows; the values go after its last row.
    const int tableEnd = tab.lastUsedRow();
    const int start = tableEnd + 1;
    const int count = int(values.size());
    if (query.value(QStringLiteral("insertDataOption")) == QLatin1String("INSERT_ROWS"))
        tab.insertRows(start, count);
    else if (start + count > tab.rowCount)
        tab.rowCount = start + count;
    for (int r = 0; r < count; ++r) {
        const QJsonArray row = values.at(r).toArray();
        for (int c = 0; c < row.size(); ++c) {
            if (!row.at(c).isNull())
                tab.setCell(start + r, range->firstColumn + c, inputValue(row.at(c), option));
        }
    }
    m_counters.rowsAppended += count;
    QJsonObject result { { QStringLiteral("spreadsheetId"), sheet.id },
        { QStringLiteral("updates"),
            QJsonObject { { QStringLiteral("spreadsheetId"), sheet.id },
                { QStringLiteral("updatedRange"),
                    a1(tab, start, range->firstColumn, start + std::max(0, count - 1),
                        range->firstColumn + std::max(0, width - 1)) },
                { QStringLiteral("updatedRows"), count }, { QStringLiteral("updatedColumns"), width },
                { QStringLiteral("updatedCells"), count * width } } } };
    if (tableEnd >= 0)
        result.insert(QStringLiteral("tableRange"),
            a1(tab, 0, range->firstColumn, tableEnd, range->firstColumn + std::max(0, width - 1)));
    return json(200, result);
}

FakeReply SheetsFakeState::batchClear(Spreadsheet &sheet, const QJsonObject &body)
{
    const QString unknown = unknownKey(body, { QStringLiteral("ranges") });
    if (!unknown.isEmpty())
        return error(400, QStringLiteral("INVALID_ARGUMENT"),
            QStringLiteral("Invalid JSON payload received. Unknown name \"%1\": Cannot find field.").arg(unknown));
    std::vector<GridRange> ranges;
    for (const QJsonValue &text : body.value(QStringLiteral("ranges")).toArray()) {
        QString why;
        auto range = resolveRange(sheet, text.toString(), why);
        if (!range)
            return error(400, QStringLiteral("INVALID_ARGUMENT"), why);
        ranges.push_back(*range);
    }
    QJsonArray cleared;
    for (const GridRange &range : ranges) {
        const int lastRow = std::min(range.lastRow, range.tab->rowCount - 1);
        const int lastColumn = std::min(range.lastColumn, range.tab->columnCount - 1);
        for (int r = range.firstRow; r <= lastRow && r < int(range.tab->cells.size()); ++r) {
            for (int c = range.firstColumn; c <= lastColumn; ++c) {
                if (!range.tab->cell(r, c).isNull())
                    range.tab->setCell(r, c, QJsonValue(QJsonValue::Null));
            }
        }
        cleared.append(a1(*range.tab, range.firstRow, range.firstColumn, lastRow, lastColumn));
    }
    return json(200,
        QJsonObject { { QStringLiteral("spreadsheetId"), sheet.id }, { QStringLiteral("clearedRanges"), cleared } });
}

FakeReply SheetsFakeState::batchUpdate(Spreadsheet &sheet, const QJsonObject &body)
{
    const QString unknown = unknownKey(body,
        { QStringLiteral("requests"), QStringLiteral("includeSpreadsheetInResponse"), QStringLiteral("responseRanges"),
            QStringLiteral("responseIncludeGridData") });
    if (!unknown.isEmpty())
        return error(400, QStringLiteral("INVALID_ARGUMENT"),
            QStringLiteral("Invalid JSON payload received. Unknown name \"%1\": Cannot find field.").arg(unknown));
    Spreadsheet copy = sheet; // applied to a copy, kept only when every request succeeds
    QJsonArray replies;
    const QJsonArray requests = body.value(QStringLiteral("requests")).toArray();
    qint64 deleted = 0;
    for (int i = 0; i < requests.size(); ++i) {
        const QJsonObject request = requests.at(i).toObject();
        if (request.size() != 1)
            return error(400, QStringLiteral("INVALID_ARGUMENT"),
                QStringLiteral("Invalid requests[%1]: exactly one kind of request").arg(i));
        const QString kind = request.constBegin().key();
        const QJsonObject detail = request.constBegin().value().toObject();
        if (kind == QLatin1String("deleteDimension")) {
            const QJsonObject range = detail.value(QStringLiteral("range")).toObject();
            Tab *tab = copy.tabById(range.value(QStringLiteral("sheetId")).toInt(-1));
            if (!tab)
                return error(400, QStringLiteral("INVALID_ARGUMENT"),
                    QStringLiteral("Invalid requests[%1].deleteDimension: No grid with id: %2")
                        .arg(i)
                        .arg(range.value(QStringLiteral("sheetId")).toInt(-1)));
            if (range.value(QStringLiteral("dimension")).toString() != QLatin1String("ROWS"))
                return error(400, QStringLiteral("INVALID_ARGUMENT"), QStringLiteral("The fake deletes ROWS only"));
            const int start = range.value(QStringLiteral("startIndex")).toInt(-1);
            const int end = range.value(QStringLiteral("endIndex")).toInt(-1);
            if (start < 0 || end <= start || end > tab->rowCount)
                return error(400, QStringLiteral("INVALID_ARGUMENT"),
                    QStringLiteral(
                        "Invalid requests[%1].deleteDimension: Cannot delete rows [%2, %3) of a grid with %4 rows")
                        .arg(i)
                        .arg(start)
                        .arg(end)
                        .arg(tab->rowCount));
            if (end - start >= tab->rowCount)
                return error(400, QStringLiteral("INVALID_ARGUMENT"),
                    QStringLiteral("Invalid requests[%1].deleteDimension: You can't delete all the rows on the sheet.")
                        .arg(i));
            tab->deleteRows(start, end);
            deleted += end - start;
            replies.append(QJsonObject {});
        } else if (kind == QLatin1String("addSheet")) {
            const QJsonObject properties = detail.value(QStringLiteral("properties")).toObject();
            const QString title = properties.value(QStringLiteral("title")).toString();
            if (title.isEmpty() || copy.tab(title))
                return error(400, QStringLiteral("INVALID_ARGUMENT"),
                    QStringLiteral("Invalid requests[%1].addSheet: A sheet with the name \"%2\" already exists. Please "
                                   "enter another name.")
                        .arg(i)
                        .arg(title));
            Tab tab;
            tab.sheetId = copy.nextSheetId++ * 1000 + 7;
            tab.title = title;
            copy.tabs.push_back(tab);
            replies.append(QJsonObject { { QStringLiteral("addSheet"),
                QJsonObject { { QStringLiteral("properties"), sheetProperties(tab, int(copy.tabs.size()) - 1) } } } });
        } else {
            return error(400, QStringLiteral("INVALID_ARGUMENT"),
                QStringLiteral("The fake does not serve requests[%1].%2").arg(i).arg(kind));
        }
    }
    sheet = std::move(copy);
    m_counters.rowsDeleted += deleted;
    return json(
        200, QJsonObject { { QStringLiteral("spreadsheetId"), sheet.id }, { QStringLiteral("replies"), replies } });
}

} // namespace syncline::testfakes::googlesheets
