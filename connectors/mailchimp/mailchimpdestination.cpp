#include "connectors/mailchimp/mailchimpdestination.h"

#include "connectors/http/ratelimiterpool.h"
#include "connectors/http/requestwindow.h"
#include "connectors/http/singleexchange.h"
#include "connectors/http/staticauth.h"
#include "connectors/mailchimp/mailchimpdelivery.h"
#include "connectors/mailchimp/mailchimpmember.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QUrlQuery>

#include <algorithm>

namespace syncline::connectors::mailchimp {

using engine::Result;
using engine::connector::Batch;
using engine::connector::Capabilities;
using engine::connector::ConnectorType;
using engine::connector::FieldSpec;
using engine::connector::FieldType;
using engine::connector::ObjectSpec;
using engine::connector::Operation;
using engine::connector::RecordOutcome;

MailchimpDestination::MailchimpDestination(QString name, MailchimpSettings settings,
    std::unique_ptr<http::HttpAuth> auth, std::shared_ptr<http::RateLimiter> limiter,
    std::shared_ptr<MailchimpConnectionBudget> budget, QString account)
    : m_name(std::move(name))
    , m_settings(std::move(settings))
    , m_auth(std::move(auth))
    , m_limiter(std::move(limiter))
    , m_budget(std::move(budget))
    , m_account(std::move(account))
    , m_transport(std::make_unique<http::HttpTransport>(m_settings.timeout))
{ }

MailchimpDestination::~MailchimpDestination() = default;

ConnectorType MailchimpDestination::connectorType(std::shared_ptr<http::RateLimiterPool> limiters)
{
    ConnectorType type;
    type.id = QStringLiteral("mailchimp");
    type.label = QStringLiteral("Mailchimp (audience members)");
    type.settings = MailchimpSettings::schema();
    type.capabilities = typeCapabilities();
    // Mailchimp's 10 connections per user, shared by every run this registry creates.
    auto budget = std::make_shared<MailchimpConnectionBudget>(MailchimpSettings::kMaxConnections);
    type.create = [limiters, budget](const engine::DestinationDef &destination,
                      engine::SecretResolver &secrets) -> Result<std::unique_ptr<engine::connector::Connector>> {
        if (!destination.secrets.contains(QStringLiteral("api_key")))
            return engine::fail(QStringLiteral("mailchimp.settings"),
                QStringLiteral("Destination '%1' has no secret 'api_key'; add secrets: { api_key: { keychain: NAME } } "
                               "with a Mailchimp API key (Account > Extras > API keys)")
                    .arg(destination.name));
        auto key = secrets.resolve(destination.secrets.value(QStringLiteral("api_key")));
        if (!key)
            return std::unexpected(key.error());
        auto settings = MailchimpSettings::fromDestination(destination, *key);
        if (!settings)
            return std::unexpected(settings.error());
        // Basic auth: any user name, the key as the password.
        auto auth = std::make_unique<http::BasicAuth>(QStringLiteral("anystring"), *key);
        const QString account = http::RateLimiterPool::accountKey(settings->baseUrl, key->toUtf8());
        auto limiter = limiters->limiterFor(account, settings->ratePerSecond);
        return std::make_unique<MailchimpDestination>(
            destination.name, std::move(*settings), std::move(auth), std::move(limiter), budget, account);
    };
    return type;
}

Capabilities MailchimpDestination::typeCapabilities()
{
    Capabilities capabilities;
    capabilities.operations
        = { Operation::Upsert, Operation::Update, Operation::Insert, Operation::Delete, Operation::Clear };
    capabilities.maxBatchSize = 5'000;
    capabilities.discoversObjects = true;
    return capabilities;
}

Capabilities MailchimpDestination::capabilities() const
{
    Capabilities capabilities = typeCapabilities();
    // Two windows of full batch requests per deliver(), and never more than 5,000 members (each
    // known member is one PUT, so a deliver() of 5,000 updates is 500 rounds of 10 requests).
    capabilities.maxBatchSize = std::clamp(m_settings.batchSize * m_settings.concurrency * 2, 1, 5'000);
    return capabilities;
}

void MailchimpDestination::setRunContext(const engine::connector::RunContext &context)
{
    m_context = context;
    m_transport->setRecorder(context.exchanges);
    m_auth->setDiagnostics(context.diagnostics);
}

engine::Error MailchimpDestination::explained(engine::Error error) const
{
    if (error.code == QLatin1String("auth.refused"))
        error.message = QStringLiteral("Destination '%1': Mailchimp refused the API key (HTTP 401), which may have been "
                                       "revoked or belong to another account; create a key in Mailchimp (Account > "
                                       "Extras > API keys), store it in the destination's secret 'api_key', then run "
                                       "again")
                            .arg(m_name);
    else
        error.message = QStringLiteral("Destination '%1': %2").arg(m_name, error.message);
    return error;
}

Result<QJsonObject> MailchimpDestination::getJson(const QString &path, const QString &query)
{
    http::HttpRequest request;
    request.method = "GET";
    request.url = m_settings.baseUrl;
    request.url.setPath(m_settings.baseUrl.path() + path);
    request.url.setQuery(query);
    const engine::CancellationToken never;
    MailchimpConnectionBudget::Lease lease(*m_budget, m_account, m_budget->acquire(m_account, 1, never));
    auto response = http::sendSingle(*m_transport, *m_auth, *m_limiter, m_settings.retry, request);
    if (!response)
        return std::unexpected(explained(response.error()));
    if (response->status == 404)
        return engine::fail(QStringLiteral("mailchimp.not_found"),
            QStringLiteral("Destination '%1': Mailchimp has no %2 (%3); check the audience id (Audience > Settings > "
                           "Audience name and defaults)")
                .arg(m_name, path, problemText(*response)));
    if (!response->isSuccess())
        return engine::fail(QStringLiteral("mailchimp.request"),
            QStringLiteral("Destination '%1': GET %2 failed (%3)").arg(m_name, path, problemText(*response)),
            response->status >= 500, { { QStringLiteral("http_status"), QString::number(response->status) } });
    const QJsonDocument document = QJsonDocument::fromJson(response->body);
    if (!document.isObject())
        return engine::fail(QStringLiteral("mailchimp.request"),
            QStringLiteral("Destination '%1': GET %2 did not answer a JSON object").arg(m_name, path), true);
    return document.object();
}

Result<std::vector<ObjectSpec>> MailchimpDestination::objects()
{
    auto lists = getJson(QStringLiteral("/lists"), QStringLiteral("count=1000&fields=lists.id,lists.name,total_items"));
    if (!lists)
        return std::unexpected(lists.error());
    std::vector<ObjectSpec> objects;
    for (const QJsonValue &value : lists->value(QStringLiteral("lists")).toArray()) {
        ObjectSpec spec;
        spec.name = value.toObject().value(QStringLiteral("id")).toString();
        spec.label = value.toObject().value(QStringLiteral("name")).toString();
        objects.push_back(std::move(spec));
    }
    return objects;
}

Result<ObjectSpec> MailchimpDestination::object(const QString &name)
{
    const QString listPath = QStringLiteral("/lists/") + QString::fromLatin1(QUrl::toPercentEncoding(name));
    auto list = getJson(listPath, QStringLiteral("fields=id,name"));
    if (!list)
        return std::unexpected(list.error());
    auto merge = getJson(listPath + QStringLiteral("/merge-fields"), QStringLiteral("count=1000"));
    if (!merge)
        return std::unexpected(merge.error());
    ObjectSpec spec;
    spec.name = name;
    spec.label = list->value(QStringLiteral("name")).toString(name);
    FieldSpec email { QStringLiteral("email_address"), QStringLiteral("Email address"), FieldType::Text, true };
    email.identifier = true;
    email.caseInsensitive = true;
    spec.fields.push_back(email);
    spec.fields.push_back({ QStringLiteral("status"), QStringLiteral("Subscription status"), FieldType::Text });
    spec.fields.push_back({ QStringLiteral("language"), QStringLiteral("Language"), FieldType::Text });
    spec.fields.push_back({ QStringLiteral("vip"), QStringLiteral("VIP"), FieldType::Boolean });
    spec.fields.push_back({ QStringLiteral("email_type"), QStringLiteral("Email type (html or text)"), FieldType::Text });
    for (const QJsonValue &value : merge->value(QStringLiteral("merge_fields")).toArray()) {
        const QJsonObject mergeField = value.toObject();
        const QString type = mergeField.value(QStringLiteral("type")).toString();
        FieldSpec field;
        field.name = mergeField.value(QStringLiteral("tag")).toString();
        field.label = mergeField.value(QStringLiteral("name")).toString(field.name);
        field.type = type == QLatin1String("number") ? FieldType::Number
            : type == QLatin1String("date")          ? FieldType::Date
            : type == QLatin1String("address")       ? FieldType::Json
                                                     : FieldType::Text;
        field.required = mergeField.value(QStringLiteral("required")).toBool();
        spec.fields.push_back(std::move(field));
    }
    return spec;
}

Result<void> MailchimpDestination::beginRun(const QString &object)
{
    m_listId = object;
    if (!m_context.matchField.isEmpty() && m_context.matchField != QLatin1String("email_address"))
        return engine::fail(QStringLiteral("mailchimp.match"),
            QStringLiteral("Destination '%1': Mailchimp finds members by email only; map the email column to "
                           "email_address and match on it (not '%2')")
                .arg(m_name, m_context.matchField));
    // One request before any batch: a wrong audience id or a revoked key stops the run here, clearly.
    auto list = getJson(QStringLiteral("/lists/") + QString::fromLatin1(QUrl::toPercentEncoding(object)),
        QStringLiteral("fields=id,name"));
    if (!list)
        return std::unexpected(list.error());
    return {};
}

Result<std::vector<RecordOutcome>> MailchimpDestination::deliver(
    const Batch &batch, const engine::CancellationToken &cancellation)
{
    if (auto reachable = m_settlement.checkReachable(m_name); !reachable)
        return std::unexpected(reachable.error());
    // Slots of the account's 10 connections, shared with every other run to it in this process.
    const int granted = m_budget->acquire(m_account, m_settings.concurrency, cancellation);
    if (granted == 0)
        return engine::fail(QStringLiteral("http.cancelled"),
            QStringLiteral("Destination '%1': cancelled while waiting for one of Mailchimp's 10 connections (other "
                           "runs to this account held them); the rows are sent by the next run")
                .arg(m_name),
            true);
    MailchimpConnectionBudget::Lease lease(*m_budget, m_account, granted);
    http::RequestWindow window(*m_transport, *m_auth, *m_limiter, m_settings.retry, granted);
    MailchimpDelivery delivery(m_settings, batch.object.isEmpty() ? m_listId : batch.object, batch);
    delivery.submitAll(window);
    const Result<void> ran = window.run(cancellation);
    return m_settlement.settle(m_name, ran, delivery.answeredCount(), delivery.takeOutcomes(), m_context.diagnostics,
        [this](engine::Error error) { return explained(std::move(error)); });
}

Result<void> MailchimpDestination::finishRun(bool)
{
    return {};
}

} // namespace syncline::connectors::mailchimp
