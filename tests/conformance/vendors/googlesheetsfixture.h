#pragma once
// Google Sheets in the conformance suite: tab "people" of one spreadsheet, matched by its email
// column, first_name/last_name/score mapped (plus an unmapped "owner" column that must stay
// untouched), removed rows deleted (deleteDimension), a service account whose JWT the fake's token
// endpoint verifies with the public key of a throwaway RSA key. Batches of 40 rows.
// Partial failure: Sheets has none, every request is atomic; the fake refuses a whole write that
// holds a refused email, and the connector isolates the refused rows by splitting the request.
// Wraps tests/fakes/googlesheets/sheetsfake.h.

#include "tests/conformance/vendorfixture.h"
#include "tests/fakes/googlesheets/jwtverifier.h"
#include "tests/fakes/googlesheets/sheetsfake.h"

namespace syncline::conformance {

class GoogleSheetsFixture final : public VendorFixture
{
public:
    GoogleSheetsFixture();

    QString vendor() const override { return QStringLiteral("googlesheets"); }
    QString specFile() const override { return QStringLiteral("google_sheets_v4_subset.json"); }
    FixtureTraits traits() const override;
    bool start(QString *error) override { return m_fake.start(0, error); }
    QUrl fakeUrl() const override { return m_fake.url(); }
    engine::DestinationDef destination(const QUrl &apiBase) const override;
    QHash<QString, QString> secretEnvironment() const override;
    SyncShape sync() const override;
    FakeRecords records() const override;
    FakeCounters counters() const override;
    void rejectRecords(const QSet<QString> &matchValues) override;
    void rateLimitNext(int requests) override;
    void expireTokens() override { m_fake.state().expireTokens(); }
    void setWriteLatency(int ms) override;
    QList<MalformedRequest> malformedRequests() const override;

private:
    testfakes::googlesheets::RsaKeyPair m_key;
    testfakes::googlesheets::SheetsFake m_fake;
};

} // namespace syncline::conformance
