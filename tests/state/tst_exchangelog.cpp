// The request inspector's storage: no credential of any kind reaches the workspace file, every
// failed exchange is kept with a sample of the successful ones, bodies are cut, and the oldest
// runs' exchanges make room once the workspace's cap is reached.
#include "engine/definitions/definitions.h"
#include "engine/state/definitionstore.h"
#include "engine/state/exchangelog.h"
#include "engine/state/exchangestore.h"
#include "engine/state/runstore.h"
#include "engine/state/workspace.h"

#include <QFile>
#include <QTemporaryDir>
#include <QTest>

#include <sqlite3.h>

using namespace syncline::engine;
using namespace syncline::engine::state;
using connector::Exchange;

namespace {

const QString kToken = QStringLiteral("s3cr3t-T0ken-VALUE-9f8e");
const QString kClientSecret = QStringLiteral("cl1ent/Secret+77==");
const QString kPassword = QStringLiteral("hunter 2@pass");

// A sync and one run of it, so the exchanges' foreign keys hold. Returns the run's id.
qint64 defineRun(Workspace &workspace, const QString &syncName = QStringLiteral("s"))
{
    DefinitionStore definitions(workspace);
    if (!definitions.source(QStringLiteral("src")).value_or(std::nullopt)) {
        if (!definitions.saveSource(SourceDef { QStringLiteral("src"), QStringLiteral("DSN=x"), {} })
            || !definitions.saveModel(ModelDef { QStringLiteral("m"), QStringLiteral("src"),
                QStringLiteral("select 1 as id"), { QStringLiteral("id") } })
            || !definitions.saveDestination(DestinationDef { QStringLiteral("api"), QStringLiteral("http"), {}, {} }))
            return -1;
    }
    if (!definitions.sync(syncName).value_or(std::nullopt)) {
        SyncDef sync;
        sync.name = syncName;
        sync.model = QStringLiteral("m");
        sync.destination = QStringLiteral("api");
        sync.object = QStringLiteral("people");
        sync.matchColumn = QStringLiteral("id");
        sync.matchField = QStringLiteral("id");
        if (!definitions.saveSync(sync))
            return -1;
    }
    auto syncId = definitions.syncId(syncName);
    if (!syncId)
        return -1;
    if (workspace.schemaVersion() < 5) {
        // An old workspace's runs table has no trigger column yet: insert as that schema's Syncline did.
        if (!workspace.exec(QStringLiteral("INSERT INTO runs (sync_id, generation, status, pid, started_at) "
                                           "VALUES (%1, 1, 'running', 1, 0)")
                                .arg(*syncId)))
            return -1;
        return sqlite3_last_insert_rowid(workspace.handle());
    }
    auto run = RunStore(workspace).create(*syncId, std::nullopt, 1, 1, 0);
    return run ? *run : -1;
}

Exchange success(int n, QByteArray body = "[{\"id\":1}]")
{
    Exchange exchange;
    exchange.method = QStringLiteral("POST");
    exchange.url = QStringLiteral("https://api.example.com/people?n=%1").arg(n);
    exchange.status = 200;
    exchange.startedAtMs = 1'700'000'000'000 + n;
    exchange.durationMs = 12;
    exchange.requestHeaders = { { "Content-Type", "application/json" } };
    exchange.requestBody = std::move(body);
    exchange.responseBody = "{\"ok\":true}";
    return exchange;
}

Exchange failure(int n)
{
    Exchange exchange = success(n);
    exchange.status = 503;
    exchange.failed = true;
    exchange.error = QStringLiteral("service unavailable");
    return exchange;
}

Result<void> writeAll(Workspace &workspace, ExchangeLog &log)
{
    auto written = workspace.transaction([&] { return log.writePending(); });
    if (written)
        log.pendingWritten();
    return written;
}

QByteArray fileBytes(const QString &path)
{
    QByteArray bytes;
    for (const QString &name : QStringList { path, path + QStringLiteral("-wal"), path + QStringLiteral("-journal") }) {
        QFile file(name);
        if (file.open(QIODevice::ReadOnly))
            bytes += file.readAll();
    }
    return bytes;
}

} // namespace

class TestExchangeLog : public QObject
{
    Q_OBJECT

private:
    QTemporaryDir m_dir;
    int m_counter = 0;
    QString freshPath() { return m_dir.filePath(QStringLiteral("exchanges%1.syncline").arg(++m_counter)); }

private slots:
    void initTestCase() { QVERIFY(m_dir.isValid()); }

