#include "connectors/googlesheets/keyindex.h"

#include "connectors/googlesheets/sheetcells.h"

#include <algorithm>

namespace syncline::connectors::googlesheets {

KeyIndex KeyIndex::fromColumn(const QJsonArray &cells, int firstRow)
{
    KeyIndex index;
    index.m_lastRow = firstRow - 1;
    for (qsizetype i = 0; i < cells.size(); ++i) {
        const QString key = keyText(cells.at(i));
        if (key.isEmpty())
            continue;
        index.add(key, firstRow + int(i));
    }
    return index;
}

const std::vector<int> *KeyIndex::rowsOf(const QString &key) const
{
    const auto found = m_rows.constFind(key);
    return found == m_rows.cend() ? nullptr : &found.value();
}

void KeyIndex::add(const QString &key, int row)
{
    m_rows[key].push_back(row);
    m_lastRow = std::max(m_lastRow, row);
}

void KeyIndex::removeRows(const std::vector<int> &rows)
{
    std::vector<int> sorted = rows;
    std::sort(sorted.begin(), sorted.end());
    sorted.erase(std::unique(sorted.begin(), sorted.end()), sorted.end());
    auto shift = [&](int row) { // rows deleted above `row`
        return int(std::lower_bound(sorted.begin(), sorted.end(), row) - sorted.begin());
    };
    for (auto it = m_rows.begin(); it != m_rows.end();) {
        std::vector<int> kept;
        for (int row : it.value()) {
            if (!std::binary_search(sorted.begin(), sorted.end(), row))
                kept.push_back(row - shift(row));
        }
        if (kept.empty()) {
            it = m_rows.erase(it);
        } else {
            it.value() = std::move(kept);
            ++it;
        }
    }
    m_lastRow -= shift(m_lastRow + 1);
}

} // namespace syncline::connectors::googlesheets
