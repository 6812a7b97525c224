#pragma once
// Finds the model rows that would write the same destination record: rows with different keys
// whose match values are equal as the destination compares them (exactly, or after Unicode case
// folding for a case-insensitive field). Every (match value, key) pair goes into its own
// ModelPartitions, within its own memory budget and spilled past it by the value's hash; the
// hash only nominates candidates, equality is decided on the values. NULL match values never
// collide (they identify no record). Thread: one thread. Temporary files go on destruction.

#include "engine/core/cancellation.h"
#include "engine/core/error.h"
#include "engine/diff/modelpartitions.h"
#include "engine/mapping/mappedrow.h"

#include <QString>

#include <cstdint>
#include <functional>
#include <string>
#include <string_view>

namespace syncline::engine::diff {

// What the check needs to know about the sync, all of it from its definition and the
// destination's object discovery.
struct MatchCollisionCheck
{
    QString object;               // the sync's object, for messages ("the same contact record")
    QString field;                // the match field, for messages
    bool caseInsensitive = false; // FieldSpec::caseInsensitive of the match field
};

class MatchCollisions
{
public:
    MatchCollisions(MatchCollisionCheck check, qint64 memoryBudgetBytes, int spillPartitions, QString spillDirectory);

    // Records the match value and key of one valid row (row.matchLength 0: no match value).
    Result<void> add(const mapping::MappedRow &row);

    // Once, after the last add(): calls `onKey` for every distinct key of every group of rows
    // sharing a match value, and `onGroup` once per group with its first key and a message that
    // names the group's keys ("2 rows would write the same contact record, email ann@example.com:
    // keys 17, 912"). The views are valid during the call only. Returns the number of groups.
    using KeyCallback = std::function<Result<void>(std::uint64_t keyHash, std::string_view key)>;
    using GroupCallback = std::function<void(std::string_view firstKey, const QString &message)>;
    Result<qint64> find(const KeyCallback &onKey, const GroupCallback &onGroup, const CancellationToken &cancellation);

    static constexpr int kKeysNamed = 10; // keys a message names before "and N more"

private:
    // The value rows are compared by, into m_value: the raw JSON token when exact; strings
    // decoded and case folded when case-insensitive. False for a NULL (or absent) value.
    bool comparable(std::string_view token);
    QString message(qint64 rows, std::string_view valueToken, const std::vector<std::string_view> &keys) const;

    MatchCollisionCheck m_check;
    ModelPartitions m_pairs; // "key hash" = hash of the comparable value, "key" = that value,
                             // payload = the row's key (+ its raw token when folded)
    std::string m_value;
    std::string m_decoded;
    std::string m_payload;
};

} // namespace syncline::engine::diff
