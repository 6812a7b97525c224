#pragma once

#include <QList>
#include <QMap>
#include <QString>
#include <QStringList>

#include <optional>
#include <vector>

namespace syncline::ui {

// One field of a driver's connection form; `keyword` is the ODBC connection-string key.
struct DriverField
{
    enum class Type { Text, Number, File };
    QString keyword;
    QString label;
    QString defaultValue;
    QString placeholder;
    Type type = Type::Text;
    bool required = true;
};

// A common warehouse and how its ODBC driver wants the connection string. The connection
// dialog draws its form from this table; adding a warehouse is adding a row.
struct DriverKind
{
    QString id;                     // "postgresql"
    QString title;                  // "PostgreSQL"
    QStringList driverPatterns;     // lower-case substrings of installed driver names
    QString suggestedDriver;        // the usual driver name when none is installed
    QString installHint;            // how to install the driver
    std::vector<DriverField> fields;
    QMap<QString, QString> fixed;   // keywords always set, e.g. SSL=1
    bool usesPassword = true;
    QString passwordLabel;          // "Password", "Personal access token"
};

const std::vector<DriverKind> &driverKinds();
const DriverKind *driverKind(const QString &id);
// The installed driver that best matches `kind`, or an empty string.
QString matchingDriver(const DriverKind &kind, const QStringList &installedDrivers);
// The kind whose patterns match `driverName`, if any.
const DriverKind *kindForDriver(const QString &driverName);

// "Driver={name};Server=...;" without the password; empty values are left out.
QString buildConnectionString(const DriverKind &kind, const QString &driverName, const QMap<QString, QString> &values);
// Splits "Key=Value;Key={Va;lue}" into keywords (case preserved) and values.
QList<QPair<QString, QString>> parseConnectionString(const QString &connection);
// True when the connection string carries a Pwd/Password (which must not be saved).
bool containsPassword(const QString &connection);

} // namespace syncline::ui
