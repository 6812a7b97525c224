#pragma once
// One scenario's world for the conformance suite: the suite's model (a SQLite table `people`
// read through the SQLite ODBC driver), a workspace with the vendor fixture's destination and
// sync ("conformance"), runs in this process (as `syncline-cli run` does them) or by the real
// `syncline-cli`, and the comparison of the fake's records with the model. See vendorfixture.h
// for the model and what "equal" means. Thread: the test thread.

#include "engine/core/cancellation.h"
#include "engine/sync/syncrunner.h"
#include "tests/conformance/vendorfixture.h"

#include <QProcess>
#include <QTemporaryDir>

#include <sqlite3.h>

namespace syncline::conformance {

inline const QString kSyncName = QStringLiteral("conformance");

struct ModelRow
{
    qint64 id = 0;
    QString email;
    QString firstName;
    QString lastName;
    qint64 score = 0;
    QString column(const QString &name) const; // the model column's value as text
};

struct CliResult
{
    int exitCode = -1;
    QByteArray out;
    QByteArray err;
    QJsonObject json() const; // stdout as a JSON object
};

class ConformanceSetup
{
public:
    // Builds the warehouse (rows 1..traits().rows) and the workspace for `fixture`, whose API
    // calls go to `apiBase`. error() says what failed, empty when ready.
    ConformanceSetup(VendorFixture &fixture, const QUrl &apiBase);
    ~ConformanceSetup();
    QString error() const { return m_error; }
    QString workspacePath() const { return m_workspacePath; }

    // Model edits (ids inclusive).
    void insertRows(qint64 first, qint64 last);
    void updateRows(qint64 first, qint64 last, int generation); // new first names and scores
    void deleteRows(qint64 first, qint64 last);
    std::vector<ModelRow> model() const;
    QString matchValue(const ModelRow &row) const;

    // A run in this process; the run's record (status, counts) or the engine's error.
    engine::Result<engine::state::RunInfo> run(const engine::CancellationToken &cancellation = {});
    // `syncline-cli <arguments> --workspace <ws>`; started() does not wait.
    CliResult cli(const QStringList &arguments) const;
    std::unique_ptr<QProcess> startCli(const QStringList &arguments) const;
    static QString cliPath();

    // Empty when the fake holds exactly the model (minus `absent` match values, which must not be
    // there); else the first differences. Removed rows are expected gone (Delete) or with empty
    // mapped fields (Clear), per the fixture's SyncShape.
    QString differences(const QSet<QString> &absent = {}) const;

private:
    void exec(const QString &sql);

    VendorFixture &m_fixture;
    SyncShape m_shape;
    QTemporaryDir m_dir;
    sqlite3 *m_db = nullptr;
    QString m_workspacePath;
    QString m_error;
    std::vector<ModelRow> m_removed; // rows deleted from the model after a run delivered them
};

} // namespace syncline::conformance
