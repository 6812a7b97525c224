#include "tests/fakes/salesforce/fakesalesforcestate.h"

#include <QDateTime>
#include <QJsonDocument>
#include <QUrlQuery>

namespace syncline::testfakes {

namespace {

QJsonObject field(const QString &name, const QString &type, bool createable, bool updateable, bool nillable,
    bool externalId = false, bool defaulted = false)
{
    return QJsonObject { { QStringLiteral("name"), name }, { QStringLiteral("label"), name },
        { QStringLiteral("type"), type }, { QStringLiteral("externalId"), externalId },
        { QStringLiteral("createable"), createable }, { QStringLiteral("updateable"), updateable },
        { QStringLiteral("nillable"), nillable }, { QStringLiteral("unique"), externalId },
        { QStringLiteral("defaultedOnCreate"), defaulted }, { QStringLiteral("custom"), name.endsWith(QLatin1String("__c")) } };
}

// An external id as the index keeps it: text ignoring case; 17 and "17" are the same.
QString keyText(const QJsonValue &value)
{
    if (value.isDouble()) {
        const double number = value.toDouble();
        return number == double(qint64(number)) ? QString::number(qint64(number)) : QString::number(number);
    }
    return value.isString() ? value.toString().toLower() : QString();
}

QJsonArray recordError(const QString &code, const QString &message, const QStringList &fields = {})
{
    return QJsonArray { QJsonObject { { QStringLiteral("statusCode"), code }, { QStringLiteral("message"), message },
        { QStringLiteral("fields"), QJsonArray::fromStringList(fields) } } };
}

} // namespace

QJsonObject FakeSalesforceState::defaultDescribe(const QString &object)
{
    QJsonArray fields;
    QString prefix;
    if (object == QLatin1String("Contact")) {
        prefix = QStringLiteral("003");
        fields = { field(QStringLiteral("Id"), QStringLiteral("id"), false, false, false),
            field(QStringLiteral("Ext_Id__c"), QStringLiteral("string"), true, true, true, true),
            field(QStringLiteral("LastName"), QStringLiteral("string"), true, true, false),
            field(QStringLiteral("FirstName"), QStringLiteral("string"), true, true, true),
            field(QStringLiteral("Email"), QStringLiteral("email"), true, true, true),
            field(QStringLiteral("Phone"), QStringLiteral("phone"), true, true, true),
            field(QStringLiteral("Birthdate"), QStringLiteral("date"), true, true, true),
            field(QStringLiteral("Score__c"), QStringLiteral("double"), true, true, true),
            field(QStringLiteral("VIP__c"), QStringLiteral("boolean"), true, true, false, false, true),
            field(QStringLiteral("Notes__c"), QStringLiteral("textarea"), true, true, true),
            field(QStringLiteral("CreatedDate"), QStringLiteral("datetime"), false, false, false, false, true) };
    } else if (object == QLatin1String("Account")) {
        prefix = QStringLiteral("001");
        fields = { field(QStringLiteral("Id"), QStringLiteral("id"), false, false, false),
            field(QStringLiteral("Account_Number__c"), QStringLiteral("string"), true, true, true, true),
            field(QStringLiteral("Name"), QStringLiteral("string"), true, true, false),
            field(QStringLiteral("Industry"), QStringLiteral("picklist"), true, true, true) };
    } else {
        return {};
    }
    return QJsonObject { { QStringLiteral("name"), object }, { QStringLiteral("label"), object },
        { QStringLiteral("labelPlural"), QString(object + QLatin1Char('s')) }, { QStringLiteral("custom"), false },
        { QStringLiteral("createable"), true }, { QStringLiteral("updateable"), true },
        { QStringLiteral("deletable"), true }, { QStringLiteral("queryable"), true },
        { QStringLiteral("keyPrefix"), prefix }, { QStringLiteral("fields"), fields } };
}

FakeSalesforceState::FakeSalesforceState(FakeSalesforceConfig config) : m_config(std::move(config))
{
    m_refreshToken = m_config.refreshToken;
    m_apiUsed = m_config.apiUsedAtStart;
}

void FakeSalesforceState::setConfig(const FakeSalesforceConfig &config)
{
    QMutexLocker lock(&m_mutex);
    if (config.refreshToken != m_config.refreshToken)
        m_refreshToken = config.refreshToken;
    m_config = config;
}

FakeSalesforceConfig FakeSalesforceState::config() const
{
    QMutexLocker lock(&m_mutex);
    return m_config;
}

void FakeSalesforceState::setSelfUrl(const QUrl &url)
{
    QMutexLocker lock(&m_mutex);
    m_selfUrl = url;
}

void FakeSalesforceState::expireTokens()
{
    QMutexLocker lock(&m_mutex);
    m_validTokens.clear();
}

void FakeSalesforceState::failNextRequests(int count, int status, const QString &errorCode, const QString &message)
{
    QMutexLocker lock(&m_mutex);
    for (int i = 0; i < count; ++i)
        m_failures.push_back({ status, errorCode, message });
}

void FakeSalesforceState::reset()
{
    QMutexLocker lock(&m_mutex);
    m_records.clear();
    m_deleted.clear();
    m_indexes.clear();
    m_jobs.clear();
    m_log.clear();
    m_failures.clear();
    m_counters = {};
    m_apiUsed = m_config.apiUsedAtStart;
}

QHash<QString, QJsonObject> FakeSalesforceState::records(const QString &object) const
{
    QMutexLocker lock(&m_mutex);
    return m_records.value(object);
}

QList<FakeSalesforceRequest> FakeSalesforceState::requests() const
{
    QMutexLocker lock(&m_mutex);
    return m_log;
}

QList<FakeBulkJob> FakeSalesforceState::jobs() const
{
    QMutexLocker lock(&m_mutex);
    return m_jobs;
}

QString FakeSalesforceState::refreshToken() const
{
    QMutexLocker lock(&m_mutex);
    return m_refreshToken;
}

int FakeSalesforceState::tokensIssued() const
{
    QMutexLocker lock(&m_mutex);
    return m_tokensIssued;
}

FakeSalesforceCounters FakeSalesforceState::counters() const
{
    QMutexLocker lock(&m_mutex);
    FakeSalesforceCounters counters = m_counters;
    counters.tokensIssued = m_tokensIssued;
    return counters;
}

qint64 FakeSalesforceState::apiUsed() const
{
    QMutexLocker lock(&m_mutex);
    return m_apiUsed;
}

FakeReply FakeSalesforceState::json(int status, const QJsonValue &body) const
{
    FakeReply reply;
    reply.status = status;
    reply.headers = { { "Content-Type", "application/json;charset=UTF-8" } };
    reply.body = body.isArray() ? QJsonDocument(body.toArray()).toJson(QJsonDocument::Compact)
                                : QJsonDocument(body.toObject()).toJson(QJsonDocument::Compact);
    return reply;
}

FakeReply FakeSalesforceState::apiError(int status, const QString &code, const QString &message) const
{
    return json(status, QJsonArray { QJsonObject { { QStringLiteral("message"), message },
                            { QStringLiteral("errorCode"), code } } });
}

FakeReply FakeSalesforceState::handle(const HttpRequest &request)
{
    QMutexLocker lock(&m_mutex);
    const QByteArray path = request.path();
    FakeSalesforceRequest log;
    log.method = request.method;
    log.path = path;
    log.query = request.target.mid(path.size() + 1);
    log.contentType = request.header("Content-Type");
    log.body = request.body;
    FakeReply reply;
    const QByteArray prefix = "/services/data/" + m_config.apiVersion.toUtf8() + '/';
    if (path.endsWith("/services/oauth2/token")) { // on any login host path (My Domain, a proxy prefix)
        reply = token(request);
    } else if (path.startsWith(prefix)) {
        ++m_apiUsed;
        reply = api(request, QString::fromUtf8(path.mid(prefix.size())), log);
        reply.headers.append({ "Sforce-Limit-Info",
            "api-usage=" + QByteArray::number(m_apiUsed) + '/' + QByteArray::number(m_config.apiLimit) });
    } else {
        reply = apiError(404, QStringLiteral("NOT_FOUND"), QStringLiteral("The requested resource does not exist"));
    }
    log.status = reply.status;
    const bool writing = log.method != "GET" && !path.endsWith("/services/oauth2/token");
    if (reply.status == 401)
        ++m_counters.unauthorized;
    else if (reply.status == 403 && reply.body.contains("REQUEST_LIMIT_EXCEEDED"))
        ++m_counters.limited;
    else if (writing)
        ++m_counters.writeRequests;
    if (writing && m_config.writeLatencyMs > 0)
        reply.delayMs = m_config.writeLatencyMs;
    m_log.append(log);
    return reply;
}

FakeReply FakeSalesforceState::token(const HttpRequest &request)
{
    const QUrlQuery form(QString::fromUtf8(request.body).replace(QLatin1Char('+'), QLatin1Char(' ')));
    auto value = [&](const char *key) { return form.queryItemValue(QString::fromLatin1(key), QUrl::FullyDecoded); };
    auto oauthError = [&](int status, const char *error, const char *description) {
        return json(status, QJsonObject { { QStringLiteral("error"), QString::fromLatin1(error) },
                                { QStringLiteral("error_description"), QString::fromLatin1(description) } });
    };
    if (value("grant_type") != QLatin1String("refresh_token"))
        return oauthError(400, "unsupported_grant_type", "grant type not supported");
    if (value("client_id") != m_config.clientId
        || (!m_config.clientSecret.isEmpty() && value("client_secret") != m_config.clientSecret))
        return oauthError(400, "invalid_client", "invalid client credentials");
    if (value("refresh_token") != m_refreshToken)
        return oauthError(400, "invalid_grant", "expired access/refresh token");
    ++m_tokensIssued;
    const QString access = QStringLiteral("00Dfake!session%1").arg(m_tokensIssued);
    m_validTokens.insert(access);
    const QUrl instance = m_config.instanceUrl.isEmpty() ? m_selfUrl : m_config.instanceUrl;
    QJsonObject answer { { QStringLiteral("access_token"), access },
        { QStringLiteral("instance_url"), instance.toString(QUrl::StripTrailingSlash) },
        { QStringLiteral("id"), QString(instance.toString(QUrl::StripTrailingSlash) + QStringLiteral("/id/00Dfake/005fake")) },
        { QStringLiteral("token_type"), QStringLiteral("Bearer") },
        { QStringLiteral("issued_at"), QString::number(QDateTime::currentMSecsSinceEpoch()) },
        { QStringLiteral("signature"), QStringLiteral("c2lnbmF0dXJl") }, { QStringLiteral("scope"), QStringLiteral("api refresh_token") } };
    if (m_config.rotateRefreshTokens) {
        m_refreshToken = QStringLiteral("refresh-%1").arg(m_tokensIssued);
        answer.insert(QStringLiteral("refresh_token"), m_refreshToken);
    }
    return json(200, answer);
}

FakeReply FakeSalesforceState::api(const HttpRequest &request, const QString &rest, FakeSalesforceRequest &log)
{
    const QByteArray authorization = request.header("Authorization");
    if (!authorization.startsWith("Bearer ") || !m_validTokens.contains(QString::fromUtf8(authorization.mid(7))))
        return apiError(401, QStringLiteral("INVALID_SESSION_ID"), QStringLiteral("Session expired or invalid"));
    if (!m_failures.empty()) {
        const ScriptedFailure failure = m_failures.front();
        m_failures.pop_front();
        return apiError(failure.status, failure.code, failure.message);
    }
    const QStringList segments = rest.split(QLatin1Char('/'));
    const QByteArray &method = request.method;
    if (segments.value(0) == QLatin1String("sobjects") && method == "GET") {
        const QStringList names = m_config.describes.isEmpty() ? QStringList { QStringLiteral("Account"), QStringLiteral("Contact") }
                                                               : m_config.describes.keys();
        if (segments.size() == 1) {
            QJsonArray objects;
            for (const QString &name : names) {
                QJsonObject summary = describeOf(name);
                summary.remove(QStringLiteral("fields"));
                objects.append(summary);
            }
            return json(200, QJsonObject { { QStringLiteral("encoding"), QStringLiteral("UTF-8") },
                                 { QStringLiteral("maxBatchSize"), 200 }, { QStringLiteral("sobjects"), objects } });
        }
        if (segments.size() == 3 && segments[2] == QLatin1String("describe")) {
            const QJsonObject describe = describeOf(segments[1]);
            if (describe.isEmpty())
                return apiError(404, QStringLiteral("NOT_FOUND"),
                    QStringLiteral("The requested resource does not exist"));
            return json(200, describe);
        }
    }
    if (segments.value(0) == QLatin1String("composite") && segments.value(1) == QLatin1String("sobjects"))
        return collections(method, segments, request, log);
    if (segments.value(0) == QLatin1String("jobs") && segments.value(1) == QLatin1String("ingest"))
        return bulk(method, segments, request);
    return apiError(404, QStringLiteral("NOT_FOUND"), QStringLiteral("The requested resource does not exist"));
}

QJsonObject FakeSalesforceState::describeOf(const QString &object) const
{
    if (!m_config.describes.isEmpty())
        return m_config.describes.value(object);
    return defaultDescribe(object);
}

std::optional<QString> FakeSalesforceState::unknownField(const QString &object, const QJsonObject &fields) const
{
    QSet<QString> known;
    for (const QJsonValue &value : describeOf(object).value(QStringLiteral("fields")).toArray())
        known.insert(value.toObject().value(QStringLiteral("name")).toString().toLower());
    for (auto it = fields.begin(); it != fields.end(); ++it) {
        const QString name = it.key().section(QLatin1Char('.'), 0, 0).toLower();
        if (it.key() != QLatin1String("attributes") && !known.contains(name) && !it.value().isObject())
            return it.key();
    }
    return std::nullopt;
}

QHash<QString, QString> &FakeSalesforceState::index(const QString &object, const QString &field)
{
    const QString name = object + QLatin1Char('\n') + field.toLower();
    auto found = m_indexes.find(name);
    if (found != m_indexes.end())
        return *found;
    QHash<QString, QString> built;
    const QHash<QString, QJsonObject> &records = m_records[object];
    for (auto it = records.begin(); it != records.end(); ++it)
        for (auto value = it->begin(); value != it->end(); ++value)
            if (value.key().compare(field, Qt::CaseInsensitive) == 0 && !keyText(*value).isEmpty())
                built.insert(keyText(*value), it.key());
    return *m_indexes.insert(name, built);
}

void FakeSalesforceState::reindex(const QString &object, const QString &id, const QJsonObject &before, const QJsonObject &after)
{
    const QString prefix = object + QLatin1Char('\n');
    for (auto it = m_indexes.begin(); it != m_indexes.end(); ++it) {
        if (!it.key().startsWith(prefix))
            continue;
        const QString field = it.key().mid(prefix.size());
        for (auto value = before.begin(); value != before.end(); ++value)
            if (value.key().toLower() == field && !keyText(*value).isEmpty())
                it->remove(keyText(*value));
        for (auto value = after.begin(); value != after.end(); ++value)
            if (value.key().toLower() == field && !keyText(*value).isEmpty())
                it->insert(keyText(*value), id);
    }
}

QString FakeSalesforceState::newId(const QString &object, const QString &prefixFallback)
{
    QString prefix = describeOf(object).value(QStringLiteral("keyPrefix")).toString();
    if (prefix.size() != 3)
        prefix = prefixFallback;
    return QStringLiteral("%1%2").arg(prefix).arg(++m_nextId, 15, 10, QLatin1Char('0'));
}

FakeSalesforceState::WriteResult FakeSalesforceState::write(const QString &operation, const QString &object,
    const QString &externalIdField, const QJsonObject &fields, const QString &id, bool apply)
{
    WriteResult result;
    QHash<QString, QJsonObject> &records = m_records[object];
    QString target = id;
    if (operation == QLatin1String("upsert")) {
        const QJsonValue key = fields.value(externalIdField);
        if (!key.isString() && !key.isDouble()) {
            result.errors = recordError(QStringLiteral("MISSING_ARGUMENT"),
                QStringLiteral("%1 not specified").arg(externalIdField), { externalIdField });
            return result;
        }
        target = index(object, externalIdField).value(keyText(key));
    } else if (operation == QLatin1String("update") || operation == QLatin1String("delete")) {
        if (!records.contains(id)) {
            result.id = id;
            result.errors = m_deleted.contains(id)
                ? recordError(QStringLiteral("ENTITY_IS_DELETED"), QStringLiteral("entity is deleted"))
                : recordError(QStringLiteral("INVALID_CROSS_REFERENCE_KEY"), QStringLiteral("invalid cross reference id"));
            return result;
        }
    }
    const bool creating = target.isEmpty();
    result.id = target;
    if (operation == QLatin1String("delete")) {
        if (apply) {
            reindex(object, id, records.value(id), {});
            records.remove(id);
            m_deleted.insert(id);
        }
        result.success = true;
        return result;
    }
    QStringList required;
    QStringList readOnly;
    for (const QJsonValue &value : describeOf(object).value(QStringLiteral("fields")).toArray()) {
        const QJsonObject spec = value.toObject();
        const QString name = spec.value(QStringLiteral("name")).toString();
        if (name == QLatin1String("Id"))
            continue;
        const bool given = fields.contains(name);
        const bool createable = spec.value(QStringLiteral("createable")).toBool();
        if (given && !(creating ? createable : spec.value(QStringLiteral("updateable")).toBool()))
            readOnly << name;
        const bool needed = creating && createable && !spec.value(QStringLiteral("nillable")).toBool()
            && !spec.value(QStringLiteral("defaultedOnCreate")).toBool();
        const QJsonValue current = given ? fields.value(name) : records.value(target).value(name);
        if ((needed || (!creating && !spec.value(QStringLiteral("nillable")).toBool()
                && !spec.value(QStringLiteral("defaultedOnCreate")).toBool() && given))
            && (current.isNull() || current.isUndefined() || current == QJsonValue(QString())))
            required << name;
    }
    if (!readOnly.isEmpty()) {
        result.errors = recordError(QStringLiteral("INVALID_FIELD_FOR_INSERT_UPDATE"),
            QStringLiteral("Unable to create/update fields: %1.").arg(readOnly.join(QStringLiteral(", "))), readOnly);
        return result;
    }
    if (!required.isEmpty()) {
        result.errors = recordError(QStringLiteral("REQUIRED_FIELD_MISSING"),
            QStringLiteral("Required fields are missing: [%1]").arg(required.join(QStringLiteral(", "))), required);
        return result;
    }
    if (m_config.rejectRecord && m_config.rejectRecord(object, fields)) {
        result.errors = recordError(QStringLiteral("FIELD_CUSTOM_VALIDATION_EXCEPTION"),
            QStringLiteral("This record is refused by a validation rule"));
        return result;
    }
    result.success = true;
    result.created = creating;
    if (!apply)
        return result;
    if (creating)
        result.id = target = newId(object);
    const QJsonObject before = records.value(target);
    QJsonObject after = before;
    for (auto it = fields.begin(); it != fields.end(); ++it)
        if (it.key() != QLatin1String("attributes"))
            after.insert(it.key(), it.value());
    after.insert(QStringLiteral("Id"), target);
    records.insert(target, after);
    reindex(object, target, before, after);
    return result;
}

FakeReply FakeSalesforceState::collections(
    const QByteArray &method, const QStringList &segments, const HttpRequest &request, FakeSalesforceRequest &log)
{
    constexpr int limit = 200;
    const QString tooMany = QStringLiteral("record limit reached. cannot submit more than %1 records into this call").arg(limit);
    if (method == "DELETE" && segments.size() == 2) {
        const QUrlQuery query(QString::fromUtf8(request.target.mid(request.path().size() + 1)));
        const QStringList ids = query.queryItemValue(QStringLiteral("ids"), QUrl::FullyDecoded).split(QLatin1Char(','), Qt::SkipEmptyParts);
        log.records = int(ids.size());
        if (ids.isEmpty())
            return apiError(400, QStringLiteral("MISSING_ARGUMENT"), QStringLiteral("ids not specified"));
        if (ids.size() > limit)
            return apiError(400, QStringLiteral("EXCEEDED_ID_LIMIT"), tooMany);
        QJsonArray results;
        for (const QString &id : ids) {
            QString object;
            for (auto it = m_records.begin(); it != m_records.end(); ++it)
                if (it->contains(id))
                    object = it.key();
            const WriteResult done = write(QStringLiteral("delete"), object, {}, {}, id, true);
            QJsonObject result { { QStringLiteral("success"), done.success }, { QStringLiteral("errors"), done.errors } };
            result.insert(QStringLiteral("id"), id);
            results.append(result);
        }
        return json(200, results);
    }
    const QString operation = segments.size() == 4 && method == "PATCH" ? QStringLiteral("upsert")
        : segments.size() == 2 && method == "PATCH"                      ? QStringLiteral("update")
        : segments.size() == 2 && method == "POST"                       ? QStringLiteral("insert")
                                                                         : QString();
    if (operation.isEmpty())
        return apiError(404, QStringLiteral("NOT_FOUND"), QStringLiteral("The requested resource does not exist"));
    const QJsonDocument document = QJsonDocument::fromJson(request.body);
    const QJsonArray records = document.object().value(QStringLiteral("records")).toArray();
    log.records = int(records.size());
    if (!document.isObject() || !document.object().value(QStringLiteral("records")).isArray())
        return apiError(400, QStringLiteral("JSON_PARSER_ERROR"), QStringLiteral("the body has no records array"));
    if (records.size() > limit)
        return apiError(400, QStringLiteral("EXCEEDED_ID_LIMIT"), tooMany);
    const QString uriObject = segments.value(2);
    const QString externalIdField = segments.value(3);
    for (const QJsonValue &value : records) {
        const QJsonObject record = value.toObject();
        const QString type = record.value(QStringLiteral("attributes")).toObject().value(QStringLiteral("type")).toString();
        if (describeOf(type).isEmpty() || (operation == QLatin1String("upsert") && type != uriObject))
            return apiError(400, QStringLiteral("INVALID_TYPE"),
                QStringLiteral("sObject type '%1' is not supported here").arg(type));
        if (auto unknown = unknownField(type, record))
            return apiError(400, QStringLiteral("INVALID_FIELD"),
                QStringLiteral("No such column '%1' on sobject of type %2").arg(*unknown, type));
    }
    if (operation == QLatin1String("upsert")) {
        bool isExternal = false;
        for (const QJsonValue &value : describeOf(uriObject).value(QStringLiteral("fields")).toArray())
            if (value.toObject().value(QStringLiteral("name")).toString() == externalIdField)
                isExternal = value.toObject().value(QStringLiteral("externalId")).toBool();
        if (!isExternal)
            return apiError(400, QStringLiteral("INVALID_FIELD"),
                QStringLiteral("Field %1 is not an external id field of %2").arg(externalIdField, uriObject));
    }
    const bool allOrNone = document.object().value(QStringLiteral("allOrNone")).toBool(false);
    auto fieldsOf = [](QJsonObject record) {
        record.remove(QStringLiteral("attributes"));
        record.remove(QStringLiteral("id"));
        record.remove(QStringLiteral("Id"));
        return record;
    };
    auto idOf = [](const QJsonObject &record) {
        return record.value(QStringLiteral("id")).toString(record.value(QStringLiteral("Id")).toString());
    };
    bool anyFailed = false;
    if (allOrNone)
        for (const QJsonValue &value : records) {
            const QJsonObject record = value.toObject();
            const QString type = record.value(QStringLiteral("attributes")).toObject().value(QStringLiteral("type")).toString();
            anyFailed = anyFailed || !write(operation, type, externalIdField, fieldsOf(record), idOf(record), false).success;
        }
    QJsonArray results;
    for (const QJsonValue &value : records) {
        const QJsonObject record = value.toObject();
        const QString type = record.value(QStringLiteral("attributes")).toObject().value(QStringLiteral("type")).toString();
        WriteResult done = write(operation, type, externalIdField, fieldsOf(record), idOf(record), !anyFailed);
        if (anyFailed && done.success) {
            done.success = false;
            done.errors = recordError(QStringLiteral("ALL_OR_NONE_OPERATION_ROLLED_BACK"),
                QStringLiteral("Record rolled back because not all records were valid and the request was using AllOrNone header"));
        }
        QJsonObject result { { QStringLiteral("success"), done.success }, { QStringLiteral("errors"), done.errors } };
        if (!done.id.isEmpty() && (done.success || operation != QLatin1String("insert")))
            result.insert(QStringLiteral("id"), done.id);
        if (operation == QLatin1String("upsert") && done.success)
            result.insert(QStringLiteral("created"), done.created);
        results.append(result);
    }
    return json(200, results);
}

} // namespace syncline::testfakes
