#include "ui/runs/runcsvexport.h"

#include "engine/state/workspace.h"

#include <QSaveFile>

namespace syncline::ui {

QString csvField(const QString &value)
{
    if (!value.contains(QLatin1Char(',')) && !value.contains(QLatin1Char('"')) && !value.contains(QLatin1Char('\n'))
        && !value.contains(QLatin1Char('\r')))
        return value;
    QString quoted = value;
    quoted.replace(QLatin1Char('"'), QStringLiteral("\"\""));
    return QLatin1Char('"') + quoted + QLatin1Char('"');
}

engine::Result<qint64> exportRunCsv(const QString &workspacePath, qint64 runId, const engine::state::RunRowFilter &filter,
                                    const QString &csvPath)
{
    auto workspace = engine::state::Workspace::open(workspacePath, engine::state::Workspace::OpenMode::MustExist);
    if (!workspace)
        return std::unexpected(workspace.error());
    QSaveFile file(csvPath);
    if (!file.open(QIODevice::WriteOnly))
        return engine::fail(QStringLiteral("export.write"),
                            QStringLiteral("Could not write %1 (%2); choose another folder.").arg(csvPath, file.errorString()));
    qint64 written = 0;
    file.write("key,operation,outcome,error,record_id\n");
    auto done = engine::state::RunRowReader(**workspace).forEach(runId, filter, [&](const engine::state::RunRow &row)
                                                                                   -> engine::Result<void> {
        const QString line = QStringList{csvField(QString::fromStdString(row.key)), csvField(row.operation),
                                         row.accepted ? QStringLiteral("accepted") : QStringLiteral("rejected"),
                                         csvField(row.error), csvField(row.destinationId)}
                                 .join(QLatin1Char(','))
            + QLatin1Char('\n');
        if (file.write(line.toUtf8()) < 0)
            return engine::fail(QStringLiteral("export.write"),
                                QStringLiteral("Could not write %1 (%2).").arg(csvPath, file.errorString()));
        ++written;
        return {};
    });
    if (!done) {
        file.cancelWriting();
        return std::unexpected(done.error());
    }
    if (!file.commit())
        return engine::fail(QStringLiteral("export.write"),
                            QStringLiteral("Could not write %1 (%2); check the disk space.").arg(csvPath, file.errorString()));
    return written;
}

} // namespace syncline::ui