    void upgradingASchema3WorkspaceKeepsItsRunsAndAddsTheInspector()
    {
        const QString path = freshPath();
        auto all = Workspace::embeddedMigrations();
        QVERIFY(all);
        std::vector<Workspace::Migration> upToThree;
        for (const auto &migration : *all)
            if (migration.version <= 3)
                upToThree.push_back(migration);
        qint64 oldRun = 0;
        {
            auto old = Workspace::open(path, Workspace::OpenMode::CreateIfMissing, upToThree);
            QVERIFY(old);
            QCOMPARE((*old)->schemaVersion(), 3);
            oldRun = defineRun(**old);
            QVERIFY(oldRun > 0);
        }
        auto workspace = Workspace::open(path);
        QVERIFY2(workspace, qPrintable(workspace ? QString() : workspace.error().message));
        QCOMPARE((*workspace)->schemaVersion(), all->back().version);
        ExchangeStore store(**workspace);
        auto totals = store.totals(oldRun);
        QVERIFY(totals);
        QCOMPARE(totals->recorded, qint64(0));
        QVERIFY(store.exchanges(oldRun, false)->empty());
        QVERIFY(RunStore(**workspace).run(oldRun));

        // A run's exchanges go with it when its sync is removed.
        ExchangeLog log(**workspace, oldRun, {});
        log.record(failure(1));
        QVERIFY(writeAll(**workspace, log));
        QCOMPARE(store.exchanges(oldRun, false)->size(), size_t(1));
        QVERIFY(DefinitionStore(**workspace).removeSync(QStringLiteral("s")));
        QVERIFY(store.exchanges(oldRun, false)->empty());
        QCOMPARE(*store.storedBytes(), qint64(0));
    }

    void noCredentialReachesTheWorkspaceFile()
    {
        const QString path = freshPath();
        // Everything that must never be stored, in every form it is sent in below.
        const QList<QByteArray> forbidden { kToken.toUtf8(), kClientSecret.toUtf8(), kPassword.toUtf8(),
            "cl1ent%2FSecret%2B77%3D%3D", "hunter%202%40pass", kToken.toUtf8().toBase64(), "AK-123456", "pw-in-body-1",
            "k-xyz-0001", "at-NEW-0001", "rt-NEW-0002", "rt-OLD-0003", "sid=xyz", "session=abc", "xyz-proxy",
            "lookup-code-42" };
        {
            auto workspace = Workspace::open(path);
            QVERIFY(workspace);
            const qint64 runId = defineRun(**workspace);
            QVERIFY(runId > 0);
            ExchangeLog log(**workspace, runId, { kToken, kClientSecret, kPassword });

            Exchange api;
            api.method = QStringLiteral("POST");
            api.url = QStringLiteral("https://user:hunter%202%40pass@api.example.com/people?api_key=AK-123456&page=2&"
                                     "access_token=")
                + kToken + QStringLiteral("#top");
            api.status = 200;
            api.startedAtMs = 1'700'000'000'000;
            api.durationMs = 140;
            api.requestHeaders
                = { { "Authorization", "Bearer " + kToken.toUtf8() }, { "Proxy-Authorization", "Basic xyz-proxy" },
                      { "X-Api-Key", "AK-123456" }, { "Cookie", "sid=xyz" }, { "X-Team", "analytics" },
                      { "X-Echo", "prefix-" + kToken.toUtf8() + "-suffix" }, { "Content-Type", "application/json" } };
            api.requestBody
                = "[{\"email\":\"ann@example.com\",\"password\":\"pw-in-body-1\",\"nested\":{\"client_secret\":\""
                + QByteArray("cl1ent/Secret+77==") + "\",\"apiKey\":\"k-xyz-0001\",\"count\":3},"
                + "\"note\":\"the token is " + kToken.toUtf8() + "\",\"b64\":\"" + kToken.toUtf8().toBase64() + "\"}]";
            api.responseHeaders = { { "Set-Cookie", "session=abc; HttpOnly" }, { "X-Request-Id", "r-1" } };
            api.responseBody = "{\"access_token\": \"at-NEW-0001\", \"refresh_token\":\"rt-NEW-0002\", \"id\": 7}";
            log.record(api);

            Exchange oauth;
            oauth.method = QStringLiteral("POST");
            oauth.url = QStringLiteral("https://auth.example.com/token?code=lookup-code-42");
            oauth.status = 401;
            oauth.failed = true;
            oauth.error = QStringLiteral("token refresh refused for secret ") + kClientSecret;
            oauth.requestHeaders = { { "Content-Type", "application/x-www-form-urlencoded" } };
            oauth.requestBody = "grant_type=refresh_token&refresh_token=rt-OLD-0003&client_id=app&client_secret="
                + QUrl::toPercentEncoding(kClientSecret) + "&password=hunter%202%40pass";
            oauth.responseBody = "{\"error\":\"invalid_grant\"}";
            log.record(oauth);

            Exchange plain = success(3, "note: " + kPassword.toUtf8() + " and " + QUrl::toPercentEncoding(kPassword));
            log.record(plain);
            QVERIFY(writeAll(**workspace, log));

            ExchangeStore store(**workspace);
            auto stored = store.exchanges(runId, false);
            QVERIFY(stored);
            QCOMPARE(stored->size(), size_t(3));
            const StoredExchange &first = (*stored)[0];
            QCOMPARE(first.url,
                QStringLiteral("https://user:[redacted]@api.example.com/people?api_key=[redacted]&page=2&"
                               "access_token=[redacted]#top"));
            const QList<QPair<QByteArray, QByteArray>> expectedHeaders { { "Authorization", "[redacted]" },
                { "Proxy-Authorization", "[redacted]" }, { "X-Api-Key", "[redacted]" }, { "Cookie", "[redacted]" },
                { "X-Team", "analytics" }, { "X-Echo", "prefix-[redacted]-suffix" },
                { "Content-Type", "application/json" } };
            QCOMPARE(first.request.headers, expectedHeaders);
            QCOMPARE(first.request.body,
                QByteArray("[{\"email\":\"ann@example.com\",\"password\":\"[redacted]\",\"nested\":{\"client_secret\":"
                           "\"[redacted]\",\"apiKey\":\"[redacted]\",\"count\":3},\"note\":\"the token is [redacted]\","
                           "\"b64\":\"[redacted]\"}]"));
            QCOMPARE(first.request.bytes, qint64(api.requestBody.size()));
            QCOMPARE(first.response.headers.front().second, QByteArray("[redacted]"));
            QCOMPARE(first.response.headers.back().second, QByteArray("r-1"));
            QCOMPARE(first.response.body,
                QByteArray("{\"access_token\": \"[redacted]\", \"refresh_token\":\"[redacted]\", \"id\": 7}"));

            const StoredExchange &second = (*stored)[1];
            QCOMPARE(second.url, QStringLiteral("https://auth.example.com/token?code=[redacted]"));
            QCOMPARE(second.request.body,
                QByteArray("grant_type=refresh_token&refresh_token=[redacted]&client_id=app&"
                           "client_secret=[redacted]&password=[redacted]"));
            QCOMPARE(second.error, QStringLiteral("token refresh refused for secret [redacted]"));
            QCOMPARE((*stored)[2].request.body, QByteArray("note: [redacted] and [redacted]"));
        }
        // Closed: the whole file (and any journal left) holds none of it.
        const QByteArray bytes = fileBytes(path);
        QVERIFY(bytes.contains("ann@example.com"));
        QVERIFY(bytes.contains("grant_type=refresh_token"));
        for (const QByteArray &secret : forbidden)
            QVERIFY2(!bytes.contains(secret), secret.constData());
    }

