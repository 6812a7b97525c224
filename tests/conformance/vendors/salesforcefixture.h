#pragma once
// Salesforce in the conformance suite: Contact matched by the external id Ext_Id__c (the model's
// id), FirstName/LastName/Score__c mapped, removed rows deleted by Id. bulk_threshold 100 sends
// the 240-row first sync as a Bulk API 2.0 job and smaller runs through sObject Collections of
// 20 records, so both paths go through Prism. Token requests go through Prism too (the spec
// describes them) and the fake names Prism as instance_url. Refresh tokens are not rotated here:
// the suite's env secrets cannot take a rotated one (tst_salesforceconnector covers rotation).
// Wraps tests/fakes/salesforce/fakesalesforce.h.

#include "tests/conformance/vendorfixture.h"
#include "tests/fakes/salesforce/fakesalesforce.h"

namespace syncline::conformance {

class SalesforceFixture final : public VendorFixture
{
public:
    SalesforceFixture();
    QString vendor() const override { return QStringLiteral("salesforce"); }
    QString specFile() const override { return QStringLiteral("salesforce_rest_bulk2_contract.json"); }
    bool start(QString *error) override { return m_fake.start(0, error); }
    QUrl fakeUrl() const override { return m_fake.url(); }
    engine::DestinationDef destination(const QUrl &apiBase) const override;
    QHash<QString, QString> secretEnvironment() const override;
    SyncShape sync() const override;
    FakeRecords records() const override;
    FakeCounters counters() const override;
    void rejectRecords(const QSet<QString> &matchValues) override;
    void rateLimitNext(int requests) override;
    void expireTokens() override { m_fake.expireTokens(); }
    void setWriteLatency(int ms) override;
    QList<MalformedRequest> malformedRequests() const override;

private:
    // destination() (const) tells the fake which instance_url to hand out: Prism's, or its own.
    mutable testfakes::FakeSalesforce m_fake;
};

} // namespace syncline::conformance
