#pragma once

#include <QList>
#include <QPair>
#include <QString>
#include <QStringList>

namespace syncline::ui {

// Pairs model columns with destination fields by name, in three passes: exact, then ignoring
// case and the separators _ - and space, then common synonyms (email / email_address,
// zip / postal_code, ...). Each column and each field is used at most once; `takenFields`
// (already mapped) and `takenColumns` are skipped. Pure function, any thread.
struct AutoMapMatch
{
    QString column;
    QString field;
    enum class How { Exact, Loose, Synonym } how = How::Exact;
};

QList<AutoMapMatch> autoMapByName(const QStringList &columns, const QStringList &fields,
    const QStringList &takenColumns = {}, const QStringList &takenFields = {});

// "First-Name" -> "firstname": lower case without _ - . or spaces.
QString looseName(const QString &name);
// The synonym group `name` belongs to (by its loose form), or an empty string.
QString synonymGroup(const QString &name);

} // namespace syncline::ui
