#pragma once
// The ODBC drivers and data sources installed on this machine (odbcinst.ini / odbc.ini).

#include "engine/core/error.h"

#include <QString>
#include <vector>

namespace syncline::engine::warehouse {

struct OdbcDriverInfo
{
    QString name;        // e.g. "PostgreSQL Unicode"
    QString attributes;  // "Driver=psqlodbcw.so;Description=..." as reported
};

struct OdbcDataSourceInfo
{
    QString name;
    QString driver;
    bool userDsn = false;
};

Result<std::vector<OdbcDriverInfo>> installedDrivers();
Result<std::vector<OdbcDataSourceInfo>> dataSources();

} // namespace syncline::engine::warehouse
