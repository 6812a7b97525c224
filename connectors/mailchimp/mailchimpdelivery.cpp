#include "connectors/mailchimp/mailchimpdelivery.h"

#include "connectors/mailchimp/mailchimpmember.h"

#include <QJsonArray>
#include <QJsonDocument>

#include <algorithm>

namespace syncline::connectors::mailchimp {

using engine::connector::Operation;
using engine::connector::RecordOutcome;
using http::HttpRequest;
using http::HttpResponse;
using http::RequestWindow;

QString problemText(const HttpResponse &response)
{
    const QJsonObject body = QJsonDocument::fromJson(response.body).object();
    QString text = body.value(QStringLiteral("detail")).toString();
    if (text.isEmpty())
        text = body.value(QStringLiteral("title")).toString();
    return text.isEmpty() ? response.summary() : QStringLiteral("HTTP %1: %2").arg(response.status).arg(text);
}

MailchimpDelivery::MailchimpDelivery(
    const MailchimpSettings &settings, QString listId, const engine::connector::Batch &batch)
    : m_settings(settings)
    , m_listId(std::move(listId))
    , m_batch(batch)
    , m_outcomes(batch.records.size())
    , m_settled(batch.records.size(), 0)
    , m_answered(batch.records.size(), 0)
{
    m_payloads.reserve(batch.records.size());
    for (const auto &record : batch.records) {
        m_payloads.push_back(QJsonDocument::fromJson(QByteArray::fromStdString(record.payload)).object());
        m_emails.push_back(m_payloads.back().value(QStringLiteral("email_address")).toString().trimmed());
    }
}

HttpRequest MailchimpDelivery::request(const QByteArray &method, const QString &path, const QJsonObject *body) const
{
    HttpRequest request;
    request.method = method;
    request.url = m_settings.baseUrl;
    request.url.setPath(m_settings.baseUrl.path() + QStringLiteral("/lists/") + m_listId + path);
    if (body) {
        request.headers.append({ QByteArray("Content-Type"), QByteArray("application/json") });
        request.body = QJsonDocument(*body).toJson(QJsonDocument::Compact);
    }
    return request;
}

void MailchimpDelivery::submitAll(RequestWindow &window)
{
    std::vector<int> batched;
    for (int i = 0; i < int(m_batch.records.size()); ++i) {
        const auto &record = m_batch.records[size_t(i)];
        if (m_emails[size_t(i)].isEmpty()) {
            settle(i, false, QStringLiteral("the record has no email_address, Mailchimp's match key"), false, false);
            continue;
        }
        switch (record.operation) {
        case Operation::Insert:
            batched.push_back(i);
            break;
        case Operation::Upsert:
            if (record.destinationId.isEmpty())
                batched.push_back(i);
            else
                submitMember(window, i, MemberCall::Put);
            break;
        case Operation::Update:
            submitMember(window, i, MemberCall::Patch);
            break;
        case Operation::Delete:
            submitMember(window, i, MemberCall::Delete);
            break;
        case Operation::Clear:
            submitMember(window, i, MemberCall::Clear);
            break;
        }
    }
    for (size_t from = 0; from < batched.size(); from += size_t(m_settings.batchSize)) {
        const size_t to = std::min(batched.size(), from + size_t(m_settings.batchSize));
        submitBatch(window, std::vector<int>(batched.begin() + qsizetype(from), batched.begin() + qsizetype(to)));
    }
}

void MailchimpDelivery::submitBatch(RequestWindow &window, std::vector<int> indexes)
{
    QJsonArray members;
    std::vector<int> sent;
    for (int index : indexes) {
        MemberBody member = batchMember(m_payloads[size_t(index)], m_settings.statusIfNew);
        if (!member.error.isEmpty()) {
            settle(index, false, member.error, false, false);
            continue;
        }
        members.append(member.body);
        sent.push_back(index);
    }
    if (sent.empty())
        return;
    const QJsonObject body { { QStringLiteral("members"), members }, { QStringLiteral("update_existing"), false } };
    const HttpRequest built = request("POST", QString(), &body);
    window.submit(RequestWindow::Job {
        [built] { return built; },
        [this, &window, sent](const HttpResponse &response) { return readBatch(window, sent, response); },
        [this, sent](const QString &reason) {
            for (int index : sent)
                settle(index, false, reason, true, false);
        },
    });
}

QString MailchimpDelivery::readBatch(RequestWindow &window, const std::vector<int> &indexes, const HttpResponse &response)
{
    if (!response.isSuccess()) {
        const QString why = QStringLiteral("Mailchimp refused the batch (%1)").arg(problemText(response));
        for (int index : indexes)
            settle(index, false, why, false);
        return {};
    }
    QJsonParseError parseError;
    const QJsonDocument document = QJsonDocument::fromJson(response.body, &parseError);
    if (parseError.error != QJsonParseError::NoError || !document.isObject())
        return QStringLiteral("the batch answer is not JSON (%1)").arg(parseError.errorString());
    struct Refusal
    {
        QString code;
        QString text;
    };
    QHash<QString, Refusal> refused;
    for (const QJsonValue &value : document.object().value(QStringLiteral("errors")).toArray()) {
        const QJsonObject error = value.toObject();
        QString text = error.value(QStringLiteral("error")).toString();
        const QString field = error.value(QStringLiteral("field")).toString();
        if (!field.isEmpty())
            text += QStringLiteral(" (%1: %2)").arg(field, error.value(QStringLiteral("field_message")).toString());
        refused.insert(error.value(QStringLiteral("email_address")).toString().trimmed().toLower(),
            Refusal { error.value(QStringLiteral("error_code")).toString(), text });
    }
    for (int index : indexes) {
        const auto found = refused.constFind(m_emails[size_t(index)].toLower());
        if (found == refused.cend()) {
            settle(index, true, {}, false);
        } else if (found->code == QLatin1String("ERROR_CONTACT_EXISTS")) {
            if (m_batch.records[size_t(index)].operation == Operation::Upsert)
                submitMember(window, index, MemberCall::Put, true); // exists: update it, keeping its status
            else
                settle(index, false,
                    QStringLiteral("%1 is already a member of audience %2; insert mode never changes existing members")
                        .arg(m_emails[size_t(index)], m_listId),
                    false);
        } else {
            settle(index, false, found->text.isEmpty() ? QStringLiteral("refused by Mailchimp") : found->text, false);
        }
    }
    return {};
}

void MailchimpDelivery::submitMember(RequestWindow &window, int index, MemberCall call, bool urgent)
{
    const QJsonObject &payload = m_payloads[size_t(index)];
    const QString path = QStringLiteral("/members/") + subscriberHash(m_emails[size_t(index)]);
    HttpRequest built;
    if (call == MemberCall::Delete) {
        built = request("DELETE", path, nullptr);
    } else {
        const MemberBody member = call == MemberCall::Put ? putMember(payload, m_settings.statusIfNew)
            : call == MemberCall::Patch                   ? patchMember(payload)
                                                          : clearMember(payload);
        if (!member.error.isEmpty()) {
            settle(index, false, member.error, false, false);
            return;
        }
        built = request(call == MemberCall::Put ? "PUT" : "PATCH", path, &member.body);
    }
    window.submit(
        RequestWindow::Job {
            [built] { return built; },
            [this, index, call](const HttpResponse &response) {
                readMember(index, call, response);
                return QString();
            },
            [this, index](const QString &reason) { settle(index, false, reason, true, false); },
        },
        urgent);
}

void MailchimpDelivery::readMember(int index, MemberCall call, const HttpResponse &response)
{
    if (response.isSuccess()) {
        settle(index, true, {}, false);
        return;
    }
    if (response.status == 404) {
        if (call == MemberCall::Delete || call == MemberCall::Clear) {
            settle(index, true, {}, false); // nothing left to archive or clear
            return;
        }
        settle(index, false,
            QStringLiteral("%1 is not a member of audience %2; update mode does not add members")
                .arg(m_emails[size_t(index)], m_listId),
            false);
        return;
    }
    settle(index, false, QStringLiteral("Mailchimp refused %1 (%2)").arg(m_emails[size_t(index)], problemText(response)),
        false);
}

void MailchimpDelivery::settle(int index, bool accepted, const QString &error, bool retryable, bool answered)
{
    if (m_settled[size_t(index)])
        return;
    m_settled[size_t(index)] = 1;
    m_answered[size_t(index)] = answered;
    RecordOutcome &outcome = m_outcomes[size_t(index)];
    outcome.accepted = accepted;
    outcome.error = error;
    outcome.retryable = retryable;
    if (accepted)
        outcome.destinationId = subscriberHash(m_emails[size_t(index)]);
}

int MailchimpDelivery::answeredCount() const
{
    return int(std::count(m_answered.begin(), m_answered.end(), 1));
}

std::vector<RecordOutcome> MailchimpDelivery::takeOutcomes()
{
    for (size_t i = 0; i < m_outcomes.size(); ++i) {
        if (!m_settled[i]) {
            m_outcomes[i].accepted = false;
            m_outcomes[i].retryable = true;
            m_outcomes[i].error = QStringLiteral("no answer from Mailchimp; sent again by the next run");
        }
    }
    return std::move(m_outcomes);
}

} // namespace syncline::connectors::mailchimp
