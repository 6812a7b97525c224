#include "tests/fakes/klaviyo/klaviyofake.h"

#include <QDateTime>
#include <QJsonArray>
#include <QJsonDocument>
#include <QUuid>

namespace syncline::testfakes {

namespace {

const QString kSelf = QStringLiteral("https://a.klaviyo.com/api/");
const QStringList kIdentifiers = { QStringLiteral("email"), QStringLiteral("external_id"), QStringLiteral("phone_number") };

QString nowIso()
{
    return QDateTime::currentDateTimeUtc().toString(Qt::ISODateWithMs);
}

QString identityOf(const QString &key, const QJsonValue &value)
{
    const QString text = value.toString();
    return key == QStringLiteral("email") ? text.toLower() : text;
}

} // namespace

KlaviyoFake::KlaviyoFake(QString apiKey) : m_apiKey(std::move(apiKey))
{
    m_clock.start();
    m_host = std::make_unique<FakeHttpHost>([this](const HttpRequest &request) { return handle(request); });
}

KlaviyoFake::~KlaviyoFake()
{
    m_host.reset();
}

bool KlaviyoFake::start(quint16 port, QString *error) { return m_host->start(port, error); }
QUrl KlaviyoFake::url(const QString &path) const { return m_host->url(path); }

void KlaviyoFake::failIdentifiers(const QStringList &identifiers)
{
    QMutexLocker lock(&m_mutex);
    m_fail.clear();
    for (const QString &identifier : identifiers)
        m_fail.insert(identifier.toLower());
}

void KlaviyoFake::scriptRateLimited(int count, int retryAfterSeconds)
{
    QMutexLocker lock(&m_mutex);
    m_rateLimited = count;
    m_retryAfter = retryAfterSeconds;
}

void KlaviyoFake::setBurstLimit(int perSecond)
{
    QMutexLocker lock(&m_mutex);
    m_burstLimit = perSecond;
}

void KlaviyoFake::setPollsToComplete(int polls)
{
    QMutexLocker lock(&m_mutex);
    m_pollsToComplete = polls;
}

void KlaviyoFake::setLatencyMs(int latencyMs)
{
    QMutexLocker lock(&m_mutex);
    m_latencyMs = latencyMs;
}

void KlaviyoFake::revokeKey()
{
    QMutexLocker lock(&m_mutex);
    m_revoked = true;
}

void KlaviyoFake::finishJobs()
{
    QMutexLocker lock(&m_mutex);
    for (Job &job : m_jobs)
        completeJob(job);
}

void KlaviyoFake::reset()
{
    QMutexLocker lock(&m_mutex);
    m_profiles.clear();
    m_index.clear();
    m_jobs.clear();
    m_requests.clear();
    m_bodies.clear();
    m_rateLimitedCount = 0;
    m_writeRequests = 0;
    m_unauthorized = 0;
}

QHash<QString, QJsonObject> KlaviyoFake::profiles(const QString &key) const
{
    QMutexLocker lock(&m_mutex);
    QHash<QString, QJsonObject> result;
    for (const QJsonObject &profile : m_profiles) {
        if (profile.contains(key))
            result.insert(identityOf(key, profile.value(key)), profile);
    }
    return result;
}

int KlaviyoFake::jobCount() const
{
    QMutexLocker lock(&m_mutex);
    return int(m_jobs.size());
}

int KlaviyoFake::openJobCount() const
{
    QMutexLocker lock(&m_mutex);
    return int(std::count_if(m_jobs.begin(), m_jobs.end(), [](const Job &job) { return !job.complete; }));
}

int KlaviyoFake::rateLimitedCount() const
{
    QMutexLocker lock(&m_mutex);
    return m_rateLimitedCount;
}

int KlaviyoFake::writeRequests() const
{
    QMutexLocker lock(&m_mutex);
    return m_writeRequests;
}

int KlaviyoFake::unauthorizedCount() const
{
    QMutexLocker lock(&m_mutex);
    return m_unauthorized;
}

QList<QPair<QByteArray, QByteArray>> KlaviyoFake::requests() const
{
    QMutexLocker lock(&m_mutex);
    return m_requests;
}

QList<QByteArray> KlaviyoFake::bodies() const
{
    QMutexLocker lock(&m_mutex);
    return m_bodies;
}

FakeReply KlaviyoFake::json(int status, const QJsonObject &body)
{
    FakeReply reply;
    reply.status = status;
    reply.headers.append(QPair<QByteArray, QByteArray>("Content-Type", "application/vnd.api+json"));
    // Klaviyo's burst window. With setBurstLimit(n) the headers count this second's requests
    // (the 429 itself happens in handle()); else they say 75 a second and never reach 0.
    const int limit = m_burstLimit > 0 ? m_burstLimit : 75;
    const int remaining = m_burstLimit > 0 ? std::max(0, m_burstLimit - m_requestsInWindow)
                                           : std::max(1, 75 - (m_requestsInWindow % 75));
    reply.headers.append(QPair<QByteArray, QByteArray>("RateLimit-Limit", QByteArray::number(limit)));
    reply.headers.append(QPair<QByteArray, QByteArray>("RateLimit-Remaining", QByteArray::number(remaining)));
    reply.headers.append(QPair<QByteArray, QByteArray>("RateLimit-Reset", "1"));
    if (status != 204)
        reply.body = QJsonDocument(body).toJson(QJsonDocument::Compact);
    reply.delayMs = m_latencyMs;
    return reply;
}

FakeReply KlaviyoFake::error(int status, const QString &code, const QString &title, const QString &detail,
    const QString &pointer)
{
    QJsonObject item { { QStringLiteral("id"), QUuid::createUuid().toString(QUuid::WithoutBraces) },
        { QStringLiteral("status"), status }, { QStringLiteral("code"), code }, { QStringLiteral("title"), title },
        { QStringLiteral("detail"), detail } };
    if (!pointer.isEmpty())
        item.insert(QStringLiteral("source"), QJsonObject { { QStringLiteral("pointer"), pointer } });
    return json(status, { { QStringLiteral("errors"), QJsonArray { item } } });
}

FakeReply KlaviyoFake::handle(const HttpRequest &request)
{
    QMutexLocker lock(&m_mutex);
    m_requests.append({ request.method, request.target });
    m_bodies.append(request.body);
    const qint64 window = m_clock.elapsed() / 1000;
    if (window != m_window) {
        m_window = window;
        m_requestsInWindow = 0;
    }
    ++m_requestsInWindow;
    if (m_burstLimit > 0 && m_requestsInWindow > m_burstLimit && m_rateLimited == 0)
        m_rateLimited = 1; // over this second's burst: the vendor's 429
    if (m_rateLimited > 0) {
        --m_rateLimited;
        ++m_rateLimitedCount;
        FakeReply reply = error(429, QStringLiteral("throttled"), QStringLiteral("Request was throttled."),
            QStringLiteral("Request was throttled. Expected available in %1 second.").arg(m_retryAfter));
        reply.headers = { { "Content-Type", "application/vnd.api+json" },
            { "RateLimit-Limit", QByteArray::number(m_burstLimit > 0 ? m_burstLimit : 75) },
            { "RateLimit-Remaining", "0" }, { "RateLimit-Reset", QByteArray::number(m_retryAfter) },
            { "Retry-After", QByteArray::number(m_retryAfter) } };
        return reply;
    }
    if (m_revoked || request.header("Authorization") != "Klaviyo-API-Key " + m_apiKey.toUtf8()) {
        ++m_unauthorized;
        return error(401, QStringLiteral("not_authenticated"),
            QStringLiteral("Authentication credentials were not provided."),
            QStringLiteral("Missing or invalid private key."));
    }
    if (request.method == "POST")
        ++m_writeRequests;
    if (request.header("revision").isEmpty())
        return error(400, QStringLiteral("invalid"), QStringLiteral("Invalid input."),
            QStringLiteral("The revision header is required."), QStringLiteral("/headers/revision"));
    QJsonObject body;
    if (request.method == "POST") {
        if (!request.header("Content-Type").startsWith("application/vnd.api+json")
            && !request.header("Content-Type").startsWith("application/json"))
            return error(415, QStringLiteral("unsupported_media_type"), QStringLiteral("Unsupported media type."),
                QStringLiteral("Content-Type must be application/vnd.api+json."));
        QJsonParseError parseError;
        const QJsonDocument document = QJsonDocument::fromJson(request.body, &parseError);
        if (parseError.error != QJsonParseError::NoError || !document.isObject())
            return error(400, QStringLiteral("parse_error"), QStringLiteral("Malformed JSON."),
                QStringLiteral("The request body is not a JSON object."));
        body = document.object();
    }
    return route(request, QString::fromUtf8(request.path()), body);
}

FakeReply KlaviyoFake::route(const HttpRequest &request, const QString &path, const QJsonObject &body)
{
    const QStringList parts = path.split(QLatin1Char('/'), Qt::SkipEmptyParts);
    if (request.method == "POST" && path == QStringLiteral("/api/profile-import"))
        return profileImport(body);
    if (request.method == "POST" && path == QStringLiteral("/api/profile-bulk-import-jobs"))
        return createJob(body, request.body.size());
    if (request.method == "GET" && parts.size() == 3 && parts[1] == QStringLiteral("profile-bulk-import-jobs"))
        return jobStatus(parts[2]);
    if (request.method == "GET" && parts.size() == 4 && parts[1] == QStringLiteral("profile-bulk-import-jobs")
        && parts[3] == QStringLiteral("import-errors")) {
        const qsizetype query = request.target.indexOf('?');
        return importErrors(parts[2], query < 0 ? QByteArray() : request.target.mid(query + 1));
    }
    return error(404, QStringLiteral("not_found"), QStringLiteral("Not found."),
        QStringLiteral("No endpoint %1 %2.").arg(QString::fromLatin1(request.method), path));
}

QString KlaviyoFake::apply(const QJsonObject &resource, QString *id, bool *created, QString *pointer)
{
    const QJsonObject attributes = resource.value(QStringLiteral("attributes")).toObject();
    // Which stored profile each identifier points at; two different ones is a conflict.
    QString found = resource.value(QStringLiteral("id")).toString();
    bool anyIdentifier = !found.isEmpty();
    for (const QString &key : kIdentifiers) {
        const QJsonValue value = attributes.value(key);
        if (!value.isString() || value.toString().isEmpty())
            continue;
        anyIdentifier = true;
        if (m_fail.contains(value.toString().toLower())) {
            *pointer = QStringLiteral("/data/attributes/") + key;
            return QStringLiteral("Invalid %1 '%2'.").arg(key, value.toString());
        }
        const QString owner = m_index[key].value(identityOf(key, value));
        if (!owner.isEmpty()) {
            if (!found.isEmpty() && found != owner) {
                *pointer = QStringLiteral("/data/attributes/") + key;
                return QStringLiteral("A profile already exists with one of these identifiers.");
            }
            found = owner;
        }
    }
    if (!anyIdentifier) {
        *pointer = QStringLiteral("/data/attributes");
        return QStringLiteral("One of email, phone_number or external_id is required.");
    }
    *created = found.isEmpty() || !m_profiles.contains(found);
    if (*created)
        found = QStringLiteral("01KFAKE%1").arg(m_nextId++, 8, 10, QLatin1Char('0'));
    QJsonObject profile = m_profiles.value(found);
    for (const QString &key : kIdentifiers) {
        if (profile.contains(key))
            m_index[key].remove(identityOf(key, profile.value(key)));
    }
    for (auto it = attributes.begin(); it != attributes.end(); ++it) {
        if (it.key() == QStringLiteral("properties") || it.key() == QStringLiteral("location")) {
            QJsonObject merged = profile.value(it.key()).toObject();
            const QJsonObject given = it.value().toObject();
            for (auto p = given.begin(); p != given.end(); ++p) {
                if (p.value().isNull())
                    merged.remove(p.key());
                else
                    merged.insert(p.key(), p.value());
            }
            profile.insert(it.key(), merged);
        } else if (it.value().isNull()) {
            profile.remove(it.key());
        } else {
            profile.insert(it.key(), it.value());
        }
    }
    const QJsonValue unset = resource.value(QStringLiteral("meta")).toObject().value(QStringLiteral("patch_properties")).toObject().value(QStringLiteral("unset"));
    QJsonObject properties = profile.value(QStringLiteral("properties")).toObject();
    for (const QJsonValue &name : unset.isArray() ? unset.toArray() : QJsonArray { unset })
        properties.remove(name.toString());
    profile.insert(QStringLiteral("properties"), properties);
    if (*created)
        profile.insert(QStringLiteral("created"), nowIso());
    profile.insert(QStringLiteral("updated"), nowIso());
    m_profiles.insert(found, profile);
    for (const QString &key : kIdentifiers) {
        if (profile.contains(key))
            m_index[key].insert(identityOf(key, profile.value(key)), found);
    }
    *id = found;
    return {};
}

QJsonObject KlaviyoFake::profileJson(const QString &id) const
{
    QJsonObject attributes = m_profiles.value(id);
    return { { QStringLiteral("type"), QStringLiteral("profile") }, { QStringLiteral("id"), id },
        { QStringLiteral("attributes"), attributes },
        { QStringLiteral("links"), QJsonObject { { QStringLiteral("self"), QString(kSelf + QStringLiteral("profiles/") + id + QLatin1Char('/')) } } } };
}

FakeReply KlaviyoFake::profileImport(const QJsonObject &body)
{
    const QJsonObject data = body.value(QStringLiteral("data")).toObject();
    if (data.value(QStringLiteral("type")).toString() != QStringLiteral("profile"))
        return error(400, QStringLiteral("invalid"), QStringLiteral("Invalid input."),
            QStringLiteral("data.type must be 'profile'."), QStringLiteral("/data/type"));
    QString id, pointer;
    bool created = false;
    const QString problem = apply(data, &id, &created, &pointer);
    if (!problem.isEmpty()) {
        const bool conflict = problem.startsWith(QStringLiteral("A profile already exists"));
        return error(conflict ? 409 : 400, conflict ? QStringLiteral("duplicate_profile") : QStringLiteral("invalid"),
            conflict ? QStringLiteral("Conflict.") : QStringLiteral("Invalid input."), problem, pointer);
    }
    return json(created ? 201 : 200, { { QStringLiteral("data"), profileJson(id) },
                                         { QStringLiteral("links"), QJsonObject { { QStringLiteral("self"), QString(kSelf + QStringLiteral("profile-import/")) } } } });
}

FakeReply KlaviyoFake::createJob(const QJsonObject &body, qsizetype bytes)
{
    const QJsonObject data = body.value(QStringLiteral("data")).toObject();
    const QJsonArray profiles = data.value(QStringLiteral("attributes")).toObject().value(QStringLiteral("profiles")).toObject().value(QStringLiteral("data")).toArray();
    if (data.value(QStringLiteral("type")).toString() != QStringLiteral("profile-bulk-import-job") || profiles.isEmpty())
        return error(400, QStringLiteral("invalid"), QStringLiteral("Invalid input."),
            QStringLiteral("data.attributes.profiles.data must list at least one profile."),
            QStringLiteral("/data/attributes/profiles/data"));
    if (profiles.size() > kMaxBulkProfiles)
        return error(400, QStringLiteral("invalid"), QStringLiteral("Invalid input."),
            QStringLiteral("A bulk import job accepts at most 10000 profiles; this one had %1.").arg(profiles.size()),
            QStringLiteral("/data/attributes/profiles/data"));
    if (bytes > kMaxBulkBytes)
        return error(413, QStringLiteral("request_too_large"), QStringLiteral("Payload too large."),
            QStringLiteral("The maximum payload size is 5MB."));
    Job job;
    job.id = QUuid::createUuid().toString(QUuid::WithoutBraces);
    job.createdAt = nowIso();
    for (const QJsonValue &profile : profiles)
        job.profiles.append(profile.toObject());
    m_jobs.push_back(job);
    if (m_pollsToComplete <= 0)
        completeJob(m_jobs.back());
    return json(202, { { QStringLiteral("data"), jobJson(m_jobs.back()) },
                         { QStringLiteral("links"), QJsonObject { { QStringLiteral("self"), QString(kSelf + QStringLiteral("profile-bulk-import-jobs/")) } } } });
}

void KlaviyoFake::completeJob(Job &job)
{
    if (job.complete)
        return;
    job.complete = true;
    job.completedAt = nowIso();
    for (int i = 0; i < job.profiles.size(); ++i) {
        QString id, pointer;
        bool created = false;
        const QString problem = apply(job.profiles[i], &id, &created, &pointer);
        if (problem.isEmpty())
            continue;
        ++job.failed;
        job.errors.append(QJsonObject { { QStringLiteral("type"), QStringLiteral("import-error") },
            { QStringLiteral("id"), QUuid::createUuid().toString(QUuid::WithoutBraces) },
            { QStringLiteral("attributes"),
                QJsonObject { { QStringLiteral("code"), QStringLiteral("invalid") },
                    { QStringLiteral("title"), QStringLiteral("Invalid input.") }, { QStringLiteral("detail"), problem },
                    { QStringLiteral("source"),
                        QJsonObject { { QStringLiteral("pointer"),
                            QString(QStringLiteral("/data/attributes/profiles/data/%1").arg(i) + pointer.mid(5)) } } },
                    { QStringLiteral("original_payload"),
                        job.profiles[i].value(QStringLiteral("attributes")).toObject() } } } });
    }
}

QJsonObject KlaviyoFake::jobJson(const Job &job) const
{
    const QString status = job.complete ? QStringLiteral("complete")
        : job.polls == 0                ? QStringLiteral("queued")
                                        : QStringLiteral("processing");
    QJsonObject attributes { { QStringLiteral("status"), status }, { QStringLiteral("created_at"), job.createdAt },
        { QStringLiteral("total_count"), int(job.profiles.size()) },
        { QStringLiteral("completed_count"), job.complete ? int(job.profiles.size()) - job.failed : 0 },
        { QStringLiteral("failed_count"), job.failed } };
    if (job.complete) {
        attributes.insert(QStringLiteral("completed_at"), job.completedAt);
        attributes.insert(QStringLiteral("started_at"), job.createdAt);
    }
    return { { QStringLiteral("type"), QStringLiteral("profile-bulk-import-job") }, { QStringLiteral("id"), job.id },
        { QStringLiteral("attributes"), attributes },
        { QStringLiteral("links"), QJsonObject { { QStringLiteral("self"), QString(kSelf + QStringLiteral("profile-bulk-import-jobs/") + job.id + QLatin1Char('/')) } } } };
}

FakeReply KlaviyoFake::jobStatus(const QString &id)
{
    for (Job &job : m_jobs) {
        if (job.id != id)
            continue;
        ++job.polls;
        if (job.polls >= m_pollsToComplete)
            completeJob(job);
        return json(200, { { QStringLiteral("data"), jobJson(job) },
                             { QStringLiteral("links"), QJsonObject { { QStringLiteral("self"), QString(kSelf + QStringLiteral("profile-bulk-import-jobs/") + id + QLatin1Char('/')) } } } });
    }
    return error(404, QStringLiteral("not_found"), QStringLiteral("Not found."), QStringLiteral("No job %1.").arg(id));
}

FakeReply KlaviyoFake::importErrors(const QString &id, const QByteArray &query)
{
    // page[size] and page[cursor], however the brackets are encoded.
    QHash<QString, QString> params;
    for (const QByteArray &pair : query.split('&')) {
        const qsizetype equals = pair.indexOf('=');
        params.insert(QString::fromUtf8(QByteArray::fromPercentEncoding(pair.left(equals))),
            QString::fromUtf8(QByteArray::fromPercentEncoding(pair.mid(equals + 1))));
    }
    const int size = std::clamp(params.value(QStringLiteral("page[size]")).toInt(), 0, 100);
    const int pageSize = size == 0 ? 20 : size;
    const int offset = params.value(QStringLiteral("page[cursor]")).toInt();
    for (const Job &job : m_jobs) {
        if (job.id != id)
            continue;
        QJsonArray data;
        for (int i = offset; i < job.errors.size() && i < offset + pageSize; ++i)
            data.append(job.errors[i]);
        const QString base = kSelf + QStringLiteral("profile-bulk-import-jobs/") + id + QStringLiteral("/import-errors/");
        QJsonObject links { { QStringLiteral("self"), base } };
        if (offset + pageSize < job.errors.size())
            links.insert(QStringLiteral("next"),
                QString(base + QStringLiteral("?page%5Bsize%5D=%1&page%5Bcursor%5D=%2").arg(pageSize).arg(offset + pageSize)));
        return json(200, { { QStringLiteral("data"), data }, { QStringLiteral("links"), links } });
    }
    return error(404, QStringLiteral("not_found"), QStringLiteral("Not found."), QStringLiteral("No job %1.").arg(id));
}

} // namespace syncline::testfakes
