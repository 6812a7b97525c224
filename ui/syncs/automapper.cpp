#include "ui/syncs/automapper.h"

#include <QHash>
#include <QSet>

#include <functional>

namespace syncline::ui {

namespace {

// Loose names of words that mean the same field. The first entry names the group.
const QList<QStringList> &synonymTable()
{
    static const QList<QStringList> table = {
        { QStringLiteral("email"), QStringLiteral("emailaddress"), QStringLiteral("mail"), QStringLiteral("emailaddr"),
            QStringLiteral("useremail"), QStringLiteral("contactemail") },
        { QStringLiteral("firstname"), QStringLiteral("givenname"), QStringLiteral("forename"),
            QStringLiteral("fname") },
        { QStringLiteral("lastname"), QStringLiteral("surname"), QStringLiteral("familyname"),
            QStringLiteral("lname") },
        { QStringLiteral("fullname"), QStringLiteral("name"), QStringLiteral("displayname"),
            QStringLiteral("contactname") },
        { QStringLiteral("phone"), QStringLiteral("phonenumber"), QStringLiteral("mobile"),
            QStringLiteral("mobilephone"), QStringLiteral("telephone"), QStringLiteral("tel"),
            QStringLiteral("cellphone") },
        { QStringLiteral("company"), QStringLiteral("companyname"), QStringLiteral("organisation"),
            QStringLiteral("organization"), QStringLiteral("org"), QStringLiteral("account"),
            QStringLiteral("accountname") },
        { QStringLiteral("zip"), QStringLiteral("zipcode"), QStringLiteral("postalcode"), QStringLiteral("postcode") },
        { QStringLiteral("country"), QStringLiteral("countrycode"), QStringLiteral("countryiso") },
        { QStringLiteral("id"), QStringLiteral("externalid"), QStringLiteral("customerid"), QStringLiteral("userid"),
            QStringLiteral("recordid") },
        { QStringLiteral("city"), QStringLiteral("town"), QStringLiteral("locality") },
        { QStringLiteral("state"), QStringLiteral("region"), QStringLiteral("province") },
        { QStringLiteral("street"), QStringLiteral("address"), QStringLiteral("streetaddress"),
            QStringLiteral("address1") },
        { QStringLiteral("website"), QStringLiteral("url"), QStringLiteral("homepage"), QStringLiteral("domain") },
        { QStringLiteral("jobtitle"), QStringLiteral("title"), QStringLiteral("position"), QStringLiteral("role") },
        { QStringLiteral("createdat"), QStringLiteral("created"), QStringLiteral("signupdate"),
            QStringLiteral("signedupat"), QStringLiteral("createdate") },
        { QStringLiteral("updatedat"), QStringLiteral("updated"), QStringLiteral("modifiedat"),
            QStringLiteral("lastmodified") },
    };
    return table;
}

} // namespace

QString looseName(const QString &name)
{
    QString out;
    out.reserve(name.size());
    for (const QChar c : name) {
        if (c == QLatin1Char('_') || c == QLatin1Char('-') || c == QLatin1Char('.') || c.isSpace())
            continue;
        out += c.toLower();
    }
    return out;
}

QString synonymGroup(const QString &name)
{
    static const QHash<QString, QString> groups = [] {
        QHash<QString, QString> map;
        for (const QStringList &group : synonymTable()) {
            for (const QString &word : group)
                map.insert(word, group.first());
        }
        return map;
    }();
    return groups.value(looseName(name));
}

QList<AutoMapMatch> autoMapByName(const QStringList &columns, const QStringList &fields,
    const QStringList &takenColumns, const QStringList &takenFields)
{
    QSet<QString> usedColumns(takenColumns.begin(), takenColumns.end());
    QSet<QString> usedFields(takenFields.begin(), takenFields.end());
    QList<AutoMapMatch> matches;

    // One pass: for each free field (in the destination's order), the first free column whose key
    // equals the field's key. Keys that come out empty never match.
    const auto pass = [&](AutoMapMatch::How how, const std::function<QString(const QString &)> &key) {
        for (const QString &field : fields) {
            if (usedFields.contains(field))
                continue;
            const QString fieldKey = key(field);
            if (fieldKey.isEmpty())
                continue;
            for (const QString &column : columns) {
                if (usedColumns.contains(column) || key(column) != fieldKey)
                    continue;
                matches.append({ column, field, how });
                usedColumns.insert(column);
                usedFields.insert(field);
                break;
            }
        }
    };
    pass(AutoMapMatch::How::Exact, [](const QString &name) { return name; });
    pass(AutoMapMatch::How::Loose, looseName);
    pass(AutoMapMatch::How::Synonym, synonymGroup);
    return matches;
}

} // namespace syncline::ui
