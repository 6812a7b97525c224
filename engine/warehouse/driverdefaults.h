#pragma once
// Connection strings and the per-driver defaults that make large reads stream.
//
// PostgreSQL (psqlODBC): UseDeclareFetch=1;Fetch=10000 reads through a server cursor 10,000 rows
//   at a time instead of loading the whole result; BoolsAsChar=0 reports booleans as SQL_BIT;
//   CommLog=0 because Debian's odbcinst.ini turns on a log file per connection.
// SQLite (SQLite3 ODBC): StepAPI=1 steps through the result instead of materialising it;
//   BigInt=1 reports 64-bit integers as SQL_BIGINT (they are reported as 32-bit otherwise).
// MariaDB (Connector/ODBC): CHARSET=utf8mb4 for 4-byte characters. Limit: Debian 12's 3.1.15
//   has no streaming option and buffers a whole result in client memory; 3.1.17+ streams with
//   NO_CACHE=1 (forward-only cursors, which Syncline uses), which a user may add to the string.
// Keys the user writes always win over these defaults (keys compare case-insensitively).

#include "engine/core/error.h"

#include <QString>

#include <vector>

namespace syncline::engine::warehouse {

enum class DriverFamily { Unknown, PostgreSQL, SQLite, MariaDB };

QString driverFamilyName(DriverFamily family); // "PostgreSQL", "SQLite", "MariaDB", "unknown"

struct ConnectionAttribute
{
    QString key;
    QString value;
};

// "Key=Value;Key2={va;lue}" -> pairs; a bare word without '=' is a DSN name (DSN=word).
// Fails with "odbc.bad_connection_string" on an unclosed brace or a pair without a key.
Result<std::vector<ConnectionAttribute>> parseConnectionString(const QString &text);
// Back to text; values with ; { } = or edge spaces are wrapped in braces with '}' doubled.
QString buildConnectionString(const std::vector<ConnectionAttribute> &attributes);
// `value` wrapped in braces with every '}' doubled (ODBC's escape), for passwords.
QString braceQuoted(const QString &value);

// The value of `key` (case-insensitive), or a null QString.
QString attributeValue(const std::vector<ConnectionAttribute> &attributes, const QString &key);
// Replaces (or appends) `key`, dropping any other spelling of it and of each alias.
void setAttribute(std::vector<ConnectionAttribute> &attributes, const QString &key, const QString &value,
                  const QStringList &aliases = {});

// Which driver the attributes name: the Driver= value (a name from odbcinst.ini or a library
// path), or the driver of the DSN= data source.
DriverFamily recogniseDriver(const std::vector<ConnectionAttribute> &attributes);
DriverFamily recogniseDriverName(const QString &driverNameOrLibrary);

// The defaults for `family`, in the order they are appended.
std::vector<ConnectionAttribute> driverDefaults(DriverFamily family);
// Appends each default whose key the user did not give.
void applyDriverDefaults(std::vector<ConnectionAttribute> &attributes, DriverFamily family);

} // namespace syncline::engine::warehouse
