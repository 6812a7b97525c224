#pragma once
// Values shared by the fake HTTP API's pieces: its configuration, the faults it injects, the
// requests it logged and its counters. Plain values, copied across threads.

#include <QByteArray>
#include <QJsonObject>
#include <QList>
#include <QPair>
#include <QString>

#include <functional>
#include <map>
#include <optional>

namespace syncline::testfakes {

enum class Fault {
    TooManyRequests,  // 429 with Retry-After, nothing applied
    InternalError,    // 500, nothing applied
    BadGateway,       // 502, nothing applied
    Unavailable,      // 503, nothing applied
    NoReply,          // the request is read and never answered (the client times out); nothing applied
    ResetMidResponse, // the start of a 200 reply, then a TCP reset; nothing applied (a proxy or server that
                      // failed before the write); the client cannot tell it from a lost ack
    LostAck,          // the write is applied, then the connection is dropped without a reply
    MalformedJson,    // the write is applied, the reply is 200 with a body that is not JSON
};

QString faultName(Fault fault);                 // "429", "500", "502", "503", "timeout", "reset", "lostack", "malformed"
std::optional<Fault> faultFromName(const QString &name);

// How records matching FakeApiConfig::rejectRecord are refused.
enum class RejectStyle {
    WholeBatch400, // the whole request fails with 400 and an "errors" list naming the bad indexes
    WholeBatch422, // same with 422
    PerRecord207,  // 207: good records are applied, "results" has one entry per record
};

struct FakeApiConfig
{
    QString matchField = QStringLiteral("id"); // records are keyed by this field's value
    int latencyMs = 0;                         // every API reply waits this long
    int rateLimitPerSecond = 0;                // 0: unlimited; else a 1-second fixed window
    int retryAfterSeconds = 1;                 // Retry-After of injected 429s
    double randomFaultRate = 0.0;              // share of write requests that get a random fault
    QList<Fault> randomFaults;                 // drawn uniformly when a random fault strikes
    quint32 seed = 1;
    std::function<bool(const QJsonObject &)> rejectRecord; // called in the server thread
    RejectStyle rejectStyle = RejectStyle::WholeBatch422;
    int missingDeleteStatus = 404;             // DELETE of an absent key
    bool honourIdempotencyKeys = false;        // a write repeating an Idempotency-Key that made a write
                                               // gets that answer again and applies nothing
    int maxLoggedRequests = 100000;            // the request log stops growing past this
};

struct FakeRequest
{
    QByteArray method;
    QByteArray path; // URL-encoded, as sent
    QList<QPair<QByteArray, QByteArray>> headers;
    QByteArray body;
    int status = 0;                 // 0 when no reply was sent
    std::optional<Fault> fault;
    QByteArray header(const QByteArray &name) const;
};

struct FakeApiCounters
{
    qint64 requests = 0;        // API requests received (the /_fake/ control paths excluded)
    qint64 writeRequests = 0;   // POST, PUT, PATCH, DELETE
    qint64 recordsReceived = 0; // records in the bodies of write requests that were parsed
    qint64 upsertsApplied = 0;
    qint64 deletesApplied = 0;
    qint64 duplicates = 0;      // upserts applied to a key that had already received one
    qint64 rejectedRecords = 0; // records refused by rejectRecord
    qint64 rateLimited = 0;     // 429s from the rate limiter (injected 429s are in faults)
    qint64 lostAckRecords = 0;  // records applied by requests whose acknowledgement was dropped
    qint64 idempotentReplays = 0; // writes answered from an earlier one's Idempotency-Key
    std::map<int, qint64> statuses;       // replies sent, by status
    std::map<Fault, qint64> faults;       // faults injected, by kind
    qint64 status(int code) const;
    qint64 fault(Fault kind) const;
};

} // namespace syncline::testfakes
