#include "app/common/schedulerinstaller.h"

#include "engine/schedule/systemdunits.h"

#include <QCoreApplication>
#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QProcess>
#include <QSaveFile>
#include <QStandardPaths>

namespace syncline::app {

namespace {

using engine::fail;

struct Systemctl
{
    QString program; // empty when systemctl is missing
    bool userManager = false;
};

Systemctl findSystemctl()
{
    Systemctl found;
    found.program = QStandardPaths::findExecutable(QStringLiteral("systemctl"));
    if (found.program.isEmpty())
        return found;
    QProcess probe;
    probe.start(found.program, {QStringLiteral("--user"), QStringLiteral("show-environment")});
    found.userManager = probe.waitForFinished(5000) && probe.exitStatus() == QProcess::NormalExit && probe.exitCode() == 0;
    return found;
}

// Runs `systemctl --user ARGS`; an error names the command and what it printed.
engine::Result<void> systemctl(const QString &program, const QStringList &arguments)
{
    QProcess process;
    process.start(program, QStringList{QStringLiteral("--user")} + arguments);
    if (!process.waitForFinished(15000) || process.exitStatus() != QProcess::NormalExit || process.exitCode() != 0)
        return fail(QStringLiteral("schedule.systemctl"),
                    QStringLiteral("'systemctl --user %1' failed: %2")
                        .arg(arguments.join(QLatin1Char(' ')),
                             QString::fromLocal8Bit(process.readAllStandardError()).trimmed()));
    return {};
}

engine::Result<void> writeFile(const QString &path, const QString &text)
{
    QSaveFile file(path);
    if (!file.open(QIODevice::WriteOnly) || file.write(text.toUtf8()) < 0 || !file.commit())
        return fail(QStringLiteral("schedule.write"),
                    QStringLiteral("cannot write %1 (%2); check that the folder is writable").arg(path, file.errorString()));
    return {};
}

} // namespace

SchedulerInstaller::SchedulerInstaller(QString cliPath, QString workspacePath)
    : m_cliPath(std::move(cliPath)), m_workspacePath(QFileInfo(workspacePath).absoluteFilePath())
{
}

QString SchedulerInstaller::unitFolder()
{
    QString config = qEnvironmentVariable("XDG_CONFIG_HOME");
    if (config.isEmpty())
        config = QDir::homePath() + QStringLiteral("/.config");
    return config + QStringLiteral("/systemd/user");
}

QString SchedulerInstaller::defaultCliPath()
{
    const QString beside = QDir(QCoreApplication::applicationDirPath()).filePath(QStringLiteral("syncline-cli"));
    if (QFileInfo(beside).isExecutable())
        return beside;
    const QString onPath = QStandardPaths::findExecutable(QStringLiteral("syncline-cli"));
    return onPath.isEmpty() ? beside : onPath;
}

bool SchedulerInstaller::isInstalled() const
{
    const auto units = engine::schedule::systemdUnits(m_cliPath, m_workspacePath);
    return QFileInfo::exists(QDir(unitFolder()).filePath(units.timerName));
}

engine::Result<SchedulerInstallReport> SchedulerInstaller::install() const
{
    if (!QFileInfo(m_cliPath).isExecutable())
        return fail(QStringLiteral("schedule.cli_missing"),
                    QStringLiteral("cannot find syncline-cli at %1; install Syncline or give the path of syncline-cli").arg(m_cliPath));
    const auto units = engine::schedule::systemdUnits(m_cliPath, m_workspacePath);
    const QDir folder(unitFolder());
    if (!QDir().mkpath(folder.path()))
        return fail(QStringLiteral("schedule.write"),
                    QStringLiteral("cannot create the folder %1; check its permissions").arg(folder.path()));
    SchedulerInstallReport report;
    for (const auto &[name, text] : {std::pair{units.serviceName, units.service}, std::pair{units.timerName, units.timer}}) {
        if (auto ok = writeFile(folder.filePath(name), text); !ok)
            return std::unexpected(ok.error());
        report.written << folder.filePath(name);
    }
    const QStringList reload{QStringLiteral("daemon-reload")};
    const QStringList enable{QStringLiteral("enable"), QStringLiteral("--now"), units.timerName};
    const Systemctl found = findSystemctl();
    if (found.program.isEmpty() || !found.userManager) {
        report.toRun << QStringLiteral("systemctl --user ") + reload.join(QLatin1Char(' '))
                     << QStringLiteral("systemctl --user ") + enable.join(QLatin1Char(' '));
        report.note = found.program.isEmpty()
                          ? QStringLiteral("systemctl was not found; on a machine with systemd, run the commands below")
                          : QStringLiteral("no systemd user manager is running for this user; run the commands below "
                                           "in a login session");
        return report;
    }
    for (const QStringList &arguments : {reload, enable}) {
        if (auto ok = systemctl(found.program, arguments); !ok)
            return std::unexpected(ok.error());
        report.ran << QStringLiteral("systemctl --user ") + arguments.join(QLatin1Char(' '));
    }
    report.note = QStringLiteral("due syncs of %1 now run every minute while you are logged in, even with Syncline closed")
                      .arg(m_workspacePath);
    return report;
}

engine::Result<SchedulerInstallReport> SchedulerInstaller::uninstall() const
{
    const auto units = engine::schedule::systemdUnits(m_cliPath, m_workspacePath);
    const QDir folder(unitFolder());
    SchedulerInstallReport report;
    const Systemctl found = findSystemctl();
    const QStringList disable{QStringLiteral("disable"), QStringLiteral("--now"), units.timerName};
    const QStringList reload{QStringLiteral("daemon-reload")};
    const bool canRun = !found.program.isEmpty() && found.userManager;
    if (canRun && isInstalled()) {
        // Disabling a timer the manager never loaded fails harmlessly: keep going.
        if (systemctl(found.program, disable))
            report.ran << QStringLiteral("systemctl --user ") + disable.join(QLatin1Char(' '));
    }
    // Without a running manager nothing is loaded: removing the files and the enablement link
    // (what 'systemctl enable' made) is all there is to undo.
    const QStringList files{QStringLiteral("timers.target.wants/") + units.timerName, units.timerName, units.serviceName};
    for (const QString &name : files) {
        const QString path = folder.filePath(name);
        if (!QFileInfo(path).isSymLink() && !QFileInfo::exists(path))
            continue;
        if (!QFile::remove(path))
            return fail(QStringLiteral("schedule.write"),
                        QStringLiteral("cannot remove %1; check the folder's permissions").arg(path));
        report.written << path;
    }
    if (canRun) {
        if (auto ok = systemctl(found.program, reload); !ok)
            return std::unexpected(ok.error());
        report.ran << QStringLiteral("systemctl --user daemon-reload");
    }
    report.note = report.written.isEmpty() ? QStringLiteral("nothing was installed for %1").arg(m_workspacePath)
                                           : QStringLiteral("due syncs of %1 no longer run while Syncline is closed")
                                                 .arg(m_workspacePath);
    return report;
}

} // namespace syncline::app
