#include "ui/runs/runalerts.h"

#include <QCryptographicHash>
#include <QJsonDocument>
#include <QJsonObject>
#include <QNetworkAccessManager>
#include <QNetworkReply>
#include <QNetworkRequest>
#include <QSettings>
#include <QUrl>

namespace syncline::ui {

using engine::schedule::DueOutcome;

namespace {

QString settingsGroup(const QString &workspacePath)
{
    return QStringLiteral("alerts/") + QString::fromLatin1(QCryptographicHash::hash(workspacePath.toUtf8(), QCryptographicHash::Sha256).toHex().left(16));
}

} // namespace

AlertSettings AlertSettings::load(const QString &workspacePath)
{
    QSettings settings;
    settings.beginGroup(settingsGroup(workspacePath));
    return AlertSettings{settings.value(QStringLiteral("url")).toString(),
                         settings.value(QStringLiteral("rejected_share"), 0.0).toDouble()};
}

void AlertSettings::save(const QString &workspacePath) const
{
    QSettings settings;
    settings.beginGroup(settingsGroup(workspacePath));
    settings.setValue(QStringLiteral("workspace"), workspacePath);
    settings.setValue(QStringLiteral("url"), url);
    settings.setValue(QStringLiteral("rejected_share"), rejectedShare);
}

RunAlerts::RunAlerts(QObject *parent) : QObject(parent), m_network(new QNetworkAccessManager(this)) {}

QString RunAlerts::reasonFor(const DueOutcome &outcome, const AlertSettings &settings)
{
    if (settings.url.isEmpty())
        return {};
    if (outcome.kind == DueOutcome::Kind::Refused)
        return tr("Sync '%1' could not run: %2").arg(outcome.syncName, outcome.message);
    if (!outcome.run)
        return {};
    const auto &run = *outcome.run;
    if (run.status == QLatin1String("failed"))
        return tr("Sync '%1' failed (run %2): %3").arg(outcome.syncName).arg(run.id).arg(run.error);
    if (settings.rejectedShare > 0 && run.counts.sent > 0
        && double(run.counts.rejected) / double(run.counts.sent) > settings.rejectedShare)
        return tr("Sync '%1' (run %2): the destination rejected %3 of %4 rows, more than %5 %")
            .arg(outcome.syncName)
            .arg(run.id)
            .arg(run.counts.rejected)
            .arg(run.counts.sent)
            .arg(settings.rejectedShare * 100, 0, 'g', 3);
    return {};
}

QByteArray RunAlerts::payload(const DueOutcome &outcome, const QString &reason)
{
    QJsonObject object{{QStringLiteral("text"), reason}, {QStringLiteral("sync"), outcome.syncName}};
    if (outcome.run) {
        object.insert(QStringLiteral("run"), outcome.run->id);
        object.insert(QStringLiteral("status"), outcome.run->status);
        object.insert(QStringLiteral("sent"), outcome.run->counts.sent);
        object.insert(QStringLiteral("rejected"), outcome.run->counts.rejected);
        object.insert(QStringLiteral("error"), outcome.run->error);
    }
    return QJsonDocument(object).toJson(QJsonDocument::Compact);
}

bool RunAlerts::notify(const DueOutcome &outcome, const AlertSettings &settings)
{
    const QString reason = reasonFor(outcome, settings);
    const QUrl url(settings.url);
    if (reason.isEmpty() || !url.isValid())
        return false;
    QNetworkRequest request(url);
    request.setHeader(QNetworkRequest::ContentTypeHeader, QStringLiteral("application/json"));
    request.setTransferTimeout(15000);
    QNetworkReply *reply = m_network->post(request, payload(outcome, reason));
    const QString syncName = outcome.syncName;
    connect(reply, &QNetworkReply::finished, this, [this, reply, syncName] {
        reply->deleteLater();
        const bool ok = reply->error() == QNetworkReply::NoError;
        emit delivered(syncName, ok, ok ? QString() : reply->errorString());
    });
    return true;
}

} // namespace syncline::ui
