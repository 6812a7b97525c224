#pragma once
// Klaviyo in the conformance suite: profiles matched by email, first_name/last_name as standard
// attributes and score as a custom property, removed rows cleared (Klaviyo's profile API has no
// delete). Deliveries of 40 rows go through bulk import jobs (bulk_threshold 20, bulk_size 40:
// 240 rows make six jobs, each polled and its import errors read); smaller ones and clears are
// single profile imports. Private API keys do not expire: the expired-token scenario skips, and a
// revoked key is covered by tst_klaviyoconnector (a non-retryable auth.refused naming the secret
// api_key). Wraps tests/fakes/klaviyo/klaviyofake.h.

#include "tests/conformance/vendorfixture.h"
#include "tests/fakes/klaviyo/klaviyofake.h"

namespace syncline::conformance {

class KlaviyoFixture final : public VendorFixture
{
public:
    KlaviyoFixture();
    QString vendor() const override { return QStringLiteral("klaviyo"); }
    QString specFile() const override { return QStringLiteral("klaviyo_profiles.json"); }
    FixtureTraits traits() const override;
    bool start(QString *error) override { return m_fake.start(0, error); }
    QUrl fakeUrl() const override { return m_fake.url(); }
    engine::DestinationDef destination(const QUrl &apiBase) const override;
    QHash<QString, QString> secretEnvironment() const override;
    SyncShape sync() const override;
    FakeRecords records() const override;
    FakeCounters counters() const override;
    void rejectRecords(const QSet<QString> &matchValues) override;
    void rateLimitNext(int requests) override { m_fake.scriptRateLimited(requests, 1); }
    void expireTokens() override { }
    void setWriteLatency(int ms) override { m_fake.setLatencyMs(ms); }
    QList<MalformedRequest> malformedRequests() const override;

private:
    testfakes::KlaviyoFake m_fake;
};

} // namespace syncline::conformance
