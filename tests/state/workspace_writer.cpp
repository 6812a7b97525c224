// Test helper: workspace_writer FILE LABEL COUNT
// Opens (and if needed creates) the workspace, then commits COUNT transactions that each append a row
// to writer_log and increment writer_counter.n by reading it first: a lost update or a torn write
// shows up as a count mismatch in tst_workspace. Prints errors on stderr, exits 1 on the first.
#include "engine/state/sqlitestatement.h"
#include "engine/state/workspace.h"

#include <QCoreApplication>
#include <QTextStream>

using namespace syncline::engine;
using namespace syncline::engine::state;

int main(int argc, char *argv[])
{
    QCoreApplication app(argc, argv);
    QTextStream err(stderr);
    const QStringList args = app.arguments();
    if (args.size() != 4) {
        err << "usage: workspace_writer FILE LABEL COUNT\n";
        return 2;
    }
    auto workspace = Workspace::open(args[1]);
    if (!workspace) {
        err << workspace.error().message << "\n";
        return 1;
    }
    Workspace &ws = **workspace;
    const QString label = args[2];
    const int count = args[3].toInt();
    auto created = ws.transaction([&]() -> Result<void> {
        if (auto ok = ws.exec(
                QStringLiteral("CREATE TABLE IF NOT EXISTS writer_log(label TEXT NOT NULL, seq INTEGER NOT NULL)"));
            !ok)
            return ok;
        if (auto ok = ws.exec(QStringLiteral(
                "CREATE TABLE IF NOT EXISTS writer_counter(id INTEGER PRIMARY KEY, n INTEGER NOT NULL)"));
            !ok)
            return ok;
        return ws.exec(QStringLiteral("INSERT OR IGNORE INTO writer_counter(id, n) VALUES (1, 0)"));
    });
    if (!created) {
        err << label << " setup: " << created.error().message << "\n";
        return 1;
    }
    for (int i = 0; i < count; ++i) {
        auto done = ws.transaction([&]() -> Result<void> {
            auto read
                = SqliteStatement::prepare(ws.handle(), QStringLiteral("SELECT n FROM writer_counter WHERE id = 1"));
            if (!read)
                return std::unexpected(read.error());
            auto row = read->step();
            if (!row)
                return std::unexpected(row.error());
            const qint64 n = *row ? read->int64(0) : 0;
            auto write
                = SqliteStatement::prepare(ws.handle(), QStringLiteral("UPDATE writer_counter SET n = ? WHERE id = 1"));
            if (!write)
                return std::unexpected(write.error());
            if (auto ok = write->bind(1, n + 1).run(); !ok)
                return ok;
            auto log = SqliteStatement::prepare(
                ws.handle(), QStringLiteral("INSERT INTO writer_log(label, seq) VALUES (?, ?)"));
            if (!log)
                return std::unexpected(log.error());
            return log->bind(1, label).bind(2, qint64(i)).run();
        });
        if (!done) {
            err << label << " transaction " << i << ": " << done.error().message << "\n";
            return 1;
        }
    }
    return 0;
}
