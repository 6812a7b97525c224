#pragma once
// Turns one runner batch into HubSpot CRM v3 batch requests on a RequestWindow and their answers
// into per-record outcomes, in record order:
//   upsert -> batch/upsert by idProperty = the match field (batch/update when it is hs_object_id)
//   update, clear -> batch/update by idProperty (clear sends "" for every mapped property)
//   insert -> batch/create, each input with an objectWriteTraceId so failures come back per input
//   delete -> batch/archive by the record id from the ledger; without one, batch/read by the
//             match field first (a record HubSpot does not have is already gone: accepted)
// Requests hold at most the object's batch size. A 207 names failed inputs by context ids (or
// trace ids); results confirm the others. A request refused as a whole (400, 409, 422) is split in
// halves until the bad inputs are alone. Records whose request was abandoned (attempts exhausted,
// cancelled, credential refused) are rejected as retryable: the next run sends them again.
// Thread: the run's thread, inside deliver().

#include "connectors/http/requestwindow.h"
#include "connectors/hubspot/hubspotsettings.h"
#include "connectors/hubspot/hubspotwire.h"
#include "engine/connector/connector.h"

#include <vector>

namespace syncline::connectors::hubspot {

class HubSpotDelivery
{
public:
    HubSpotDelivery(
        const HubSpotSettings &settings, QString objectType, QString matchField, const engine::connector::Batch &batch);

    void submitAll(http::RequestWindow &window);
    int answeredCount() const; // accepted or refused by HubSpot (not abandoned)
    std::vector<engine::connector::RecordOutcome> takeOutcomes();

private:
    enum class Endpoint { Upsert, Update, Create, Archive, Read };
    using Indexes = std::vector<int>;

    void submit(http::RequestWindow &window, Endpoint endpoint, Indexes indexes, bool urgent);
    http::HttpRequest build(Endpoint endpoint, const Indexes &indexes) const;
    QString read(
        http::RequestWindow &window, Endpoint endpoint, const Indexes &indexes, const http::HttpResponse &response);
    QString readBatch(
        http::RequestWindow &window, Endpoint endpoint, const Indexes &indexes, int status, const BatchAnswer &answer);
    void settle(int index, bool accepted, const QString &error, bool retryable, const QString &destinationId = {});
    QString key(const QString &matchValue) const; // case-folded for case-insensitive match fields
    QString traceId(int index) const;

    const HubSpotSettings &m_settings;
    QString m_objectType;
    QString m_matchField;
    bool m_byObjectId = false; // the match field is hs_object_id itself
    const engine::connector::Batch &m_batch;
    std::vector<PayloadProperties> m_payloads;
    std::vector<QString> m_archiveIds; // record ids to archive (from the ledger or a read)
    std::vector<engine::connector::RecordOutcome> m_outcomes;
    std::vector<char> m_settled;
    std::vector<char> m_answered;
};

} // namespace syncline::connectors::hubspot