    void everyFailureIsKeptWithASampleOfSuccesses()
    {
        auto workspace = Workspace::open(freshPath());
        QVERIFY(workspace);
        const qint64 runId = defineRun(**workspace);
        ExchangeLog log(**workspace, runId, {});
        QList<qint64> failedSeqs;
        int n = 0;
        for (int i = 0; i < 250; ++i) {
            log.record(success(++n));
            if (i % 40 == 0) { // 7 failures among them: after successes 0, 40, ..., 240
                log.record(failure(++n));
                failedSeqs << n;
            }
            if (i == 100) // written in two transactions, as the runner does per batch
                QVERIFY(writeAll(**workspace, log));
        }
        QVERIFY(writeAll(**workspace, log));

        ExchangeStore store(**workspace);
        auto totals = store.totals(runId);
        QVERIFY(totals);
        QCOMPARE(totals->recorded, qint64(257));
        QCOMPARE(totals->failed, qint64(7));
        // The first 20 successes, then one in 100 (the 21st, 121st and 221st): 23, plus every failure.
        QCOMPARE(totals->kept, qint64(30));
        auto failed = store.exchanges(runId, true);
        QVERIFY(failed);
        QList<qint64> seqs;
        for (const StoredExchange &exchange : *failed) {
            QCOMPARE(exchange.status, 503);
            QCOMPARE(exchange.error, QStringLiteral("service unavailable"));
            seqs << exchange.seq;
        }
        QCOMPARE(seqs, failedSeqs);
        auto all = store.exchanges(runId, false);
        QVERIFY(all);
        QCOMPARE(all->size(), size_t(30));
        QCOMPARE(all->front().url, QStringLiteral("https://api.example.com/people?n=1"));
        QCOMPARE(qint64(std::count_if(all->begin(), all->end(), [](const StoredExchange &e) { return !e.failed; })),
            qint64(23));
    }

