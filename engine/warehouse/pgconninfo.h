#pragma once
// Turns a psqlODBC connection string (and the password kept apart in the spec) into a libpq
// conninfo, so a PostgreSQL model can be read with COPY on a connection equal to the ODBC one.
// Returns nothing when the string cannot be translated faithfully (a DSN= that needs odbc.ini,
// ConnSettings/Pqopt, an option that changes values, any key it does not know): the caller then
// keeps the ODBC path. Pure; the result holds the password, so never log it.

#include "engine/warehouse/odbcconnection.h"

#include <QByteArray>

#include <optional>

namespace syncline::engine::warehouse {

std::optional<QByteArray> libpqConninfo(const ConnectionSpec &spec);

} // namespace syncline::engine::warehouse
