#pragma once
// Turns one runner batch for an audience into Mailchimp requests on a RequestWindow and their
// answers into per-record outcomes, in record order:
//   upsert of a member Syncline has not delivered yet, insert -> batch subscribe (POST /lists/{id},
//       up to batch_size members, update_existing false, so an existing member's subscription
//       status is never overwritten); its errors[] become per-record rejections, and an upsert that
//       meets ERROR_CONTACT_EXISTS is sent again as a PUT (an insert is rejected: the member exists)
//   upsert of a delivered member -> PUT /lists/{id}/members/{hash} (status_if_new; status only if mapped)
//   update -> PATCH of the member (404: rejected, update mode adds no one)
//   delete -> DELETE of the member (archive; 404 means already gone and counts as done)
//   clear  -> PATCH emptying the mapped merge fields (404 counts as done)
// Records whose request was abandoned (attempts exhausted, cancelled, key refused) are retryable.
// Thread: the run's thread, inside deliver().

#include "connectors/http/requestwindow.h"
#include "connectors/mailchimp/mailchimpsettings.h"
#include "engine/connector/connector.h"

#include <QJsonObject>

#include <vector>

namespace syncline::connectors::mailchimp {

class MailchimpDelivery
{
public:
    MailchimpDelivery(const MailchimpSettings &settings, QString listId, const engine::connector::Batch &batch);

    void submitAll(http::RequestWindow &window);
    int answeredCount() const;
    std::vector<engine::connector::RecordOutcome> takeOutcomes();

private:
    enum class MemberCall { Put, Patch, Delete, Clear };
    void submitBatch(http::RequestWindow &window, std::vector<int> indexes);
    void submitMember(http::RequestWindow &window, int index, MemberCall call, bool urgent = false);
    QString readBatch(http::RequestWindow &window, const std::vector<int> &indexes, const http::HttpResponse &response);
    void readMember(int index, MemberCall call, const http::HttpResponse &response);
    http::HttpRequest request(const QByteArray &method, const QString &path, const QJsonObject *body) const;
    void settle(int index, bool accepted, const QString &error, bool retryable, bool answered = true);

    const MailchimpSettings &m_settings;
    QString m_listId;
    const engine::connector::Batch &m_batch;
    std::vector<QJsonObject> m_payloads;
    std::vector<QString> m_emails;
    std::vector<engine::connector::RecordOutcome> m_outcomes;
    std::vector<char> m_settled;
    std::vector<char> m_answered;
};

// The `detail` (else `title`) of a Mailchimp problem+json body, or the status line.
QString problemText(const http::HttpResponse &response);

} // namespace syncline::connectors::mailchimp
