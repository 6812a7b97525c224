#pragma once
// The fake Google Sheets' memory: spreadsheets holding tabs, each a grid of cells with Google's
// limits (rowCount x columnCount), plus A1 ranges ('My tab'!B2:D, Tab!1:1, Tab!A:F) resolved
// against it. Cells hold text, numbers or booleans; an empty cell is null. Plain values; the
// fake's state locks around them.

#include <QJsonValue>
#include <QList>
#include <QString>

#include <optional>
#include <vector>

namespace syncline::testfakes::googlesheets {

struct Tab
{
    int sheetId = 0;
    QString title;
    int rowCount = 1000;
    int columnCount = 26;
    std::vector<std::vector<QJsonValue>> cells; // [row][column], may be shorter than the grid

    QJsonValue cell(int row, int column) const; // 0-based; null when empty or outside
    void setCell(int row, int column, const QJsonValue &value);
    int lastUsedRow() const; // 0-based index of the last row with a value, -1 when none
    void insertRows(int at, int count);
    void deleteRows(int start, int end); // [start, end)
};

struct Spreadsheet
{
    QString id;
    QString title = QStringLiteral("Fake spreadsheet");
    std::vector<Tab> tabs;
    int nextSheetId = 1;

    Tab *tab(const QString &title);
    Tab *tabById(int sheetId);
};

// A range resolved against a spreadsheet: 0-based, inclusive, bounded to the grid.
struct GridRange
{
    Tab *tab = nullptr;
    int firstRow = 0;
    int lastRow = 0;
    int firstColumn = 0;
    int lastColumn = 0;
    bool beyondGrid = false; // the range named cells outside rowCount x columnCount
};

QString columnLetters(int column);
QString a1(const Tab &tab, int firstRow, int firstColumn, int lastRow, int lastColumn); // 'Tab'!A1:C3
// Resolves "'Tab'!A1:C3" (and open forms) or fails with Google's words in `error`.
std::optional<GridRange> resolveRange(Spreadsheet &sheet, const QString &range, QString &error);

} // namespace syncline::testfakes::googlesheets
