#pragma once
// The destination connector interface. Connectors (connectors/<name>/) implement it and
// register a factory in connectors/builtinconnectors.cpp. The engine drives them; it never
// knows a connector's protocol.
// Thread and lifetime: an instance is created per run, in the run's thread, and used only there.
// Failure: deliver() returns per-record outcomes; a whole-batch failure (network down, auth
// refused) is an Error, retryable or not. Rate-limit waits happen inside deliver() and are not failures.

#include "engine/core/cancellation.h"
#include "engine/core/diagnosticsink.h"
#include "engine/core/error.h"

#include <QByteArray>
#include <QList>
#include <QPair>
#include <QString>
#include <QStringList>
#include <QVariant>

#include <optional>
#include <string>
#include <vector>

namespace syncline::engine::connector {

enum class Operation { Upsert, Update, Insert, Delete, Clear };
QString operationName(Operation op); // "upsert", "update", "insert", "delete", "clear"

// What a destination can do; checked before a run starts (e.g. mirror + delete needs Delete).
struct Capabilities
{
    std::vector<Operation> operations;
    int maxBatchSize = 1000;        // records per deliver() call
    bool discoversObjects = false;  // objects() lists real objects, else any name is accepted
};

// One setting a connector needs; drives the generated settings form in the UI, the YAML import
// check and `syncline-cli connectors --json`. A setting of type Secret is an entry of the
// destination's `secrets:` map (a reference, never a value); every other type is in `settings:`.
struct SettingSpec
{
    enum class Type {
        Text,
        Integer,
        Boolean,
        Choice,
        Path,
        Secret,
        Url,      // an absolute http(s) URL, e.g. "https://api.example.com/people"
        Duration, // "30s", "500ms", "2m"
        Rate,     // "20/s", "600/min"
        Map,      // a map of text, e.g. headers: { X-Team: analytics }
        Object,   // a nested map with its own keys (e.g. per-operation overrides); checked by the connector
    };
    QString key;           // e.g. "folder"
    QString label;         // e.g. "Folder"
    Type type = Type::Text;
    bool required = false;
    QVariant defaultValue;
    QStringList choices;   // Type::Choice
    QString help;
};
QString settingTypeName(SettingSpec::Type type); // "text", "integer", ..., "object"

enum class FieldType { Text, Number, Integer, Boolean, Date, Timestamp, Json };

struct FieldSpec
{
    QString name;
    QString label;
    FieldType type = FieldType::Text;
    bool required = false;  // must be mapped for inserts/upserts
    bool readOnly = false;  // may not be mapped
    bool identifier = false; // can be the match field
    bool caseInsensitive = false; // the destination compares values of this field ignoring case (e.g. emails)
};

struct ObjectSpec
{
    QString name;
    QString label;
    bool acceptsAnyField = false; // e.g. a file or a sheet: fields are whatever is mapped
    std::vector<FieldSpec> fields;
};

// One record to send. `payload` is the canonical JSON object of mapped fields (see MappedRow).
struct OutgoingRecord
{
    std::string key;            // canonical key text
    Operation operation = Operation::Upsert;
    std::string payload;        // canonical JSON; for Delete the last delivered payload
    QString destinationId;      // the destination's record id from the ledger, when known
};

struct RecordOutcome
{
    bool accepted = false;
    QString destinationId;      // assigned/confirmed record id, when the destination has one
    QString error;              // why it was rejected, in the destination's words
    bool retryable = false;
};

struct Batch
{
    QString object;
    std::vector<OutgoingRecord> records;
};

// Records one HTTP exchange (or any request/response pair) of a run for the request inspector.
// Implemented by the engine (state/); the connector calls it from the run's thread. The
// recorder redacts and samples; callers pass what went over the wire.
struct Exchange
{
    QString method;
    QString url;
    int status = 0;               // 0: no HTTP status (timeout, reset, cancelled)
    QString error;                // transport error or the outcome's reason, empty on success
    bool failed = false;          // kept always; successful exchanges are sampled
    qint64 startedAtMs = 0;       // wall clock, ms since epoch
    qint64 durationMs = 0;
    QList<QPair<QByteArray, QByteArray>> requestHeaders;
    QByteArray requestBody;
    QList<QPair<QByteArray, QByteArray>> responseHeaders;
    QByteArray responseBody;
};

class ExchangeRecorder
{
public:
    virtual ~ExchangeRecorder() = default;
    virtual void record(Exchange exchange) = 0;
};

// What a connector knows about the run it serves; given once, before beginRun().
struct RunContext
{
    qint64 runId = 0;
    QString syncName;
    QString destinationName;
    QString object;                 // the sync's object (also passed to beginRun)
    QString matchField;             // the destination field that identifies a record; every payload has it
    std::vector<FieldSpec> fields;  // the mapped fields, typed from their casts (Text when no cast)
    ExchangeRecorder *exchanges = nullptr; // may be null (no inspector)
    DiagnosticSink *diagnostics = nullptr; // may be null
};

class Connector
{
public:
    virtual ~Connector() = default;
    // Called once per run before beginRun(); the default ignores it.
    virtual void setRunContext(const RunContext &) {}
    virtual Capabilities capabilities() const = 0;

    // Object and field discovery (may call the destination's API).
    virtual Result<std::vector<ObjectSpec>> objects() = 0;
    virtual Result<ObjectSpec> object(const QString &name) = 0;

    // Called once before the first deliver() of a run, and once after the last; finishRun
    // commits anything the connector buffers (e.g. the file destination's atomic rewrite).
    virtual Result<void> beginRun(const QString &object) = 0;
    // Sends one batch; outcomes are in the same order as batch.records.
    virtual Result<std::vector<RecordOutcome>> deliver(const Batch &batch, const CancellationToken &cancellation) = 0;
    virtual Result<void> finishRun(bool runSucceeded) = 0;
};

} // namespace syncline::engine::connector
