#pragma once
// HubSpot in the conformance suite: contacts matched by email, firstname/lastname/score mapped,
// removed rows archived, OAuth (so expired tokens can be tested), batches of 20 so a scenario
// makes a dozen write requests. Wraps tests/fakes/hubspot/hubspotfake.h.

#include "tests/conformance/vendorfixture.h"
#include "tests/fakes/hubspot/hubspotfake.h"

namespace syncline::conformance {

class HubSpotFixture final : public VendorFixture
{
public:
    QString vendor() const override { return QStringLiteral("hubspot"); }
    QString specFile() const override { return QStringLiteral("hubspot_crm_objects_v3_contract.json"); }
    bool start(QString *error) override { return m_fake.start(error); }
    QUrl fakeUrl() const override { return m_fake.url(); }
    engine::DestinationDef destination(const QUrl &apiBase) const override;
    QHash<QString, QString> secretEnvironment() const override;
    SyncShape sync() const override;
    FakeRecords records() const override;
    FakeCounters counters() const override;
    void rejectRecords(const QSet<QString> &matchValues) override;
    void rateLimitNext(int requests) override { m_fake.rateLimitNext(requests); }
    void expireTokens() override { m_fake.expireAccessTokens(); }
    void setWriteLatency(int ms) override { m_fake.setLatency(ms); }
    QList<MalformedRequest> malformedRequests() const override;

private:
    testfakes::hubspot::HubSpotFake m_fake;
};

} // namespace syncline::conformance
