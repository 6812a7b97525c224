#pragma once
// Shared helpers for the GUI tests: an in-memory keychain, a temporary SQLite warehouse read
// through the SQLite3 ODBC driver, and a watchdog that measures how long the event loop stalls.

#include "engine/secrets/secretresolver.h"
#include "engine/warehouse/odbcconnection.h"
#include "ui/services/secretwriter.h"

#include <QElapsedTimer>
#include <QMap>
#include <QMutex>
#include <QTimer>

namespace syncline::ui::testing {

// Stands in for the OS keychain: thread-safe, remembers what was stored.
class MemorySecrets final : public engine::SecretResolver, public SecretWriter
{
public:
    engine::Result<QString> resolve(const engine::SecretRef &ref) override
    {
        QMutexLocker lock(&m_mutex);
        if (ref.kind == engine::SecretRef::Kind::None)
            return QString();
        if (!m_values.contains(ref.name))
            return engine::fail(QStringLiteral("secret.missing"), QStringLiteral("No secret named %1").arg(ref.name));
        return m_values.value(ref.name);
    }
    void store(const QString &name, const QString &secret, QObject *context,
               std::function<void(engine::Result<void>)> done) override
    {
        {
            QMutexLocker lock(&m_mutex);
            m_values.insert(name, secret);
        }
        QMetaObject::invokeMethod(context, [done] { done({}); }, Qt::QueuedConnection);
    }
    QMap<QString, QString> values() const
    {
        QMutexLocker lock(&m_mutex);
        return m_values;
    }

private:
    mutable QMutex m_mutex;
    QMap<QString, QString> m_values;
};

inline QString sqliteConnection(const QString &path)
{
    return QStringLiteral("Driver={SQLite3};Database=") + path + QLatin1Char(';');
}

// people(id, email, team): ids 1..rows, plus a NULL id and repeats of ids 7 and 42; emails unique.
inline engine::Result<void> createPeopleWarehouse(const QString &path, int rows)
{
    auto connection = engine::warehouse::OdbcConnection::open(engine::warehouse::ConnectionSpec{sqliteConnection(path)});
    if (!connection)
        return std::unexpected(connection.error());
    const QString statements[] = {
        QStringLiteral("create table people (id integer, email text, team integer)"),
        QStringLiteral("insert into people with recursive n(i) as (select 1 union all select i + 1 from n where i < %1) "
                       "select i, 'person' || i || '@example.com', i % 7 from n").arg(rows),
        QStringLiteral("insert into people values (null, 'nobody@example.com', 1), (7, 'seven-again@example.com', 2), "
                       "(42, 'answer-again@example.com', 3)"),
    };
    for (const QString &sql : statements)
        if (auto done = (*connection)->executeUpdate(sql); !done)
            return std::unexpected(done.error());
    return {};
}

// Ticks every 10 ms on the GUI thread and records the longest gap between ticks.
class StallWatchdog
{
public:
    StallWatchdog()
    {
        m_timer.setInterval(10);
        QObject::connect(&m_timer, &QTimer::timeout, &m_timer, [this] {
            m_longest = std::max(m_longest, m_clock.restart());
        });
        m_clock.start();
        m_timer.start();
    }
    qint64 longestStallMs() const { return m_longest; }

private:
    QTimer m_timer;
    QElapsedTimer m_clock;
    qint64 m_longest = 0;
};

} // namespace syncline::ui::testing
