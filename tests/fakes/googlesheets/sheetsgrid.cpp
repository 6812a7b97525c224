#include "tests/fakes/googlesheets/sheetsgrid.h"

#include <QRegularExpression>

#include <algorithm>

namespace syncline::testfakes::googlesheets {

QJsonValue Tab::cell(int row, int column) const
{
    if (row < 0 || row >= int(cells.size()) || column < 0 || column >= int(cells[size_t(row)].size()))
        return QJsonValue(QJsonValue::Null);
    return cells[size_t(row)][size_t(column)];
}

void Tab::setCell(int row, int column, const QJsonValue &value)
{
    if (int(cells.size()) <= row)
        cells.resize(size_t(row) + 1);
    auto &line = cells[size_t(row)];
    if (int(line.size()) <= column)
        line.resize(size_t(column) + 1, QJsonValue(QJsonValue::Null));
    line[size_t(column)] = value;
}

int Tab::lastUsedRow() const
{
    for (int row = int(cells.size()) - 1; row >= 0; --row) {
        for (const QJsonValue &value : cells[size_t(row)]) {
            if (!value.isNull() && !(value.isString() && value.toString().isEmpty()))
                return row;
        }
    }
    return -1;
}

void Tab::insertRows(int at, int count)
{
    if (int(cells.size()) > at)
        cells.insert(cells.begin() + at, size_t(count), std::vector<QJsonValue> {});
    rowCount += count;
}

void Tab::deleteRows(int start, int end)
{
    const int stored = int(cells.size());
    if (start < stored)
        cells.erase(cells.begin() + start, cells.begin() + std::min(end, stored));
    rowCount -= end - start;
}

Tab *Spreadsheet::tab(const QString &title)
{
    for (Tab &tab : tabs) {
        if (tab.title == title)
            return &tab;
    }
    return nullptr;
}

Tab *Spreadsheet::tabById(int sheetId)
{
    for (Tab &tab : tabs) {
        if (tab.sheetId == sheetId)
            return &tab;
    }
    return nullptr;
}

QString columnLetters(int column)
{
    QString letters;
    for (int n = column + 1; n > 0; n = (n - 1) / 26)
        letters.prepend(QChar(u'A' + (n - 1) % 26));
    return letters;
}

QString a1(const Tab &tab, int firstRow, int firstColumn, int lastRow, int lastColumn)
{
    QString title = tab.title;
    title.replace(QLatin1Char('\''), QStringLiteral("''"));
    return QLatin1Char('\'') + title + QStringLiteral("'!") + columnLetters(firstColumn) + QString::number(firstRow + 1)
        + QLatin1Char(':') + columnLetters(lastColumn) + QString::number(lastRow + 1);
}

namespace {

int columnIndex(const QString &letters)
{
    int value = 0;
    for (QChar c : letters)
        value = value * 26 + (c.toUpper().unicode() - u'A' + 1);
    return value - 1;
}

} // namespace

std::optional<GridRange> resolveRange(Spreadsheet &sheet, const QString &range, QString &error)
{
    QString title;
    QString cells;
    if (range.startsWith(QLatin1Char('\''))) {
        int i = 1;
        for (; i < range.size(); ++i) {
            if (range.at(i) == QLatin1Char('\'')) {
                if (i + 1 < range.size() && range.at(i + 1) == QLatin1Char('\'')) {
                    title += QLatin1Char('\'');
                    ++i;
                    continue;
                }
                break;
            }
            title += range.at(i);
        }
        if (i >= range.size()) {
            error = QStringLiteral("Unable to parse range: %1").arg(range);
            return std::nullopt;
        }
        const QString rest = range.mid(i + 1);
        if (!rest.isEmpty() && !rest.startsWith(QLatin1Char('!'))) {
            error = QStringLiteral("Unable to parse range: %1").arg(range);
            return std::nullopt;
        }
        cells = rest.mid(1);
    } else {
        const qsizetype bang = range.indexOf(QLatin1Char('!'));
        title = bang < 0 ? range : range.left(bang);
        cells = bang < 0 ? QString() : range.mid(bang + 1);
    }
    GridRange resolved;
    resolved.tab = sheet.tab(title);
    if (!resolved.tab) {
        error = QStringLiteral("Unable to parse range: %1").arg(range);
        return std::nullopt;
    }
    const Tab &tab = *resolved.tab;
    resolved.firstRow = 0;
    resolved.lastRow = tab.rowCount - 1;
    resolved.firstColumn = 0;
    resolved.lastColumn = tab.columnCount - 1;
    if (cells.isEmpty())
        return resolved;
    static const QRegularExpression pattern(QStringLiteral("^([A-Za-z]*)(\\d*)(?::([A-Za-z]*)(\\d*))?$"));
    const QRegularExpressionMatch match = pattern.match(cells);
    if (!match.hasMatch() || (match.captured(1).isEmpty() && match.captured(2).isEmpty())) {
        error = QStringLiteral("Unable to parse range: %1").arg(range);
        return std::nullopt;
    }
    const bool twoParts = !match.captured(3).isEmpty() || !match.captured(4).isEmpty();
    if (!match.captured(1).isEmpty())
        resolved.firstColumn = columnIndex(match.captured(1));
    if (!match.captured(2).isEmpty())
        resolved.firstRow = match.captured(2).toInt() - 1;
    if (twoParts) {
        if (!match.captured(3).isEmpty())
            resolved.lastColumn = columnIndex(match.captured(3));
        if (!match.captured(4).isEmpty())
            resolved.lastRow = match.captured(4).toInt() - 1;
    } else {
        // One cell ("B2"), or a whole row ("2") or column ("B").
        if (!match.captured(1).isEmpty())
            resolved.lastColumn = resolved.firstColumn;
        if (!match.captured(2).isEmpty())
            resolved.lastRow = resolved.firstRow;
    }
    if (resolved.firstRow < 0 || resolved.lastRow < resolved.firstRow || resolved.lastColumn < resolved.firstColumn) {
        error = QStringLiteral("Unable to parse range: %1").arg(range);
        return std::nullopt;
    }
    resolved.beyondGrid = resolved.lastRow >= tab.rowCount || resolved.lastColumn >= tab.columnCount;
    return resolved;
}

} // namespace syncline::testfakes::googlesheets
