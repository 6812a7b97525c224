#include "tests/fakes/mailchimp/mailchimpfake.h"

#include <QCryptographicHash>
#include <QDateTime>
#include <QElapsedTimer>
#include <QJsonArray>
#include <QJsonDocument>
#include <QUrlQuery>

#include <algorithm>

namespace syncline::testfakes {

namespace {

const QSet<QString> kStatuses = { QStringLiteral("subscribed"), QStringLiteral("unsubscribed"),
    QStringLiteral("cleaned"), QStringLiteral("pending"), QStringLiteral("transactional") };

qint64 steadyMs()
{
    static QElapsedTimer clock = [] {
        QElapsedTimer timer;
        timer.start();
        return timer;
    }();
    return clock.elapsed();
}

QString nowIso()
{
    return QDateTime::currentDateTimeUtc().toString(Qt::ISODate);
}

} // namespace

MailchimpFake::MailchimpFake(QString apiKey) : m_apiKey(std::move(apiKey))
{
    m_host = std::make_unique<FakeHttpHost>([this](const HttpRequest &request) { return handle(request); });
}

MailchimpFake::~MailchimpFake()
{
    m_host.reset(); // stops the thread before the state goes
}

bool MailchimpFake::start(quint16 port, QString *error)
{
    return m_host->start(port, error);
}

QUrl MailchimpFake::url(const QString &path) const
{
    return m_host->url(path);
}

QString MailchimpFake::subscriberHash(const QString &email)
{
    return QString::fromLatin1(
        QCryptographicHash::hash(email.trimmed().toLower().toUtf8(), QCryptographicHash::Md5).toHex());
}

void MailchimpFake::addAudience(const QString &listId, const QString &name, const std::vector<MergeField> &mergeFields)
{
    QMutexLocker lock(&m_mutex);
    Audience &audience = m_audiences[listId];
    audience.name = name;
    audience.mergeFields = mergeFields;
}

void MailchimpFake::addMember(const QString &listId, const QString &email, const QString &status, const QJsonObject &mergeFields)
{
    QMutexLocker lock(&m_mutex);
    m_audiences[listId].members.insert(subscriberHash(email),
        QJsonObject { { QStringLiteral("email_address"), email }, { QStringLiteral("status"), status },
            { QStringLiteral("merge_fields"), mergeFields }, { QStringLiteral("last_changed"), nowIso() } });
}

void MailchimpFake::failEmails(const QStringList &emails)
{
    QMutexLocker lock(&m_mutex);
    m_failEmails.clear();
    for (const QString &email : emails)
        m_failEmails.insert(email.toLower());
}

void MailchimpFake::scriptRateLimited(int count)
{
    QMutexLocker lock(&m_mutex);
    m_rateLimited = count;
}

void MailchimpFake::setLatencyMs(int latencyMs)
{
    QMutexLocker lock(&m_mutex);
    m_latencyMs = latencyMs;
}

void MailchimpFake::setMaxConnections(int count)
{
    QMutexLocker lock(&m_mutex);
    m_maxConnections = count;
}

void MailchimpFake::revokeKey()
{
    QMutexLocker lock(&m_mutex);
    m_revoked = true;
}

void MailchimpFake::reset()
{
    QMutexLocker lock(&m_mutex);
    for (Audience &audience : m_audiences)
        audience.members.clear();
    m_requests.clear();
    m_bodies.clear();
    m_rateLimitedCount = 0;
    m_writeRequests = 0;
    m_unauthorized = 0;
    m_maxOpen = 0;
}

QHash<QString, QJsonObject> MailchimpFake::members(const QString &listId) const
{
    QMutexLocker lock(&m_mutex);
    QHash<QString, QJsonObject> result;
    for (const QJsonObject &member : m_audiences.value(listId).members) {
        if (member.value(QStringLiteral("status")).toString() != QStringLiteral("archived"))
            result.insert(member.value(QStringLiteral("email_address")).toString().toLower(), member);
    }
    return result;
}

QSet<QString> MailchimpFake::archived(const QString &listId) const
{
    QMutexLocker lock(&m_mutex);
    QSet<QString> result;
    for (const QJsonObject &member : m_audiences.value(listId).members) {
        if (member.value(QStringLiteral("status")).toString() == QStringLiteral("archived"))
            result.insert(member.value(QStringLiteral("email_address")).toString().toLower());
    }
    return result;
}

MailchimpFake::Counters MailchimpFake::counters() const
{
    QMutexLocker lock(&m_mutex);
    return Counters { m_writeRequests, m_rateLimitedCount, m_unauthorized };
}

int MailchimpFake::maxOpenSeen() const
{
    QMutexLocker lock(&m_mutex);
    return m_maxOpen;
}

int MailchimpFake::rateLimitedCount() const
{
    QMutexLocker lock(&m_mutex);
    return m_rateLimitedCount;
}

QList<QPair<QByteArray, QByteArray>> MailchimpFake::requests() const
{
    QMutexLocker lock(&m_mutex);
    return m_requests;
}

QList<QByteArray> MailchimpFake::bodies() const
{
    QMutexLocker lock(&m_mutex);
    return m_bodies;
}

FakeReply MailchimpFake::json(int status, const QJsonObject &body) const
{
    FakeReply reply;
    reply.status = status;
    reply.headers.append(QPair<QByteArray, QByteArray>("Content-Type", "application/json; charset=utf-8"));
    reply.body = QJsonDocument(body).toJson(QJsonDocument::Compact);
    reply.delayMs = m_latencyMs;
    return reply;
}

FakeReply MailchimpFake::problem(int status, const QString &title, const QString &detail) const
{
    FakeReply reply = json(status,
        QJsonObject { { QStringLiteral("type"),
                          QStringLiteral("https://mailchimp.com/developer/marketing/docs/errors/") },
            { QStringLiteral("title"), title }, { QStringLiteral("status"), status },
            { QStringLiteral("detail"), detail },
            { QStringLiteral("instance"), QStringLiteral("00000000-0000-0000-0000-000000000000") } });
    reply.headers = { { "Content-Type", "application/problem+json; charset=utf-8" } };
    return reply;
}

FakeReply MailchimpFake::handle(const HttpRequest &request)
{
    QMutexLocker lock(&m_mutex);
    m_requests.append({ request.method, request.path() });
    m_bodies.append(request.body);
    const qint64 now = steadyMs();
    while (!m_openUntil.empty() && m_openUntil.front() <= now)
        m_openUntil.pop_front();
    if (m_rateLimited > 0 || int(m_openUntil.size()) >= m_maxConnections) {
        if (m_rateLimited > 0)
            --m_rateLimited;
        ++m_rateLimitedCount;
        FakeReply reply = problem(429, QStringLiteral("Too Many Requests"),
            QStringLiteral("You have exceeded the limit of 10 simultaneous connections."));
        reply.delayMs = 0;
        return reply;
    }
    const QByteArray given = request.header("Authorization");
    const QByteArray password = QByteArray::fromBase64(given.mid(6)).split(':').value(1);
    if (m_revoked || !given.startsWith("Basic ") || password != m_apiKey.toUtf8()) {
        ++m_unauthorized;
        return problem(401, QStringLiteral("API Key Invalid"),
            QStringLiteral("Your API key may be invalid, or you've attempted to access the wrong datacenter."));
    }
    if (request.method != "GET")
        ++m_writeRequests;
    m_openUntil.push_back(now + m_latencyMs);
    std::sort(m_openUntil.begin(), m_openUntil.end());
    m_maxOpen = std::max(m_maxOpen, int(m_openUntil.size()));

    QString path = QString::fromUtf8(QByteArray::fromPercentEncoding(request.path()));
    if (path.startsWith(QStringLiteral("/3.0/")))
        path = path.mid(4);
    const QStringList parts = path.split(QLatin1Char('/'), Qt::SkipEmptyParts);
    return route(request, parts);
}

FakeReply MailchimpFake::route(const HttpRequest &request, const QStringList &parts)
{
    const QByteArray method = request.method;
    if (parts.value(0) != QStringLiteral("lists"))
        return problem(404, QStringLiteral("Resource Not Found"), QStringLiteral("The requested resource could not be found."));
    if (parts.size() == 1 && method == "GET") {
        QJsonArray lists;
        for (auto it = m_audiences.cbegin(); it != m_audiences.cend(); ++it)
            lists.append(QJsonObject { { QStringLiteral("id"), it.key() }, { QStringLiteral("name"), it->name } });
        return json(200, { { QStringLiteral("lists"), lists }, { QStringLiteral("total_items"), lists.size() } });
    }
    const QString listId = parts.value(1);
    if (!m_audiences.contains(listId))
        return problem(404, QStringLiteral("Resource Not Found"),
            QStringLiteral("The requested resource could not be found."));
    Audience &audience = m_audiences[listId];
    QJsonParseError parseError;
    const QJsonDocument document = QJsonDocument::fromJson(request.body, &parseError);
    const bool hasBody = method == "POST" || method == "PUT" || method == "PATCH";
    if (hasBody && (parseError.error != QJsonParseError::NoError || !document.isObject()))
        return problem(400, QStringLiteral("JSON Parse Exception"),
            QStringLiteral("We encountered an unspecified JSON parsing error."));
    if (parts.size() == 2) {
        if (method == "GET") {
            int count = 0;
            for (const QJsonObject &member : audience.members)
                count += member.value(QStringLiteral("status")).toString() != QStringLiteral("archived");
            return json(200, { { QStringLiteral("id"), listId }, { QStringLiteral("name"), audience.name },
                                 { QStringLiteral("stats"), QJsonObject { { QStringLiteral("member_count"), count } } } });
        }
        if (method == "POST")
            return batchSubscribe(listId, document.object());
    }
    if (parts.size() == 3 && parts[2] == QStringLiteral("merge-fields") && method == "GET") {
        QJsonArray fields;
        int order = 0;
        for (const MergeField &field : audience.mergeFields) {
            ++order;
            fields.append(QJsonObject { { QStringLiteral("merge_id"), order }, { QStringLiteral("tag"), field.tag },
                { QStringLiteral("name"), field.name }, { QStringLiteral("type"), field.type },
                { QStringLiteral("required"), field.required }, { QStringLiteral("default_value"), QString() },
                { QStringLiteral("public"), true }, { QStringLiteral("display_order"), order },
                { QStringLiteral("list_id"), listId } });
        }
        return json(200, { { QStringLiteral("merge_fields"), fields }, { QStringLiteral("list_id"), listId },
                             { QStringLiteral("total_items"), fields.size() } });
    }
    if (parts.size() == 3 && parts[2] == QStringLiteral("members") && method == "POST")
        return postMember(listId, document.object());
    if (parts.size() == 4 && parts[2] == QStringLiteral("members")) {
        const QString hash = parts[3].toLower();
        if (method == "PUT" || method == "PATCH")
            return putMember(listId, hash, document.object(), method == "PATCH");
        auto found = audience.members.find(hash);
        const bool present = found != audience.members.end()
            && found->value(QStringLiteral("status")).toString() != QStringLiteral("archived");
        if (!present)
            return problem(404, QStringLiteral("Resource Not Found"),
                QStringLiteral("The requested resource could not be found."));
        if (method == "GET")
            return json(200, memberJson(listId, *found));
        if (method == "DELETE") {
            found->insert(QStringLiteral("status"), QStringLiteral("archived"));
            FakeReply reply;
            reply.status = 204;
            reply.delayMs = m_latencyMs;
            return reply;
        }
    }
    return problem(405, QStringLiteral("Method Not Allowed"), QStringLiteral("The requested method and resource are not compatible."));
}

// Applies one member; an empty result means success, else the error (for errors[] or a 400).
QString MailchimpFake::applyMember(const QString &listId, const QJsonObject &input, bool updateExisting, bool *created)
{
    Audience &audience = m_audiences[listId];
    const QString email = input.value(QStringLiteral("email_address")).toString();
    if (!email.contains(QLatin1Char('@')) || m_failEmails.contains(email.toLower()))
        return QStringLiteral("%1 looks fake or invalid, please enter a real email address.").arg(email);
    const QString hash = subscriberHash(email);
    auto found = audience.members.find(hash);
    const bool exists = found != audience.members.end()
        && found->value(QStringLiteral("status")).toString() != QStringLiteral("archived");
    if (exists && !updateExisting)
        return QStringLiteral("CONTACT_EXISTS:%1 is already a list member.").arg(email);
    const QString status = input.value(QStringLiteral("status")).toString();
    if (!status.isEmpty() && !kStatuses.contains(status))
        return QStringLiteral("Invalid status '%1'.").arg(status);
    QJsonObject member = found != audience.members.end() ? *found : QJsonObject();
    QJsonObject merge = member.value(QStringLiteral("merge_fields")).toObject();
    const QJsonObject given = input.value(QStringLiteral("merge_fields")).toObject();
    for (auto it = given.begin(); it != given.end(); ++it)
        merge.insert(it.key(), it.value());
    if (!exists) {
        const QString initial = status.isEmpty() ? input.value(QStringLiteral("status_if_new")).toString() : status;
        if (initial.isEmpty())
            return QStringLiteral("The resource submitted could not be validated: status is required.");
        for (const MergeField &field : audience.mergeFields) {
            if (field.required && merge.value(field.tag).toVariant().toString().isEmpty())
                return QStringLiteral("Your merge fields were invalid. %1 must be provided").arg(field.tag);
        }
        member.insert(QStringLiteral("status"), initial);
        member.insert(QStringLiteral("timestamp_signup"), nowIso());
    } else if (!status.isEmpty()) {
        member.insert(QStringLiteral("status"), status);
    }
    member.insert(QStringLiteral("email_address"), email);
    member.insert(QStringLiteral("merge_fields"), merge);
    member.insert(QStringLiteral("last_changed"), nowIso());
    for (const char *key : { "language", "vip", "email_type", "tags" }) {
        if (input.contains(QLatin1String(key)))
            member.insert(QLatin1String(key), input.value(QLatin1String(key)));
    }
    audience.members.insert(hash, member);
    if (created)
        *created = !exists;
    return {};
}

QJsonObject MailchimpFake::memberJson(const QString &listId, const QJsonObject &member) const
{
    const QString email = member.value(QStringLiteral("email_address")).toString();
    QJsonObject out { { QStringLiteral("id"), subscriberHash(email) }, { QStringLiteral("email_address"), email },
        { QStringLiteral("unique_email_id"), subscriberHash(email).left(10) },
        { QStringLiteral("status"), member.value(QStringLiteral("status")) },
        { QStringLiteral("merge_fields"), member.value(QStringLiteral("merge_fields")).toObject() },
        { QStringLiteral("list_id"), listId }, { QStringLiteral("last_changed"), member.value(QStringLiteral("last_changed")) },
        { QStringLiteral("email_type"), member.value(QStringLiteral("email_type")).toString(QStringLiteral("html")) },
        { QStringLiteral("vip"), member.value(QStringLiteral("vip")).toBool() } };
    if (member.contains(QStringLiteral("language")))
        out.insert(QStringLiteral("language"), member.value(QStringLiteral("language")).toString());
    return out;
}

FakeReply MailchimpFake::batchSubscribe(const QString &listId, const QJsonObject &body)
{
    if (!body.value(QStringLiteral("members")).isArray())
        return problem(400, QStringLiteral("Invalid Resource"),
            QStringLiteral("The resource submitted could not be validated: members must be an array."));
    const QJsonArray input = body.value(QStringLiteral("members")).toArray();
    if (input.size() > 500)
        return problem(400, QStringLiteral("Invalid Resource"),
            QStringLiteral("You may only subscribe 500 members at a time; this request had %1.").arg(input.size()));
    const bool updateExisting = body.value(QStringLiteral("update_existing")).toBool();
    QJsonArray created, updated, errors;
    for (const QJsonValue &value : input) {
        const QJsonObject item = value.toObject();
        QString error;
        if (item.value(QStringLiteral("status")).toString().isEmpty())
            error = QStringLiteral("The resource submitted could not be validated: status is required.");
        bool isNew = false;
        if (error.isEmpty())
            error = applyMember(listId, item, updateExisting, &isNew);
        const QString email = item.value(QStringLiteral("email_address")).toString();
        if (!error.isEmpty()) {
            const bool exists = error.startsWith(QStringLiteral("CONTACT_EXISTS:"));
            errors.append(QJsonObject { { QStringLiteral("email_address"), email },
                { QStringLiteral("error"), exists ? error.mid(15) : error },
                { QStringLiteral("error_code"),
                    exists ? QStringLiteral("ERROR_CONTACT_EXISTS") : QStringLiteral("ERROR_GENERIC") } });
            continue;
        }
        const QJsonObject member = memberJson(listId, m_audiences[listId].members.value(subscriberHash(email)));
        (isNew ? created : updated).append(member);
    }
    return json(200, { { QStringLiteral("new_members"), created }, { QStringLiteral("updated_members"), updated },
                         { QStringLiteral("errors"), errors }, { QStringLiteral("total_created"), created.size() },
                         { QStringLiteral("total_updated"), updated.size() },
                         { QStringLiteral("error_count"), errors.size() } });
}

FakeReply MailchimpFake::putMember(const QString &listId, const QString &hash, const QJsonObject &body, bool patch)
{
    Audience &audience = m_audiences[listId];
    QJsonObject input = body;
    if (patch) {
        auto found = audience.members.find(hash);
        if (found == audience.members.end()
            || found->value(QStringLiteral("status")).toString() == QStringLiteral("archived"))
            return problem(404, QStringLiteral("Resource Not Found"),
                QStringLiteral("The requested resource could not be found."));
        if (!input.contains(QStringLiteral("email_address")))
            input.insert(QStringLiteral("email_address"), found->value(QStringLiteral("email_address")));
    } else if (subscriberHash(input.value(QStringLiteral("email_address")).toString()) != hash) {
        return problem(400, QStringLiteral("Invalid Resource"),
            QStringLiteral("The email address does not match the subscriber hash in the URL."));
    }
    const QString error = applyMember(listId, input, true, nullptr);
    if (!error.isEmpty())
        return problem(400, QStringLiteral("Invalid Resource"), error);
    return json(200, memberJson(listId, audience.members.value(hash)));
}

FakeReply MailchimpFake::postMember(const QString &listId, const QJsonObject &body)
{
    if (body.value(QStringLiteral("status")).toString().isEmpty())
        return problem(400, QStringLiteral("Invalid Resource"),
            QStringLiteral("The resource submitted could not be validated: status is required."));
    const QString error = applyMember(listId, body, false, nullptr);
    if (error.startsWith(QStringLiteral("CONTACT_EXISTS:")))
        return problem(400, QStringLiteral("Member Exists"), error.mid(15));
    if (!error.isEmpty())
        return problem(400, QStringLiteral("Invalid Resource"), error);
    const QString email = body.value(QStringLiteral("email_address")).toString();
    return json(200, memberJson(listId, m_audiences[listId].members.value(subscriberHash(email))));
}

} // namespace syncline::testfakes
