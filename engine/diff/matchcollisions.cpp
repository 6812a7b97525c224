#include "engine/diff/matchcollisions.h"

#include "engine/mapping/jsonreader.h"
#include "engine/mapping/mapper.h"

#include <QStringList>

#include <algorithm>
#include <cstring>

namespace syncline::engine::diff {

namespace {

// The row's key hash and key length ride in the record's 16-byte "payload hash" slot.
mapping::PayloadHash packKey(std::uint64_t keyHash, std::uint32_t keyLength)
{
    mapping::PayloadHash packed{};
    std::memcpy(packed.data(), &keyHash, 8);
    std::memcpy(packed.data() + 8, &keyLength, 4);
    return packed;
}

std::uint64_t keyHashOf(const RecordRef &r)
{
    std::uint64_t hash;
    std::memcpy(&hash, r.payloadHash.data(), 8);
    return hash;
}

std::uint32_t keyLengthOf(const RecordRef &r)
{
    std::uint32_t length;
    std::memcpy(&length, r.payloadHash.data() + 8, 4);
    return length;
}

QString shortText(std::string_view utf8)
{
    constexpr qsizetype maxLength = 60;
    const QString text = QString::fromUtf8(utf8.data(), qsizetype(utf8.size()));
    return text.size() <= maxLength ? text : text.left(maxLength) + QStringLiteral("...");
}

Error cancelled()
{
    return Error{QStringLiteral("run.cancelled"), QStringLiteral("the plan was cancelled; nothing was sent"), false, {}};
}

} // namespace

MatchCollisions::MatchCollisions(MatchCollisionCheck check, qint64 memoryBudgetBytes, int spillPartitions,
                                 QString spillDirectory)
    : m_check(std::move(check))
    , m_pairs(memoryBudgetBytes, spillPartitions, std::move(spillDirectory))
{
}

bool MatchCollisions::comparable(std::string_view token)
{
    std::string &out = m_value;
    std::string &decoded = m_decoded;
    out.clear();
    if (token.empty() || token == "null")
        return false;
    if (!m_check.caseInsensitive || token.front() != '"') {
        out.assign(token);
        return true;
    }
    if (!mapping::json::decodeString(token, decoded)) {
        out.assign(token);
        return true;
    }
    const bool ascii = std::all_of(decoded.begin(), decoded.end(), [](char c) { return (unsigned char)c < 0x80; });
    if (ascii) {
        // The common case (emails): ASCII folds to ASCII lower case, without a trip through UTF-16.
        out.resize(decoded.size());
        std::transform(decoded.begin(), decoded.end(), out.begin(),
                       [](char c) { return c >= 'A' && c <= 'Z' ? char(c - 'A' + 'a') : c; });
        return true;
    }
    const QByteArray folded = QString::fromUtf8(decoded.data(), qsizetype(decoded.size())).toCaseFolded().toUtf8();
    out.assign(folded.constData(), size_t(folded.size()));
    return true;
}

Result<void> MatchCollisions::add(const mapping::MappedRow &row)
{
    const std::string_view token = std::string_view(row.payload).substr(row.matchOffset, row.matchLength);
    if (!comparable(token))
        return {};
    m_payload.assign(row.key);
    if (m_check.caseInsensitive)
        m_payload.append(token); // the value as written, for the message
    return m_pairs.add(RecordKind::Valid, mapping::Mapper::hashKey(m_value), packKey(row.keyHash, std::uint32_t(row.key.size())),
                       m_value, m_payload);
}

QString MatchCollisions::message(qint64 rows, std::string_view valueToken, const std::vector<std::string_view> &keys) const
{
    std::string value;
    if (!mapping::json::valueText(valueToken, value))
        value.assign(valueToken);
    QStringList named;
    for (size_t i = 0; i < keys.size() && i < size_t(kKeysNamed); ++i)
        named << shortText(keys[i]);
    QString list = named.join(QStringLiteral(", "));
    if (keys.size() > size_t(kKeysNamed))
        list += QStringLiteral(" and %1 more").arg(keys.size() - size_t(kKeysNamed));
    return QStringLiteral("%1 rows would write the same %2 record, %3 %4: keys %5; make %3 unique in the model, "
                          "none of them is sent until then")
        .arg(rows)
        .arg(m_check.object, m_check.field, shortText(value), list);
}

Result<qint64> MatchCollisions::find(const KeyCallback &onKey, const GroupCallback &onGroup,
                                     const CancellationToken &cancellation)
{
    if (auto ok = m_pairs.finishWriting(); !ok)
        return std::unexpected(ok.error());
    qint64 groups = 0;
    PartitionData data;
    std::vector<std::string_view> keys;
    std::vector<std::uint64_t> hashes;
    for (int partition = 0; partition < m_pairs.partitionCount(); ++partition) {
        if (cancellation.isCancelled())
            return std::unexpected(cancelled());
        if (auto ok = m_pairs.load(partition, data); !ok)
            return std::unexpected(ok.error());
        std::vector<RecordRef> &records = data.records;
        auto keyOf = [&](const RecordRef &r) { return data.payload(r).substr(0, keyLengthOf(r)); };
        auto sameValue = [&](const RecordRef &a, const RecordRef &b) {
            return a.keyHash == b.keyHash && data.key(a) == data.key(b);
        };
        std::sort(records.begin(), records.end(), [&](const RecordRef &a, const RecordRef &b) {
            if (a.keyHash != b.keyHash)
                return a.keyHash < b.keyHash;
            if (const int byValue = data.key(a).compare(data.key(b)); byValue != 0)
                return byValue < 0;
            return keyOf(a) < keyOf(b);
        });
        for (size_t start = 0; start < records.size();) {
            size_t end = start + 1;
            while (end < records.size() && sameValue(records[end], records[start]))
                ++end;
            if (end - start == 1) {
                start = end;
                continue;
            }
            // Distinct keys of the group (equal keys are adjacent); a key seen twice is a
            // duplicate key, which the join already reports, not a collision by itself.
            keys.clear();
            hashes.clear();
            for (size_t i = start; i < end; ++i) {
                const std::string_view key = keyOf(records[i]);
                if (keys.empty() || keys.back() != key) {
                    keys.push_back(key);
                    hashes.push_back(keyHashOf(records[i]));
                }
            }
            if (keys.size() > 1) {
                ++groups;
                for (size_t i = 0; i < keys.size(); ++i)
                    if (auto ok = onKey(hashes[i], keys[i]); !ok)
                        return std::unexpected(ok.error());
                const RecordRef &first = records[start];
                const std::string_view token = m_check.caseInsensitive ? data.payload(first).substr(keyLengthOf(first))
                                                                       : data.key(first);
                onGroup(keys.front(), message(qint64(end - start), token, keys));
            }
            start = end;
        }
    }
    return groups;
}

} // namespace syncline::engine::diff
