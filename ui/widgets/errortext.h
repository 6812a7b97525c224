#pragma once

#include "engine/core/error.h"

#include <QString>

namespace syncline::ui {

// A driver error in words a person understands, plus the exact driver detail for the
// expandable area. Recognises the usual causes from SQLSTATE and the driver's message.
struct ErrorText
{
    enum class Cause { WrongPassword, HostUnreachable, DriverMissing, UnknownDatabase, Timeout, Cancelled, Other };

    Cause cause = Cause::Other;
    QString summary; // "The server rejected the user name or password."
    QString hint;    // what to do about it
    QString details; // SQLSTATE, native code, the driver's own words

    static ErrorText forConnection(const engine::Error &error);
    static ErrorText forQuery(const engine::Error &error);
    QString html() const; // summary and hint, escaped, for a QLabel
};

} // namespace syncline::ui
