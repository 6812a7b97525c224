#include "connectors/googlesheets/tablayout.h"

namespace syncline::connectors::googlesheets {

void TabLayout::indexHeader()
{
    columnOf.clear();
    for (int column = 0; column < header.size(); ++column) {
        const QString name = header.at(column).trimmed();
        if (!name.isEmpty() && !columnOf.contains(name))
            columnOf.insert(name, column);
    }
    keyColumn = columnOf.value(keyField, -1);
}

} // namespace syncline::connectors::googlesheets
