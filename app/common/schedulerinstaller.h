#pragma once
// Installs and removes what runs a workspace's due syncs while the app is closed: on Linux the
// systemd user timer and service of engine/schedule/systemdunits.h, written to
// $XDG_CONFIG_HOME/systemd/user (default ~/.config/systemd/user), then reloaded and enabled with
// `systemctl --user` when systemctl and a user manager exist; otherwise the report says what to
// run. Shared by 'syncline-cli schedule install' and the app's checkbox. Thread: any; blocks on
// systemctl for a few seconds at most.

#include "engine/core/error.h"

#include <QString>
#include <QStringList>

namespace syncline::app {

struct SchedulerInstallReport
{
    QStringList written;     // files written or removed
    QStringList ran;         // commands run ("systemctl --user daemon-reload")
    QStringList toRun;       // commands the user still has to run (no systemctl or no user manager)
    QString note;            // one line about what happens now
};

class SchedulerInstaller
{
public:
    // cliPath: the syncline-cli to call; workspacePath: the workspace whose syncs run.
    SchedulerInstaller(QString cliPath, QString workspacePath);

    engine::Result<SchedulerInstallReport> install() const;
    engine::Result<SchedulerInstallReport> uninstall() const;
    // True when this workspace's timer file exists.
    bool isInstalled() const;

    static QString unitFolder(); // $XDG_CONFIG_HOME/systemd/user
    // syncline-cli next to the running executable, else the one on PATH.
    static QString defaultCliPath();

private:
    QString m_cliPath;
    QString m_workspacePath;
};

} // namespace syncline::app
