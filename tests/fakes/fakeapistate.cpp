#include "tests/fakes/fakeapistate.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QUrl>

#include <cmath>

namespace syncline::testfakes {

QString faultName(Fault fault)
{
    switch (fault) {
    case Fault::TooManyRequests: return QStringLiteral("429");
    case Fault::InternalError: return QStringLiteral("500");
    case Fault::BadGateway: return QStringLiteral("502");
    case Fault::Unavailable: return QStringLiteral("503");
    case Fault::NoReply: return QStringLiteral("timeout");
    case Fault::ResetMidResponse: return QStringLiteral("reset");
    case Fault::LostAck: return QStringLiteral("lostack");
    case Fault::MalformedJson: return QStringLiteral("malformed");
    }
    return {};
}

std::optional<Fault> faultFromName(const QString &name)
{
    for (Fault fault : {Fault::TooManyRequests, Fault::InternalError, Fault::BadGateway, Fault::Unavailable, Fault::NoReply,
                        Fault::ResetMidResponse, Fault::LostAck, Fault::MalformedJson}) {
        if (faultName(fault) == name.trimmed().toLower())
            return fault;
    }
    return std::nullopt;
}

QByteArray FakeRequest::header(const QByteArray &name) const
{
    for (const auto &[key, value] : headers) {
        if (key.compare(name, Qt::CaseInsensitive) == 0)
            return value;
    }
    return {};
}

qint64 FakeApiCounters::status(int code) const
{
    const auto found = statuses.find(code);
    return found == statuses.end() ? 0 : found->second;
}

qint64 FakeApiCounters::fault(Fault kind) const
{
    const auto found = faults.find(kind);
    return found == faults.end() ? 0 : found->second;
}

namespace {

bool isWriteMethod(const QByteArray &method)
{
    return method == "POST" || method == "PUT" || method == "PATCH" || method == "DELETE";
}

} // namespace

FakeApiState::FakeApiState(FakeApiConfig config) : m_config(std::move(config)), m_random(m_config.seed)
{
    m_clock.start();
}

QString FakeApiState::keyOf(const QJsonValue &value)
{
    if (value.isString())
        return value.toString();
    if (value.isDouble()) {
        const double number = value.toDouble();
        if (std::trunc(number) == number && std::fabs(number) < 9.0e15)
            return QString::number(qint64(number));
        return QString::number(number, 'g', 17);
    }
    if (value.isBool())
        return value.toBool() ? QStringLiteral("true") : QStringLiteral("false");
    return {};
}

FakeReply FakeApiState::json(int status, const QJsonObject &body) const
{
    FakeReply reply;
    reply.status = status;
    reply.headers.emplaceBack("Content-Type", "application/json");
    reply.body = QJsonDocument(body).toJson(QJsonDocument::Compact);
    return reply;
}

std::optional<Fault> FakeApiState::nextFault(bool isWrite)
{
    if (!m_script.empty()) {
        const Fault fault = m_script.front();
        m_script.pop_front();
        return fault;
    }
    if (isWrite && m_config.randomFaultRate > 0 && !m_config.randomFaults.isEmpty()
        && m_random.generateDouble() < m_config.randomFaultRate)
        return m_config.randomFaults.at(int(m_random.bounded(quint32(m_config.randomFaults.size()))));
    return std::nullopt;
}

std::optional<FakeReply> FakeApiState::rateLimit()
{
    if (m_config.rateLimitPerSecond <= 0)
        return std::nullopt;
    const qint64 now = m_clock.elapsed();
    const qint64 window = now / 1000;
    if (window != m_window) {
        m_window = window;
        m_windowCount = 0;
    }
    const QByteArray reset = QByteArray::number(std::max<qint64>(1, ((window + 1) * 1000 - now + 999) / 1000));
    if (m_windowCount >= m_config.rateLimitPerSecond) {
        ++m_counters.rateLimited;
        FakeReply reply = json(429, QJsonObject{{QStringLiteral("error"), QStringLiteral("rate limit exceeded")}});
        reply.headers.emplaceBack("Retry-After", reset);
        reply.headers.emplaceBack("RateLimit-Limit", QByteArray::number(m_config.rateLimitPerSecond));
        reply.headers.emplaceBack("RateLimit-Remaining", "0");
        reply.headers.emplaceBack("RateLimit-Reset", reset);
        return reply;
    }
    ++m_windowCount;
    return std::nullopt;
}

FakeReply FakeApiState::handle(const HttpRequest &request)
{
    QMutexLocker lock(&m_mutex);
    if (request.path().startsWith("/_fake/"))
        return handleControl(request);

    ++m_counters.requests;
    const bool isWrite = isWriteMethod(request.method);
    if (isWrite)
        ++m_counters.writeRequests;
    const bool logged = m_log.size() < m_config.maxLoggedRequests;
    if (logged)
        m_log.append(FakeRequest{request.method, request.target, request.headers, request.body, 0, std::nullopt});

    FakeReply reply;
    std::optional<Fault> fault;
    if (auto limited = rateLimit()) {
        reply = *limited;
    } else {
        fault = nextFault(isWrite);
        if (fault)
            ++m_counters.faults[*fault];
        if (fault == Fault::TooManyRequests) {
            reply = json(429, QJsonObject{{QStringLiteral("error"), QStringLiteral("slow down")}});
            reply.headers.emplaceBack("Retry-After", QByteArray::number(m_config.retryAfterSeconds));
        } else if (fault == Fault::InternalError || fault == Fault::BadGateway || fault == Fault::Unavailable) {
            const int status = fault == Fault::InternalError ? 500 : fault == Fault::BadGateway ? 502 : 503;
            reply = json(status, QJsonObject{{QStringLiteral("error"), QStringLiteral("injected failure")}});
        } else if (fault == Fault::NoReply) {
            reply.action = FakeReply::Action::NoReply;
        } else if (fault == Fault::ResetMidResponse) {
            reply.action = FakeReply::Action::ResetMidResponse;
            reply.body = "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Len";
        } else if (isWrite) {
            const QByteArray idempotencyKey = m_config.honourIdempotencyKeys ? request.header("Idempotency-Key") : QByteArray();
            if (!idempotencyKey.isEmpty() && m_idempotent.contains(idempotencyKey)) {
                ++m_counters.idempotentReplays;
                if (fault == Fault::LostAck)
                    reply.action = FakeReply::Action::Drop;
                else
                    reply = m_idempotent.value(idempotencyKey);
            } else {
                reply = applyWrite(request, fault);
                const bool applied = reply.action == FakeReply::Action::Drop || (reply.status >= 200 && reply.status < 300);
                if (!idempotencyKey.isEmpty() && applied) {
                    const bool intact = reply.action == FakeReply::Action::Reply && fault != Fault::MalformedJson;
                    m_idempotent.insert(idempotencyKey, intact ? reply : json(200, QJsonObject{{QStringLiteral("ok"), true}}));
                }
            }
        } else {
            const QString key = QUrl::fromPercentEncoding(request.path().mid(request.path().lastIndexOf('/') + 1));
            if (m_records.contains(key))
                reply = json(200, m_records.value(key));
            else
                reply = json(404, QJsonObject{{QStringLiteral("error"), QStringLiteral("no such record")}});
        }
    }
    if (m_config.rateLimitPerSecond > 0 && reply.status != 429) {
        const qint64 now = m_clock.elapsed();
        reply.headers.emplaceBack("RateLimit-Limit", QByteArray::number(m_config.rateLimitPerSecond));
        reply.headers.emplaceBack("RateLimit-Remaining", QByteArray::number(std::max(0, m_config.rateLimitPerSecond - m_windowCount)));
        reply.headers.emplaceBack("RateLimit-Reset", QByteArray::number(std::max<qint64>(1, ((m_window + 1) * 1000 - now + 999) / 1000)));
    }
    if (reply.action == FakeReply::Action::Reply)
        ++m_counters.statuses[reply.status];
    reply.delayMs = m_config.latencyMs;
    if (logged) {
        m_log.last().status = reply.action == FakeReply::Action::Reply ? reply.status : 0;
        m_log.last().fault = fault;
    }
    return reply;
}

FakeReply FakeApiState::applyWrite(const HttpRequest &request, std::optional<Fault> fault)
{
    const QByteArray encoding = request.header("Content-Encoding").toLower();
    if (!encoding.isEmpty() && encoding != "identity")
        return json(415, QJsonObject{{QStringLiteral("error"), QStringLiteral("the fake reads no Content-Encoding")}});

    QStringList keys;
    int applied = 0;
    if (request.method == "DELETE") {
        const QString key = QUrl::fromPercentEncoding(request.path().mid(request.path().lastIndexOf('/') + 1));
        ++m_counters.recordsReceived;
        if (!m_records.remove(key)) {
            if (fault != Fault::LostAck)
                return json(m_config.missingDeleteStatus, QJsonObject{{QStringLiteral("error"), QStringLiteral("no such record")}});
        } else {
            ++m_counters.deletesApplied;
            applied = 1;
        }
        keys.append(key);
    } else {
        QJsonParseError error;
        const QJsonDocument document = QJsonDocument::fromJson(request.body, &error);
        if (error.error != QJsonParseError::NoError || !(document.isArray() || document.isObject()))
            return json(400, QJsonObject{{QStringLiteral("error"), QString(QStringLiteral("malformed JSON body: ") + error.errorString())}});
        const QJsonArray array = document.isArray() ? document.array() : QJsonArray{document.object()};
        m_counters.recordsReceived += array.size();
        QJsonArray errors;
        QJsonArray results;
        std::vector<bool> rejected(size_t(array.size()), false);
        for (qsizetype i = 0; i < array.size(); ++i) {
            const QJsonObject record = array.at(i).toObject();
            const QString key = keyOf(record.value(m_config.matchField));
            QString why;
            if (!array.at(i).isObject())
                why = QStringLiteral("not a JSON object");
            else if (key.isEmpty())
                why = QStringLiteral("missing match field '%1'").arg(m_config.matchField);
            else if (m_config.rejectRecord && m_config.rejectRecord(record))
                why = QStringLiteral("record refused by the fake");
            if (!why.isEmpty()) {
                rejected[size_t(i)] = true;
                ++m_counters.rejectedRecords;
                errors.append(QJsonObject{{QStringLiteral("index"), int(i)}, {QStringLiteral("id"), key}, {QStringLiteral("message"), why}});
            }
        }
        if (!errors.isEmpty() && m_config.rejectStyle != RejectStyle::PerRecord207) {
            return json(m_config.rejectStyle == RejectStyle::WholeBatch400 ? 400 : 422,
                        QJsonObject{{QStringLiteral("error"), QStringLiteral("some records are invalid")}, {QStringLiteral("errors"), errors}});
        }
        for (qsizetype i = 0; i < array.size(); ++i) {
            const QJsonObject record = array.at(i).toObject();
            const QString key = keyOf(record.value(m_config.matchField));
            if (rejected[size_t(i)]) {
                results.append(QJsonObject{{QStringLiteral("index"), int(i)}, {QStringLiteral("id"), key}, {QStringLiteral("ok"), false},
                                           {QStringLiteral("error"), QStringLiteral("record refused by the fake")}});
                continue;
            }
            m_records.insert(key, record);
            if (++m_upserts[key] > 1)
                ++m_counters.duplicates;
            ++m_counters.upsertsApplied;
            ++applied;
            keys.append(key);
            results.append(QJsonObject{{QStringLiteral("index"), int(i)}, {QStringLiteral("id"), key}, {QStringLiteral("ok"), true}});
        }
        if (!errors.isEmpty()) {
            FakeReply reply = json(207, QJsonObject{{QStringLiteral("results"), results}});
            if (fault != Fault::LostAck && fault != Fault::MalformedJson)
                return reply;
        }
    }
    if (fault == Fault::LostAck) {
        m_counters.lostAckRecords += applied;
        for (const QString &key : std::as_const(keys))
            m_lostAckKeys.insert(key);
        FakeReply reply;
        reply.action = FakeReply::Action::Drop;
        return reply;
    }
    if (fault == Fault::MalformedJson) {
        FakeReply reply;
        reply.status = 200;
        reply.headers.emplaceBack("Content-Type", "application/json");
        reply.body = "{\"ok\": tru";
        return reply;
    }
    return json(200, QJsonObject{{QStringLiteral("ok"), true}, {QStringLiteral("n"), applied}});
}

FakeReply FakeApiState::handleControl(const HttpRequest &request)
{
    const QByteArray path = request.path();
    if (path == "/_fake/stats")
        return json(200, statsJson());
    if (path == "/_fake/records") {
        QJsonObject all;
        for (auto it = m_records.cbegin(); it != m_records.cend(); ++it)
            all.insert(it.key(), it.value());
        return json(200, all);
    }
    if (path == "/_fake/reset" && request.method == "POST") {
        m_records.clear();
        m_upserts.clear();
        m_lostAckKeys.clear();
        m_idempotent.clear();
        m_counters = {};
        m_log.clear();
        m_script.clear();
        return json(200, QJsonObject{{QStringLiteral("ok"), true}});
    }
    if (path == "/_fake/reset-counters" && request.method == "POST") {
        m_counters = {};
        m_log.clear();
        m_upserts.clear();
        m_lostAckKeys.clear();
        return json(200, QJsonObject{{QStringLiteral("ok"), true}});
    }
    return json(404, QJsonObject{{QStringLiteral("error"), QStringLiteral("unknown control path")}});
}

QJsonObject FakeApiState::statsJson() const
{
    const FakeApiCounters &c = m_counters;
    QJsonObject statuses;
    for (const auto &[status, count] : c.statuses)
        statuses.insert(QString::number(status), count);
    QJsonObject faults;
    for (const auto &[fault, count] : c.faults)
        faults.insert(faultName(fault), count);
    return QJsonObject{{QStringLiteral("requests"), c.requests},
                       {QStringLiteral("write_requests"), c.writeRequests},
                       {QStringLiteral("records_received"), c.recordsReceived},
                       {QStringLiteral("upserts_applied"), c.upsertsApplied},
                       {QStringLiteral("deletes_applied"), c.deletesApplied},
                       {QStringLiteral("duplicates"), c.duplicates},
                       {QStringLiteral("rejected_records"), c.rejectedRecords},
                       {QStringLiteral("rate_limited"), c.rateLimited},
                       {QStringLiteral("lost_ack_records"), c.lostAckRecords},
                       {QStringLiteral("idempotent_replays"), c.idempotentReplays},
                       {QStringLiteral("lost_ack_keys"), qint64(m_lostAckKeys.size())},
                       {QStringLiteral("records"), qint64(m_records.size())},
                       {QStringLiteral("statuses"), statuses},
                       {QStringLiteral("faults"), faults}};
}

void FakeApiState::setConfig(const FakeApiConfig &config)
{
    QMutexLocker lock(&m_mutex);
    const bool reseed = config.seed != m_config.seed;
    m_config = config;
    if (reseed)
        m_random.seed(config.seed);
}

FakeApiConfig FakeApiState::config() const
{
    QMutexLocker lock(&m_mutex);
    return m_config;
}

void FakeApiState::scriptFaults(const QList<Fault> &faults)
{
    QMutexLocker lock(&m_mutex);
    m_script.assign(faults.cbegin(), faults.cend());
}

void FakeApiState::reset()
{
    QMutexLocker lock(&m_mutex);
    m_idempotent.clear();
    m_records.clear();
    m_upserts.clear();
    m_lostAckKeys.clear();
    m_counters = {};
    m_log.clear();
    m_script.clear();
}

void FakeApiState::resetCounters()
{
    QMutexLocker lock(&m_mutex);
    m_counters = {};
    m_log.clear();
    m_upserts.clear();
    m_lostAckKeys.clear();
}

QHash<QString, QJsonObject> FakeApiState::records() const
{
    QMutexLocker lock(&m_mutex);
    return m_records;
}

FakeApiCounters FakeApiState::counters() const
{
    QMutexLocker lock(&m_mutex);
    return m_counters;
}

QList<FakeRequest> FakeApiState::requests() const
{
    QMutexLocker lock(&m_mutex);
    return m_log;
}

QHash<QString, int> FakeApiState::upsertsPerKey() const
{
    QMutexLocker lock(&m_mutex);
    return m_upserts;
}

QSet<QString> FakeApiState::lostAckKeys() const
{
    QMutexLocker lock(&m_mutex);
    return m_lostAckKeys;
}

} // namespace syncline::testfakes
