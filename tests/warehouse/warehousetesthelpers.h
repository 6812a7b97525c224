#pragma once
// Shared by the warehouse tests: open a connection or skip, read a whole result as text.

#include "engine/warehouse/odbcconnection.h"

#include <QProcessEnvironment>
#include <QString>
#include <QStringList>
#include <QTest>

#include <vector>

namespace syncline::engine::warehouse::testing {

// The server connection string from the environment (scripts/test-services.sh), split into the
// string without its Pwd= part and the password, so tests pass the password the way the app does.
struct ServerConfig
{
    QString connectionString;
    QString password;
    bool present = false;
};

inline ServerConfig serverConfig(const char *variable)
{
    ServerConfig config;
    const QString full = qEnvironmentVariable(variable);
    if (full.isEmpty())
        return config;
    QStringList kept;
    for (const QString &part : full.split(QLatin1Char(';'), Qt::SkipEmptyParts)) {
        if (part.startsWith(QLatin1String("Pwd="), Qt::CaseInsensitive))
            config.password = part.mid(4);
        else
            kept << part;
    }
    config.connectionString = kept.join(QLatin1Char(';'));
    config.present = true;
    return config;
}

inline ConnectionSpec specFor(const ServerConfig &config)
{
    ConnectionSpec spec;
    spec.connectionString = config.connectionString;
    spec.password = config.password;
    return spec;
}

// Every cell of every row as displayText; NULL as the literal "<NULL>".
inline std::vector<QStringList> readAll(QueryCursor &cursor, int *batches = nullptr)
{
    std::vector<QStringList> rows;
    RowBatch batch;
    for (;;) {
        auto more = cursor.fetch(batch);
        if (!more) {
            qWarning("fetch failed: %s", qPrintable(more.error().toString()));
            return {};
        }
        if (!*more)
            break;
        if (batches)
            ++*batches;
        for (int r = 0; r < batch.rowCount(); ++r) {
            QStringList row;
            for (int c = 0; c < batch.columnCount(); ++c)
                row << (batch.isNull(r, c) ? QStringLiteral("<NULL>") : batch.displayText(r, c));
            rows.push_back(row);
        }
    }
    return rows;
}

inline QString errorText(const Error &error)
{
    QString text = error.code + QLatin1Char(' ') + error.message;
    for (auto it = error.details.begin(); it != error.details.end(); ++it)
        text += QLatin1Char(' ') + it.key() + QLatin1Char('=') + it.value();
    return text;
}

} // namespace syncline::engine::warehouse::testing

#define WAREHOUSE_VERIFY_OK(result) \
    QVERIFY2(bool(result), (result) ? "" : qPrintable(::syncline::engine::warehouse::testing::errorText((result).error())))
