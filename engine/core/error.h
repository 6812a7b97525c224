#pragma once
// A recoverable failure as a value: what went wrong, where, whether retrying may help,
// and the machine-readable details (SQLSTATE, native code, HTTP status, body excerpt).
// Promise: messages never contain a secret; callers redact before building one.

#include <QMap>
#include <QString>

#include <expected>

namespace syncline::engine {

struct Error
{
    QString code;      // stable, dotted identifier, e.g. "odbc.connect", "workspace.locked"
    QString message;   // one line a person understands: what, where, how to fix
    bool retryable = false;
    QMap<QString, QString> details; // e.g. sqlstate, native_code, driver_message, http_status

    QString detail(const QString &key) const { return details.value(key); }
    // "message (SQLSTATE 28P01)" style one-liner for logs and the CLI.
    QString toString() const
    {
        QString text = message;
        if (details.contains(QStringLiteral("sqlstate")))
            text += QStringLiteral(" [SQLSTATE ") + details.value(QStringLiteral("sqlstate")) + QStringLiteral("]");
        return text;
    }
};

template <typename T>
using Result = std::expected<T, Error>;

inline std::unexpected<Error> fail(QString code, QString message, bool retryable = false,
                                   QMap<QString, QString> details = {})
{
    return std::unexpected<Error>(Error{std::move(code), std::move(message), retryable, std::move(details)});
}

} // namespace syncline::engine
