#pragma once
// Shared helpers for the GUI tests: an in-memory keychain, a temporary SQLite warehouse read
// through the SQLite3 ODBC driver, and a watchdog that measures how long the event loop stalls.

#include "engine/secrets/secretresolver.h"
#include "engine/warehouse/odbcconnection.h"
#include "ui/services/secretwriter.h"

#include <algorithm>

#include <QElapsedTimer>
#include <QFile>
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

// Ticks every 10 ms on the GUI thread and records the longest gap between ticks that the GUI
// thread itself caused: running, or blocked on a lock, a socket or a disk. Time the thread spent
// runnable but waiting for a CPU (the kernel's run_delay in /proc/thread-self/schedstat) is taken
// off each gap, and so is the time the hypervisor took the machine's CPUs away (the steal column
// of /proc/stat, summed over all CPUs: an upper bound for this thread's share). On a loaded
// two-core CI machine, other processes' work is not a stall of the app. Where the kernel keeps
// neither, the gaps count whole.
class StallWatchdog
{
public:
    StallWatchdog()
    {
        m_timer.setInterval(10);
        QObject::connect(&m_timer, &QTimer::timeout, &m_timer, [this] {
            const qint64 gapNs = m_clock.nsecsElapsed();
            m_clock.restart();
            const qint64 waitNs = cpuWaitNs();
            const qint64 waitedNs = std::clamp<qint64>(waitNs - m_lastWaitNs, 0, gapNs);
            m_lastWaitNs = waitNs;
            m_longestWall = std::max(m_longestWall, gapNs / 1000000);
            m_longest = std::max(m_longest, (gapNs - waitedNs) / 1000000);
        });
        m_lastWaitNs = cpuWaitNs();
        m_clock.start();
        m_timer.start();
    }
    // The longest gap the GUI thread itself caused, in milliseconds.
    qint64 longestStallMs() const { return m_longest; }
    // The longest gap by the wall clock, waits for a CPU included: for the log.
    qint64 longestWallGapMs() const { return m_longestWall; }

private:
    static qint64 cpuWaitNs() { return runDelayNs() + stealNs(); }
    static qint64 runDelayNs()
    {
        QFile file(QStringLiteral("/proc/thread-self/schedstat"));
        if (!file.open(QIODevice::ReadOnly))
            return 0;
        const QList<QByteArray> fields = file.readAll().simplified().split(' ');
        return fields.size() >= 2 ? fields.at(1).toLongLong() : 0;
    }
    // "cpu user nice system idle iowait irq softirq steal ...", in ticks of 1/100 s.
    static qint64 stealNs()
    {
        QFile file(QStringLiteral("/proc/stat"));
        if (!file.open(QIODevice::ReadOnly))
            return 0;
        const QList<QByteArray> fields = file.readLine().simplified().split(' ');
        return fields.size() >= 9 && fields.at(0) == "cpu" ? fields.at(8).toLongLong() * 10000000 : 0;
    }

    QTimer m_timer;
    QElapsedTimer m_clock;
    qint64 m_lastWaitNs = 0;
    qint64 m_longest = 0;
    qint64 m_longestWall = 0;
};

} // namespace syncline::ui::testing
