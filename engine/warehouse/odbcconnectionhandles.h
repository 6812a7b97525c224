#pragma once
// What an open OdbcConnection holds: its handles (disconnected and freed in order) and what the
// cursors need to know about the driver. Internal to engine/warehouse.

#include "engine/warehouse/odbcconnection.h"
#include "engine/warehouse/odbchandle.h"
#include "engine/warehouse/odbcquerycursor.h"

namespace syncline::engine::warehouse {

struct OdbcConnection::Handles
{
    OdbcHandle environment;
    OdbcHandle connection;
    bool connected = false;
    QString driverName;
    QString dbmsName;
    CursorTraits traits;

    ~Handles()
    {
        if (connected)
            SQLDisconnect(connection.get());
        connection.reset();
        environment.reset();
    }
};

} // namespace syncline::engine::warehouse
