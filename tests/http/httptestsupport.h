#pragma once
// Shared pieces of the HTTP destination tests: a secret resolver over a map that records what was
// stored, an exchange recorder and a diagnostics sink that keep what they get, and helpers that
// build destinations and records.

#include "connectors/http/httpdestination.h"
#include "connectors/http/ratelimiterpool.h"
#include "engine/secrets/secretresolver.h"

#include <QJsonDocument>
#include <QJsonObject>
#include <QMutex>
#include <QStringList>
#include <QTest>
#include <QUrl>

#include <functional>

namespace syncline::httptests {

using namespace syncline::engine;
using namespace syncline::engine::connector;

class MapSecrets final : public SecretResolver
{
public:
    QMap<QString, QString> values; // by reference name
    QMap<QString, QString> stored; // what store() wrote
    bool storeFails = false;

    Result<QString> resolve(const SecretRef &ref) override
    {
        if (!values.contains(ref.name))
            return fail(QStringLiteral("secret.missing"), QStringLiteral("no secret %1").arg(ref.name));
        return values.value(ref.name);
    }
    Result<void> store(const SecretRef &ref, const QString &value) override
    {
        if (storeFails)
            return SecretResolver::store(SecretRef { SecretRef::Kind::Env, ref.name }, value);
        stored.insert(ref.name, value);
        values.insert(ref.name, value);
        return {};
    }
};

class KeepingRecorder final : public ExchangeRecorder
{
public:
    std::vector<Exchange> exchanges;
    std::function<void(const Exchange &)> onRecord;
    void record(Exchange exchange) override
    {
        exchanges.push_back(exchange);
        if (onRecord)
            onRecord(exchanges.back());
    }
};

class KeepingDiagnostics final : public DiagnosticSink
{
public:
    QStringList warnings;
    void report(Severity, const QString &where, const QString &message) override
    {
        QMutexLocker lock(&m_mutex);
        warnings << where + QStringLiteral(": ") + message;
    }

private:
    QMutex m_mutex;
};

inline DestinationDef httpDestination(const QUrl &baseUrl, const QVariantMap &extra = {})
{
    DestinationDef destination;
    destination.name = QStringLiteral("crm-api");
    destination.type = QStringLiteral("http");
    destination.settings.insert(QStringLiteral("base_url"), baseUrl.toString());
    destination.settings.insert(QStringLiteral("retry_delay"), QStringLiteral("10ms"));
    for (auto it = extra.cbegin(); it != extra.cend(); ++it)
        destination.settings.insert(it.key(), it.value());
    return destination;
}

inline SecretRef keychain(const QString &name)
{
    return SecretRef { SecretRef::Kind::Keychain, name };
}

inline OutgoingRecord record(Operation operation, const QString &id, const QString &name = QStringLiteral("x"))
{
    OutgoingRecord outgoing;
    outgoing.operation = operation;
    outgoing.key = id.toStdString();
    const QJsonObject payload { { QStringLiteral("id"), id },
        { QStringLiteral("name"), name.isNull() ? QJsonValue(QJsonValue::Null) : QJsonValue(name) } };
    outgoing.payload = QJsonDocument(payload).toJson(QJsonDocument::Compact).toStdString();
    return outgoing;
}

inline std::vector<OutgoingRecord> upserts(int count, int first = 0)
{
    std::vector<OutgoingRecord> records;
    for (int i = first; i < first + count; ++i)
        records.push_back(record(Operation::Upsert, QStringLiteral("k%1").arg(i), QStringLiteral("name %1").arg(i)));
    return records;
}

inline int acceptedCount(const std::vector<RecordOutcome> &outcomes)
{
    return int(std::count_if(outcomes.begin(), outcomes.end(), [](const RecordOutcome &o) { return o.accepted; }));
}

} // namespace syncline::httptests
