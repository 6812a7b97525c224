#pragma once
// A read-only look at a file destination's sidecar (".<object>.syncline-state"): what each
// key holds and how many times it was delivered. For tests and diagnostics (a crash test proves
// "a row is resent only if it was in flight at the kill" from the delivery counts).
// Loads everything at open(); a value snapshot, safe to keep and copy.

#include "engine/core/error.h"

#include <QString>

#include <map>
#include <optional>
#include <string>

namespace syncline::connectors::file {

class FileDestinationState
{
public:
    struct Record
    {
        std::string payload; // last delivered payload ("{}" for a key only ever deleted)
        bool present = false; // false after a delete
        qint64 deliveries = 0; // accepted deliveries of this key, every operation counted
    };

    // "file.state" when the folder has no state for `object` (nothing was ever delivered).
    static engine::Result<FileDestinationState> open(const QString &folder, const QString &object);

    const std::map<std::string, Record> &records() const { return m_records; } // every key ever delivered, key order
    std::optional<Record> record(const std::string &key) const;
    qint64 presentCount() const;
    qint64 totalDeliveries() const;
    qint64 generation() const { return m_generation; } // delivering transactions so far
    qint64 snapshotGeneration() const { return m_snapshotGeneration; } // what the visible snapshot shows

private:
    std::map<std::string, Record> m_records;
    qint64 m_generation = 0;
    qint64 m_snapshotGeneration = 0;
};

} // namespace syncline::connectors::file
