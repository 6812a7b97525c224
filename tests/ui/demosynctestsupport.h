#pragma once
// Shared by the preview, send and runs tests: a fresh demo workspace (the embedded demo
// warehouse, the customers model, the CSV file destination and the customers-to-csv sync) in a
// temporary folder, SQL against that warehouse through ODBC, and the workspace opened in a
// WorkspaceService as the app opens it.

#include "engine/demo/demowarehouse.h"
#include "engine/demo/demoworkspace.h"
#include "engine/state/definitionstore.h"
#include "engine/state/workspace.h"
#include "engine/warehouse/odbcconnection.h"
#include "engine/warehouse/rowbatch.h"
#include "ui/services/workspaceservice.h"
#include "ui/shell/demoworkspace.h"

#include <QSignalSpy>
#include <QTemporaryDir>
#include <QTest>

namespace syncline::ui::testing {

class DemoSyncFixture
{
public:
    static QString syncName() { return engine::demo::DemoNames::sync(); }

    // Creates the demo warehouse and workspace under `dir`; false (with a reason) when it cannot.
    bool create(const QTemporaryDir &dir, QString *why)
    {
        qputenv("SYNCLINE_DEMO_DIR", dir.filePath(QStringLiteral("demo")).toUtf8());
        m_workspacePath = dir.filePath(QStringLiteral("demo.syncline"));
        auto warehouse = engine::demo::ensureDemoWarehouse();
        if (!warehouse) {
            *why = warehouse.error().toString();
            return false;
        }
        m_warehousePath = *warehouse;
        if (auto made = createDemoWorkspace(m_workspacePath); !made) {
            *why = made.error().toString();
            return false;
        }
        m_exportFolder = engine::demo::defaultDemoExportFolder();
        return true;
    }

    QString workspacePath() const { return m_workspacePath; }
    QString exportFolder() const { return m_exportFolder; }

    // Runs `sql` against the demo warehouse (an UPDATE or DELETE a user makes there).
    engine::Result<void> execute(const QString &sql) const
    {
        auto connection = engine::warehouse::OdbcConnection::open(
            engine::warehouse::ConnectionSpec{engine::demo::demoConnectionString(m_warehousePath)});
        if (!connection)
            return std::unexpected(connection.error());
        if (auto done = (*connection)->executeUpdate(sql); !done)
            return std::unexpected(done.error());
        return {};
    }

    // The first column of the first row of `sql` against the demo warehouse, as text.
    QString scalar(const QString &sql) const
    {
        auto connection = engine::warehouse::OdbcConnection::open(
            engine::warehouse::ConnectionSpec{engine::demo::demoConnectionString(m_warehousePath)});
        if (!connection)
            return {};
        auto cursor = (*connection)->execute(sql, {});
        if (!cursor)
            return {};
        engine::warehouse::RowBatch batch;
        auto more = (*cursor)->fetch(batch);
        if (!more || !*more || batch.rowCount() == 0)
            return {};
        return batch.displayText(0, 0);
    }

    // Changes the sync's definition in the workspace (another connection, as the sync editor's save).
    template <typename Edit>
    engine::Result<void> editSync(Edit edit) const
    {
        auto workspace = engine::state::Workspace::open(m_workspacePath);
        if (!workspace)
            return std::unexpected(workspace.error());
        engine::state::DefinitionStore store(**workspace);
        auto sync = store.sync(syncName());
        if (!sync)
            return std::unexpected(sync.error());
        engine::SyncDef def = **sync;
        edit(def);
        return store.saveSync(def);
    }

    // Makes the demo model `copies` times as large: each customer once per copy, with ids
    // id * 100 + copy, so a send takes long enough to watch and cancel.
    engine::Result<void> multiplyModel(int copies) const
    {
        auto workspace = engine::state::Workspace::open(m_workspacePath);
        if (!workspace)
            return std::unexpected(workspace.error());
        engine::state::DefinitionStore store(**workspace);
        auto model = store.model(engine::demo::DemoNames::model());
        if (!model)
            return std::unexpected(model.error());
        engine::ModelDef def = **model;
        def.sql = QStringLiteral("select c.id * 100 + n.k as id, c.email, c.first_name, c.last_name, c.plan, c.country, "
                                 "c.seats, c.lifetime_value, c.signup_date, c.is_active from customers c cross join "
                                 "(with recursive n(k) as (select 0 union all select k + 1 from n where k < %1) "
                                 "select k from n) n")
                      .arg(copies - 1);
        return store.saveModel(def);
    }

    // Opens the workspace in `service` and waits until it is open.
    static bool open(WorkspaceService &service, const QString &path)
    {
        QSignalSpy opened(&service, &WorkspaceService::opened);
        service.open(path);
        return opened.wait(20000);
    }

private:
    QString m_workspacePath;
    QString m_warehousePath;
    QString m_exportFolder;
};

} // namespace syncline::ui::testing
