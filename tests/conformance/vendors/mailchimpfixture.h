#pragma once
// Mailchimp in the conformance suite: members of audience "aud1" matched by email_address,
// first_name/last_name/score mapped to the merge fields FNAME/LNAME/SCORE, removed rows archived,
// batches of 40 members (240 rows make six batch-subscribe requests; updates are PUTs by
// subscriber hash). Mailchimp uses API keys, which do not expire: the expired-token scenario
// skips, and a revoked key is covered by tst_mailchimpconnector (a non-retryable auth.refused
// naming the secret api_key). Wraps tests/fakes/mailchimp/mailchimpfake.h.

#include "tests/conformance/vendorfixture.h"
#include "tests/fakes/mailchimp/mailchimpfake.h"

namespace syncline::conformance {

class MailchimpFixture final : public VendorFixture
{
public:
    MailchimpFixture();
    QString vendor() const override { return QStringLiteral("mailchimp"); }
    QString specFile() const override { return QStringLiteral("mailchimp_marketing_members_subset.json"); }
    FixtureTraits traits() const override;
    bool start(QString *error) override { return m_fake.start(0, error); }
    QUrl fakeUrl() const override { return m_fake.url(); }
    engine::DestinationDef destination(const QUrl &apiBase) const override;
    QHash<QString, QString> secretEnvironment() const override;
    SyncShape sync() const override;
    FakeRecords records() const override;
    FakeCounters counters() const override;
    void rejectRecords(const QSet<QString> &matchValues) override;
    void rateLimitNext(int requests) override { m_fake.scriptRateLimited(requests); }
    void expireTokens() override { }
    void setWriteLatency(int ms) override { m_fake.setLatencyMs(ms); }
    QList<MalformedRequest> malformedRequests() const override;

private:
    testfakes::MailchimpFake m_fake;
};

} // namespace syncline::conformance
