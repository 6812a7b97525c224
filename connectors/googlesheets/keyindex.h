#pragma once
// Where each key is in a tab: the rows (1-based) whose key cell holds it, read from the key column.
// The sheet itself is the state: nothing is kept between runs. A key on several rows (typed twice
// by a person) names all of them. Thread: a value.

#include <QHash>
#include <QJsonArray>
#include <QString>

#include <vector>

namespace syncline::connectors::googlesheets {

class KeyIndex
{
public:
    // `cells` is the key column from `firstRow` down, as values.get returns it (blank cells "").
    static KeyIndex fromColumn(const QJsonArray &cells, int firstRow);

    const std::vector<int> *rowsOf(const QString &key) const;
    bool contains(const QString &key) const { return m_rows.contains(key); }
    int lastRow() const { return m_lastRow; } // the last row with a key (the header row when none)
    qsizetype keyCount() const { return m_rows.size(); }

    void add(const QString &key, int row);
    // Rows deleted from the sheet: their keys go, and the rows below move up.
    void removeRows(const std::vector<int> &rows);

private:
    QHash<QString, std::vector<int>> m_rows;
    int m_lastRow = 1;
};

} // namespace syncline::connectors::googlesheets
