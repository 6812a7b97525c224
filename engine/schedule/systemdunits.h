#pragma once
// The text of the systemd user units that run a workspace's due syncs while the app is closed:
// a oneshot service calling `syncline-cli --workspace W run-due` and a timer starting it every
// minute (Persistent, so a wake from sleep catches up once). One pair per workspace, named after
// a hash of its absolute path, so several workspaces can be scheduled side by side. Pure text.

#include <QString>

namespace syncline::engine::schedule {

struct SystemdUnits
{
    QString baseName;    // "syncline-run-due-1a2b3c4d"
    QString serviceName; // baseName + ".service"
    QString timerName;   // baseName + ".timer"
    QString service;
    QString timer;
};

SystemdUnits systemdUnits(const QString &cliPath, const QString &workspacePath);
// One argument of ExecStart=, quoted for systemd ("...", with \, " and specifiers escaped).
QString systemdQuoted(const QString &argument);

} // namespace syncline::engine::schedule
