#pragma once

#include "engine/schedule/duerunner.h"

#include <QObject>
#include <QString>

class QNetworkAccessManager;

namespace syncline::ui {

// Per-workspace alert settings, kept in the app's settings under the workspace's path: a Slack
// incoming webhook or any URL, and the share of rejected rows above which a run also alerts.
struct AlertSettings
{
    QString url;               // empty = no alerts
    double rejectedShare = 0;  // 0 = only failed runs alert; 0.1 = also runs rejecting more than 10 %

    static AlertSettings load(const QString &workspacePath);
    void save(const QString &workspacePath) const;
};

// Posts a JSON message ({"text": ...} as Slack expects, plus the run's fields) to the alert URL
// when a scheduled run fails or rejects more than the chosen share of its rows.
class RunAlerts : public QObject
{
    Q_OBJECT
public:
    explicit RunAlerts(QObject *parent = nullptr);

    // Why this outcome deserves an alert under `settings`, or empty when it does not.
    static QString reasonFor(const engine::schedule::DueOutcome &outcome, const AlertSettings &settings);
    static QByteArray payload(const engine::schedule::DueOutcome &outcome, const QString &reason);
    // Posts when reasonFor() is not empty; true when a request went out.
    bool notify(const engine::schedule::DueOutcome &outcome, const AlertSettings &settings);

signals:
    void delivered(const QString &syncName, bool ok, const QString &error);

private:
    QNetworkAccessManager *m_network;
};

} // namespace syncline::ui
