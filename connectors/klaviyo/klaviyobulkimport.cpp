#include "connectors/klaviyo/klaviyobulkimport.h"

#include "connectors/klaviyo/klaviyoprofile.h"

#include <QElapsedTimer>
#include <QEventLoop>
#include <QJsonArray>
#include <QJsonDocument>
#include <QRegularExpression>
#include <QTimer>
#include <QUrl>

#include <mutex>

namespace syncline::connectors::klaviyo {

using engine::Result;
using engine::connector::RecordOutcome;

bool waitCancellable(std::chrono::milliseconds duration, const engine::CancellationToken &cancellation)
{
    if (cancellation.isCancelled())
        return false;
    QEventLoop loop;
    struct Bridge
    {
        std::mutex mutex;
        QEventLoop *loop = nullptr;
    };
    auto bridge = std::make_shared<Bridge>();
    bridge->loop = &loop;
    auto registration = cancellation.onCancel([bridge] {
        std::lock_guard lock(bridge->mutex);
        if (bridge->loop)
            QMetaObject::invokeMethod(bridge->loop, &QEventLoop::quit, Qt::QueuedConnection);
    });
    QTimer::singleShot(duration, &loop, &QEventLoop::quit);
    if (!cancellation.isCancelled())
        loop.exec();
    registration.reset();
    {
        std::lock_guard lock(bridge->mutex);
        bridge->loop = nullptr;
    }
    return !cancellation.isCancelled();
}

KlaviyoBulkImport::KlaviyoBulkImport(const KlaviyoApi &api, QString matchField)
    : m_api(api)
    , m_matchField(std::move(matchField))
{ }

Result<std::vector<RecordOutcome>> KlaviyoBulkImport::run(
    const std::vector<QJsonObject> &resources, const engine::CancellationToken &cancellation)
{
    std::vector<RecordOutcome> outcomes(resources.size());
    auto all = [&outcomes](bool accepted, const QString &error, bool retryable) {
        for (RecordOutcome &outcome : outcomes) {
            outcome.accepted = accepted;
            outcome.error = error;
            outcome.retryable = retryable;
        }
    };
    QJsonArray profiles;
    for (const QJsonObject &resource : resources)
        profiles.append(resource);
    const QJsonObject body { { QStringLiteral("data"),
        QJsonObject { { QStringLiteral("type"), QStringLiteral("profile-bulk-import-job") },
            { QStringLiteral("attributes"),
                QJsonObject { { QStringLiteral("profiles"), QJsonObject { { QStringLiteral("data"), profiles } } } } } } } };
    auto created = m_api.send(
        m_api.request("POST", QStringLiteral("/api/profile-bulk-import-jobs"), {}, &body), cancellation);
    if (!created) {
        if (created.error().code == QLatin1String("http.cancelled") || created.error().code.startsWith(QLatin1String("auth.")))
            return std::unexpected(created.error());
        all(false, created.error().message, true);
        return outcomes;
    }
    if (created->status != 202 && !created->isSuccess()) {
        all(false, QStringLiteral("Klaviyo refused the bulk import job (%1)").arg(KlaviyoApi::errorText(*created)),
            created->status >= 500);
        return outcomes;
    }
    m_jobId = QJsonDocument::fromJson(created->body).object().value(QStringLiteral("data")).toObject().value(QStringLiteral("id")).toString();
    if (m_jobId.isEmpty()) {
        all(false, QStringLiteral("Klaviyo accepted the bulk import job but named no job id"), true);
        return outcomes;
    }
    auto status = waitForJob(cancellation);
    if (!status) {
        if (status.error().code == QLatin1String("http.cancelled"))
            return engine::fail(QStringLiteral("http.cancelled"),
                QStringLiteral("cancelled while Klaviyo processed bulk import job %1; Klaviyo may still finish it, and "
                               "the next run sends these rows again (an upsert, so harmless)")
                    .arg(m_jobId),
                true);
        if (status.error().code.startsWith(QLatin1String("auth.")))
            return std::unexpected(status.error());
        all(false, status.error().message, true);
        return outcomes;
    }
    if (*status != QLatin1String("complete")) {
        all(false, QStringLiteral("Klaviyo's bulk import job %1 ended '%2'; the rows are sent again by the next run").arg(m_jobId, *status), true);
        return outcomes;
    }
    all(true, {}, false);
    if (auto read = readErrors(resources, outcomes, cancellation); !read) {
        // The job is done but which rows failed is unknown: send them all again (an upsert) next run.
        all(false, read.error().message, true);
    }
    return outcomes;
}

Result<QString> KlaviyoBulkImport::waitForJob(const engine::CancellationToken &cancellation)
{
    QElapsedTimer elapsed;
    elapsed.start();
    const QString path = QStringLiteral("/api/profile-bulk-import-jobs/") + m_jobId;
    for (;;) {
        if (!waitCancellable(m_api.settings.pollInterval, cancellation))
            return engine::fail(QStringLiteral("http.cancelled"), QStringLiteral("cancelled"), true);
        if (elapsed.elapsed() > m_api.settings.jobTimeout.count())
            return engine::fail(QStringLiteral("klaviyo.job_timeout"),
                QStringLiteral("Klaviyo's bulk import job %1 was not complete after %2 s (job_timeout); the next run "
                               "sends these rows again")
                    .arg(m_jobId)
                    .arg(m_api.settings.jobTimeout.count() / 1000),
                true);
        ++m_polls;
        auto polled = m_api.send(m_api.request("GET", path), cancellation);
        if (!polled)
            return std::unexpected(polled.error());
        if (!polled->isSuccess())
            return engine::fail(QStringLiteral("klaviyo.job"),
                QStringLiteral("reading bulk import job %1 failed (%2)").arg(m_jobId, KlaviyoApi::errorText(*polled)), true);
        const QString status = QJsonDocument::fromJson(polled->body)
                                   .object()
                                   .value(QStringLiteral("data"))
                                   .toObject()
                                   .value(QStringLiteral("attributes"))
                                   .toObject()
                                   .value(QStringLiteral("status"))
                                   .toString();
        if (status == QLatin1String("complete") || status == QLatin1String("cancelled"))
            return status;
    }
}

Result<void> KlaviyoBulkImport::readErrors(const std::vector<QJsonObject> &resources, std::vector<RecordOutcome> &outcomes,
    const engine::CancellationToken &cancellation)
{
    QHash<QString, int> byIdentity;
    for (int i = 0; i < int(resources.size()); ++i)
        byIdentity.insert(identityOf(resources[size_t(i)].value(QStringLiteral("attributes")).toObject(), m_matchField), i);
    static const QRegularExpression indexInPointer(QStringLiteral("^/data/attributes/profiles/data/(\\d+)"));
    const QString path = QStringLiteral("/api/profile-bulk-import-jobs/%1/import-errors").arg(m_jobId);
    QString cursor;
    for (int page = 0; page < 10'000; ++page) {
        QString query = QStringLiteral("page%5Bsize%5D=100");
        if (!cursor.isEmpty())
            query += QStringLiteral("&page%5Bcursor%5D=") + QString::fromLatin1(QUrl::toPercentEncoding(cursor));
        auto answer = m_api.send(m_api.request("GET", path, query), cancellation);
        if (!answer)
            return std::unexpected(answer.error());
        if (!answer->isSuccess())
            return engine::fail(QStringLiteral("klaviyo.job"),
                QStringLiteral("reading the import errors of job %1 failed (%2); the next run sends its rows again")
                    .arg(m_jobId, KlaviyoApi::errorText(*answer)),
                true);
        const QJsonObject document = QJsonDocument::fromJson(answer->body).object();
        for (const QJsonValue &value : document.value(QStringLiteral("data")).toArray()) {
            const QJsonObject attributes = value.toObject().value(QStringLiteral("attributes")).toObject();
            const QString pointer = attributes.value(QStringLiteral("source")).toObject().value(QStringLiteral("pointer")).toString();
            int index = -1;
            if (const auto match = indexInPointer.match(pointer); match.hasMatch())
                index = match.captured(1).toInt();
            if (index < 0 || index >= int(resources.size()))
                index = byIdentity.value(
                    identityOf(attributes.value(QStringLiteral("original_payload")).toObject(), m_matchField), -1);
            if (index < 0)
                continue; // an error Klaviyo could not tie to a row: nothing to reject
            RecordOutcome &outcome = outcomes[size_t(index)];
            outcome.accepted = false;
            outcome.retryable = false;
            QString text = attributes.value(QStringLiteral("detail")).toString();
            if (text.isEmpty())
                text = attributes.value(QStringLiteral("title")).toString();
            outcome.error = QStringLiteral("Klaviyo import error %1: %2")
                                .arg(attributes.value(QStringLiteral("code")).toString(), text);
        }
        const QString next = document.value(QStringLiteral("links")).toObject().value(QStringLiteral("next")).toString();
        if (next.isEmpty())
            return {};
        // Only the cursor of Klaviyo's next link is used: the link names Klaviyo's host, and base_url may differ.
        static const QRegularExpression cursorInLink(QStringLiteral("[?&]page(?:%5B|\\[)cursor(?:%5D|\\])=([^&#]*)"),
            QRegularExpression::CaseInsensitiveOption);
        const auto found = cursorInLink.match(next);
        cursor = found.hasMatch() ? QUrl::fromPercentEncoding(found.captured(1).toUtf8()) : QString();
        if (cursor.isEmpty())
            return {};
    }
    return {};
}

} // namespace syncline::connectors::klaviyo
