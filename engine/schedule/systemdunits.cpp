#include "engine/schedule/systemdunits.h"

#include <QCryptographicHash>
#include <QFileInfo>

namespace syncline::engine::schedule {

QString systemdQuoted(const QString &argument)
{
    QString quoted = argument;
    quoted.replace(QLatin1Char('\\'), QStringLiteral("\\\\"));
    quoted.replace(QLatin1Char('"'), QStringLiteral("\\\""));
    quoted.replace(QLatin1Char('%'), QStringLiteral("%%"));
    quoted.replace(QLatin1Char('$'), QStringLiteral("$$"));
    return QLatin1Char('"') + quoted + QLatin1Char('"');
}

SystemdUnits systemdUnits(const QString &cliPath, const QString &workspacePath)
{
    const QString workspace = QFileInfo(workspacePath).absoluteFilePath();
    const QString hash = QString::fromLatin1(
        QCryptographicHash::hash(workspace.toUtf8(), QCryptographicHash::Sha256).toHex().left(8));
    SystemdUnits units;
    units.baseName = QStringLiteral("syncline-run-due-") + hash;
    units.serviceName = units.baseName + QStringLiteral(".service");
    units.timerName = units.baseName + QStringLiteral(".timer");
    // Descriptions are not command lines: only '%' is special there.
    QString described = workspace;
    described.replace(QLatin1Char('%'), QStringLiteral("%%"));
    units.service = QStringLiteral(
                        "# Written by 'syncline-cli schedule install'; removed by 'syncline-cli schedule uninstall'.\n"
                        "[Unit]\n"
                        "Description=Syncline: run the due syncs of %1\n"
                        "After=network-online.target\n"
                        "\n"
                        "[Service]\n"
                        "Type=oneshot\n"
                        "ExecStart=%2 --workspace %3 run-due\n"
                        "Nice=10\n")
                        .arg(described, systemdQuoted(QFileInfo(cliPath).absoluteFilePath()), systemdQuoted(workspace));
    units.timer = QStringLiteral(
                      "# Written by 'syncline-cli schedule install'; removed by 'syncline-cli schedule uninstall'.\n"
                      "[Unit]\n"
                      "Description=Syncline: look for due syncs of %1 every minute\n"
                      "\n"
                      "[Timer]\n"
                      "OnCalendar=minutely\n"
                      "Persistent=true\n"
                      "Unit=%2\n"
                      "\n"
                      "[Install]\n"
                      "WantedBy=timers.target\n")
                      .arg(described, units.serviceName);
    return units;
}

} // namespace syncline::engine::schedule
