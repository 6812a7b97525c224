#pragma once
// What the connector knows about the tab it writes: its title and sheetId, the header row (row 1)
// and which column each field and the key are in. Read at beginRun; a value.

#include <QHash>
#include <QString>
#include <QStringList>

namespace syncline::connectors::googlesheets {

struct TabLayout
{
    QString title;
    int sheetId = 0;
    int columnCount = 26;
    QStringList header; // row 1 as written (blank cells as "")
    QHash<QString, int> columnOf; // field name -> column (0-based); the first of duplicate names
    QString keyField;
    int keyColumn = -1;

    // Builds columnOf from `header` (trimmed names; blank cells ignored).
    void indexHeader();
};

} // namespace syncline::connectors::googlesheets