    void aFailedWriteTakesBackOnlyTheInspectorsRows()
    {
        auto workspace = Workspace::open(freshPath());
        QVERIFY(workspace);
        const qint64 runId = defineRun(**workspace);
        // Run runId + 1 does not exist: its row breaks a foreign key, inside a transaction with other work.
        ExchangeLog good(**workspace, runId, {});
        ExchangeLog orphan(**workspace, runId + 1, {});
        good.record(success(1));
        orphan.record(success(2));
        bool orphanWritten = true;
        QVERIFY((*workspace)->transaction([&]() -> Result<void> {
            if (auto ok = good.writePending(); !ok)
                return ok;
            orphanWritten = bool(orphan.writePending());
            return (*workspace)
                ->exec(QStringLiteral("INSERT INTO sources (name, connection) VALUES ('kept', 'DSN=k')"));
        }));
        QVERIFY(!orphanWritten);
        QVERIFY(orphan.hasPending()); // tried again by the next write
        ExchangeStore store(**workspace);
        QCOMPARE(store.exchanges(runId, false)->size(), size_t(1));
        QVERIFY(store.exchanges(runId + 1, false)->empty());
        QCOMPARE(store.totals(runId + 1)->recorded, qint64(0));
        QVERIFY(*DefinitionStore(**workspace).source(QStringLiteral("kept")));
    }

    void bodiesAreCutToTheStoredCap()
    {
        auto workspace = Workspace::open(freshPath());
        QVERIFY(workspace);
        const qint64 runId = defineRun(**workspace);
        ExchangeLog log(**workspace, runId, { kToken });
        // The secret straddles the cut: no part of it may survive.
        const qsizetype cap = ExchangeLogLimits::StoredBodyBytes;
        const QByteArray body = QByteArray(cap - 5, 'x') + kToken.toUtf8() + QByteArray(200'000, 'y');
        log.record(success(1, body));
        QVERIFY(writeAll(**workspace, log));
        auto stored = ExchangeStore(**workspace).exchanges(runId, false);
        QVERIFY(stored && stored->size() == 1);
        const StoredExchange::Message &request = stored->front().request;
        QVERIFY(request.truncated);
        QCOMPARE(request.bytes, qint64(body.size()));
        QCOMPARE(request.body.size(), cap);
        QVERIFY(request.body.endsWith("xxxxx[reda"));
        QVERIFY(!request.body.contains("s3cr"));
        QVERIFY(!stored->front().response.truncated);
    }

    void oldestRunsArePrunedPastTheCap()
    {
        auto workspace = Workspace::open(freshPath());
        QVERIFY(workspace);
        ExchangeLogLimits limits;
        limits.workspaceBytes = 200'000;
        const QByteArray body(30'000, 'b');
        ExchangeStore store(**workspace);

        std::vector<qint64> runs;
        for (int run = 0; run < 3; ++run) {
            runs.push_back(defineRun(**workspace));
            ExchangeLog log(**workspace, runs.back(), {}, limits);
            for (int i = 0; i < 5; ++i)
                log.record(failure(i)), log.record(success(i, body));
            QVERIFY(writeAll(**workspace, log));
            auto bytes = store.storedBytes();
            QVERIFY(bytes);
            QVERIFY2(*bytes <= limits.workspaceBytes, qPrintable(QString::number(*bytes)));
        }
        // Each run keeps its 5 failures and 5 sampled 30 KB successes (about 150 KB): one run fits.
        auto oldest = store.totals(runs[0]);
        QVERIFY(oldest && oldest->pruned);
        QCOMPARE(oldest->kept, qint64(0));
        QCOMPARE(oldest->recorded, qint64(10));
        QVERIFY(store.exchanges(runs[0], false)->empty());
        QVERIFY(store.totals(runs[1])->pruned);
        auto newest = store.totals(runs[2]);
        QVERIFY(newest && !newest->pruned);
        QCOMPARE(newest->kept, qint64(10));
        QCOMPARE(store.exchanges(runs[2], false)->size(), size_t(10));

        // One run alone past the cap keeps what fits and counts the rest.
        const qint64 big = defineRun(**workspace);
        ExchangeLog log(**workspace, big, {}, limits);
        for (int i = 0; i < 10; ++i)
            log.record(success(i, body));
        QVERIFY(writeAll(**workspace, log));
        auto totals = store.totals(big);
        QVERIFY(totals);
        QCOMPARE(totals->kept, qint64(6));
        QCOMPARE(totals->overCap, qint64(4));
        QVERIFY(*store.storedBytes() <= limits.workspaceBytes);
        QVERIFY(store.totals(runs[2])->pruned);
    }
};

QTEST_GUILESS_MAIN(TestExchangeLog)
#include "tst_exchangelog.moc"
