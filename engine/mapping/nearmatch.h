#pragma once
// "Did you mean ...?" suggestions for misspelt column and field names.

#include <QString>
#include <QStringList>

namespace syncline::engine::mapping {

// Up to `limit` candidates close to `name` (same letters ignoring case, a containing name,
// or a small edit distance), closest first.
QStringList nearMatches(const QString &name, const QStringList &candidates, int limit = 3);

} // namespace syncline::engine::mapping
