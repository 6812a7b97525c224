#pragma once
// The "file" destination: delivers records to CSV or JSON Lines files in a local folder.
// Type id "file"; settings: folder (Path, required), format (csv|jsonl, default jsonl),
// layout (snapshot|changes, default snapshot). Objects are file base names and accept any field.
//
// layout: snapshot -- <folder>/<object>.<ext> mirrors the delivered state, rows in key order.
//   The state lives in the sidecar <folder>/.<object>.syncline-state (SQLite), changed in one
//   transaction per deliver(); the visible file is rewritten atomically (QSaveFile) in
//   finishRun(), and in beginRun() whenever the sidecar is ahead of it (a crashed run).
//   Rules: upsert stores; insert of an existing key is rejected ("record already exists")
//   unless the payload is identical (a replay of a batch in flight at a crash: accepted);
//   update of a missing key is rejected ("no such record"); delete is accepted even when the
//   key is missing (idempotent); clear writes the payload's fields (the runner sends them as
//   null, the match field with its value) over the stored record, keeping fields it does not name.
// layout: changes -- one file per run, <folder>/<object>-<yyyyMMddTHHmmssZ>-<runseq>.<ext>,
//   with each record's operation, key and payload in delivery order. The crash rule: every
//   acknowledged record is first journaled in the sidecar, in the same transaction as the
//   state (so a record is acknowledged exactly when it is durable, never half-written); the
//   run's file is written from the journal atomically in finishRun(), and any run a crash left
//   unwritten is written by the next beginRun() under its original name. So no half file is
//   ever visible, and every acknowledged record ends up in exactly one change file. Stray
//   QSaveFile temp files (<name>.XXXXXX, left when a crash hits the rename) are removed. A run
//   that delivered nothing writes no file. The same reject rules apply as for snapshots.
// Every accepted record counts one delivery per key in the sidecar (see FileDestinationState).
// Thread: one instance per run, used by the run's thread only.

#include "connectors/file/recordformat.h"
#include "engine/connector/connector.h"
#include "engine/connector/connectorregistry.h"
#include "engine/mapping/jsonreader.h"

#include <QDateTime>

#include <functional>
#include <memory>
#include <string>
#include <string_view>
#include <unordered_set>
#include <vector>

namespace syncline::connectors::file {

class StateStore;

enum class Layout { Snapshot, Changes };

struct FileSettings
{
    QString folder;
    Format format = Format::Jsonl;
    Layout layout = Layout::Snapshot;

    // Reads and checks a destination's settings: "file.settings" for a missing folder or an
    // unknown choice, "file.folder_missing" / "file.folder_not_writable" naming the folder.
    static engine::Result<FileSettings> fromDestination(const engine::DestinationDef &destination);
};

class FileDestination final : public engine::connector::Connector
{
public:
    using Clock = std::function<QDateTime()>; // UTC now; names change files

    explicit FileDestination(FileSettings settings, Clock clock = {});
    ~FileDestination() override;

    // The registry entry: id "file", the settings schema and a factory.
    static engine::connector::ConnectorType connectorType();
    // Every operation, 1000 records per batch, any object name: the same for every instance.
    static engine::connector::Capabilities fileCapabilities();

    engine::connector::Capabilities capabilities() const override;
    engine::Result<std::vector<engine::connector::ObjectSpec>> objects() override;
    engine::Result<engine::connector::ObjectSpec> object(const QString &name) override;
    engine::Result<void> beginRun(const QString &object) override;
    engine::Result<std::vector<engine::connector::RecordOutcome>> deliver(
        const engine::connector::Batch &batch, const engine::CancellationToken &cancellation) override;
    engine::Result<void> finishRun(bool runSucceeded) override;

    // The visible file of a snapshot: <folder>/<object>.<ext>.
    QString snapshotPath(const QString &object) const;

private:
    engine::Result<void> rewriteSnapshotIfBehind();
    void removeStaleTempFiles(const QString &object) const;
    engine::Result<void> writePendingChangeFiles(bool includeCurrentRun);
    engine::Result<void> writeChangeFile(qint64 run, const QString &fileName);
    engine::Result<engine::connector::RecordOutcome> apply(const engine::connector::OutgoingRecord &record);

    FileSettings m_settings;
    Clock m_clock;
    QString m_object;
    std::unique_ptr<StateStore> m_store;
    qint64 m_run = 0;
    std::unordered_set<std::string> m_knownFields; // fields already in the sidecar's header order
    // Raw JSON name tokens whose fields are known, looked up by string_view without a copy.
    struct TokenHash
    {
        using is_transparent = void;
        size_t operator()(std::string_view token) const { return std::hash<std::string_view>()(token); }
    };
    std::unordered_set<std::string, TokenHash, std::equal_to<>> m_knownTokens;
    std::vector<std::string> m_newTokens;                  // scratch: this record's unknown tokens
    std::vector<std::string> m_newFields;                  // scratch: this record's new field names
    std::vector<engine::mapping::json::Member> m_members;  // scratch: this record's members
};

} // namespace syncline::connectors::file
