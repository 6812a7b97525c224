#include "ui/shell/schedulertray.h"

#include <QApplication>
#include <QIcon>
#include <QMenu>
#include <QSystemTrayIcon>

namespace syncline::ui {

using engine::schedule::DueOutcome;

SchedulerTray::SchedulerTray(QObject *parent) : QObject(parent)
{
    m_toolTip = tr("Syncline: no sync is running");
    if (!QSystemTrayIcon::isSystemTrayAvailable())
        return;
    m_tray = new QSystemTrayIcon(QApplication::windowIcon(), this);
    m_menu = new QMenu();
    connect(this, &QObject::destroyed, m_menu, &QObject::deleteLater);
    m_status = m_menu->addAction(m_toolTip);
    m_status->setEnabled(false);
    m_menu->addSeparator();
    m_menu->addAction(tr("Show Syncline"), this, &SchedulerTray::showWindowRequested);
    m_menu->addAction(tr("Show Runs"), this, &SchedulerTray::showRunsRequested);
    m_menu->addSeparator();
    m_menu->addAction(tr("Quit (scheduled syncs stop)"), this, &SchedulerTray::quitRequested);
    m_tray->setContextMenu(m_menu);
    m_tray->setToolTip(m_toolTip);
    connect(m_tray, &QSystemTrayIcon::activated, this, [this](QSystemTrayIcon::ActivationReason reason) {
        if (reason == QSystemTrayIcon::Trigger || reason == QSystemTrayIcon::DoubleClick)
            emit showWindowRequested();
    });
    connect(m_tray, &QSystemTrayIcon::messageClicked, this, &SchedulerTray::showRunsRequested);
    m_tray->show();
}

void SchedulerTray::setRunning(const QStringList &syncNames)
{
    m_toolTip = syncNames.isEmpty() ? tr("Syncline: no sync is running")
                                    : tr("Syncline: running %1").arg(syncNames.join(QStringLiteral(", ")));
    if (m_tray) {
        m_tray->setToolTip(m_toolTip);
        m_status->setText(m_toolTip);
    }
}

void SchedulerTray::reportOutcome(const DueOutcome &outcome)
{
    QString message;
    if (outcome.kind == DueOutcome::Kind::Refused)
        message = tr("Sync '%1' could not run: %2").arg(outcome.syncName, outcome.message);
    else if (outcome.run && outcome.run->status == QLatin1String("failed"))
        message = tr("Sync '%1' failed: %2").arg(outcome.syncName, outcome.run->error);
    if (message.isEmpty())
        return;
    m_lastMessage = message;
    if (m_tray)
        m_tray->showMessage(tr("Scheduled sync failed"), message, QSystemTrayIcon::Warning);
}

} // namespace syncline::ui

namespace syncline::ui {

void SchedulerTray::explainOnce(const QString &message)
{
    if (m_explained || !m_tray)
        return;
    m_explained = true;
    m_tray->showMessage(tr("Syncline"), message, QSystemTrayIcon::Information, 5000);
}

} // namespace syncline::ui
