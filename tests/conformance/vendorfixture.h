#pragma once
// The one interface a SaaS vendor implements to join the conformance suite (tst_conformance):
// the suite runs every scenario for every registered vendor, through Stoplight Prism in proxy
// mode (`prism proxy --errors <spec> <fake>`) when ../shared and Prism are there, else straight
// against the fake (the Prism part is then skipped with a reason).
//
// The model is the suite's, not the vendor's: a SQLite table
//     people(id INTEGER PRIMARY KEY, email TEXT, first_name TEXT, last_name TEXT, score INTEGER)
// with lower-case unique emails ("person17@example.com"), names "First17"/"Last17", score id % 97.
// A scenario changes it (updates names and scores, adds rows, removes rows) and ends by comparing
// the fake's records with it: for every model row the record under its match value must hold
// exactly the mapped columns' values as text (score as a decimal integer), and no other record
// may exist (or, for RemovedRowAction::Clear, a removed row's mapped fields must be empty).
//
// How to add a vendor: see /work/notes/conformance-ready.md, in short: implement this class in
// tests/conformance/vendors/<vendor>fixture.{h,cpp}, register it there with
// SYNCLINE_CONFORMANCE_VENDOR(<Class>), and let the vendor's fake library append itself to the
// CMake global property SYNCLINE_VENDOR_FAKES (tests/fakes/<vendor>/CMakeLists.txt).
//
// Thread: the suite calls a fixture from the test thread only; the fake it wraps answers from its
// own thread (see tests/fakes/fakehttphost.h), so accessors must be thread-safe there.
// Lifetime: one fixture instance per scenario (a fresh fake on a fresh port each time).

#include "engine/definitions/definitions.h"

#include <QByteArray>
#include <QHash>
#include <QList>
#include <QMap>
#include <QPair>
#include <QSet>
#include <QString>
#include <QStringList>
#include <QUrl>

#include <functional>
#include <memory>
#include <vector>

namespace syncline::conformance {

// How the suite's model is synced to the vendor: the sync's object, match and mapping.
struct SyncShape
{
    QString object; // e.g. "contacts", "Contact", a list id, a tab name
    QString matchColumn; // model column that identifies a record: "email" or "id"
    QString matchField; // the destination field it matches, e.g. "email", "External_Id__c"
    // model column ("first_name", "last_name", "score", "email", "id") -> destination field;
    // the match column is mapped by the suite itself and must not be repeated here.
    QList<QPair<QString, QString>> mapping;
    engine::SyncMode mode = engine::SyncMode::Upsert;
    engine::RemovedRowAction onRemoved = engine::RemovedRowAction::Delete; // Delete: the record must be gone
                                                                           // Clear: its mapped fields empty
};

// What the fake holds for the sync's object: match value -> destination field -> value as text.
// Include the match field itself and every mapped field; an unset or cleared field may be absent
// or "". Fields the vendor adds itself (ids, timestamps) may be present: the suite ignores fields
// that are not mapped. Match values of case-insensitive keys (emails) may come back in any case.
using FakeRecords = QHash<QString, QHash<QString, QString>>;

// Counters the scenarios assert on; every one counts since the fixture started.
struct FakeCounters
{
    int writeRequests = 0; // requests that wrote (or tried to write) records and were not refused
                           // for auth or rate limiting; "rerun sends nothing" needs it unchanged
    int rateLimited = 0; // 429 answers the fake sent
    int unauthorized = 0; // 401 answers the fake sent
    int tokenGrants = 0; // access tokens issued by the fake's token endpoint
};

// One deliberately malformed request for a write operation; sent straight to Prism, which must
// refuse it (400 or 422) without forwarding it. Give a valid credential, so the refusal is about
// the body or parameters and not about auth.
struct MalformedRequest
{
    QString name; // e.g. "upsert: property value is a number"
    QByteArray method = "POST";
    QString pathAndQuery; // e.g. "/crm/v3/objects/contacts/batch/upsert"
    QList<QPair<QByteArray, QByteArray>> headers; // Content-Type and Authorization at least
    QByteArray body;
};

// What a vendor can take part in; scenarios it cannot do skip with the given reason.
struct FixtureTraits
{
    bool refreshesTokens = true; // has an OAuth token endpoint the fake can expire tokens for
    QString noRefreshReason; // shown when it does not, e.g. "Mailchimp API keys do not expire"
    int rows = 240; // model rows of a scenario (keep runs short: a few batches)
};

class VendorFixture
{
public:
    virtual ~VendorFixture() = default;

    virtual QString vendor() const = 0; // "hubspot": the data rows are "<vendor>: <scenario>"
    virtual QString specFile() const = 0; // a file name in ../shared/destinations/specs
    virtual FixtureTraits traits() const { return {}; }

    // Starts the fake on a free 127.0.0.1 port; false with `error` set when it cannot.
    virtual bool start(QString *error) = 0;
    virtual QUrl fakeUrl() const = 0; // http://127.0.0.1:<port>: Prism forwards to it

    // The destination whose API calls go to `apiBase` (Prism's URL, or fakeUrl() without Prism);
    // token endpoints should point at fakeUrl() directly (the specs do not describe them).
    // Secrets must be SecretRef::Kind::Env references; secretEnvironment() gives their values
    // (the suite sets them in its own environment, which `syncline-cli` inherits).
    virtual engine::DestinationDef destination(const QUrl &apiBase) const = 0;
    virtual QHash<QString, QString> secretEnvironment() const = 0;
    virtual SyncShape sync() const = 0;

    virtual FakeRecords records() const = 0;
    virtual FakeCounters counters() const = 0;

    // Faults. Each applies from now on until changed.
    // Records whose match value is in `matchValues` are refused per record (the vendor's partial
    // failure: 207, per-record errors...), the others in the same request accepted; {} clears it.
    virtual void rejectRecords(const QSet<QString> &matchValues) = 0;
    // The next `requests` API requests get the vendor's 429 with its rate-limit headers.
    virtual void rateLimitNext(int requests) = 0;
    // Every access token issued so far stops working (401); the connector must refresh.
    // Only called when traits().refreshesTokens.
    virtual void expireTokens() = 0;
    // Every write waits this long before its answer (so a run can be cancelled or killed mid-way).
    virtual void setWriteLatency(int ms) = 0;

    // At least one per write operation the connector uses (upsert, create, update, delete...).
    virtual QList<MalformedRequest> malformedRequests() const = 0;
};

// The registry the suite reads: one factory per vendor, filled by SYNCLINE_CONFORMANCE_VENDOR.
using FixtureFactory = std::function<std::unique_ptr<VendorFixture>()>;
std::vector<std::pair<QString, FixtureFactory>> &registeredVendors();

struct VendorRegistration
{
    VendorRegistration(const QString &vendor, FixtureFactory factory)
    {
        registeredVendors().emplace_back(vendor, std::move(factory));
    }
};

} // namespace syncline::conformance

// In the vendor's fixture .cpp, at namespace scope: SYNCLINE_CONFORMANCE_VENDOR(hubspot, HubSpotFixture)
#define SYNCLINE_CONFORMANCE_VENDOR(vendorName, FixtureClass)                                                          \
    static const ::syncline::conformance::VendorRegistration syncline_conformance_registration_##vendorName            \
    {                                                                                                                  \
        QStringLiteral(#vendorName),                                                                                   \
            [] { return std::unique_ptr<::syncline::conformance::VendorFixture>(new FixtureClass); }                   \
    }
