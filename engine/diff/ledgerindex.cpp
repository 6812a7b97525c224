#include "engine/diff/ledgerindex.h"

#include "engine/state/ledgerstore.h"

#include <algorithm>
#include <bit>
#include <cstring>

namespace syncline::engine::diff {

std::uint32_t LedgerIndex::fingerprint(const mapping::PayloadHash &hash)
{
    std::uint32_t value = 0;
    std::memcpy(&value, hash.data(), sizeof value);
    return value;
}

Result<void> LedgerIndex::load(state::LedgerStore &ledger, qint64 syncId, qint64 budgetBytes)
{
    m_entries.clear();
    const size_t capacity = size_t(std::max<qint64>(0, budgetBytes) / qint64(sizeof(Entry)));
    m_complete = true;
    // Reserved, not touched: only the entries read become resident. Growing by doubling would
    // briefly hold one and a half times the final size (the 10M-row benchmark peaked at 258 MB).
    m_entries.reserve(capacity);
    auto scanned = ledger.scanDelivered(syncId, [&](std::uint64_t keyHash, const mapping::PayloadHash &hash) {
        if (m_entries.size() >= capacity) {
            m_complete = false;
            return false;
        }
        m_entries.push_back(Entry{keyHash, fingerprint(hash)});
        return true;
    });
    if (!scanned)
        return scanned;
    // Over budget: the last key hash read may have company that was not read, so it is dropped
    // too, and everything above the one before it goes the ordinary way.
    if (!m_complete) {
        const std::uint64_t last = m_entries.empty() ? 0 : m_entries.back().keyHash;
        while (!m_entries.empty() && m_entries.back().keyHash == last)
            m_entries.pop_back();
        m_coveredThrough = m_entries.empty() ? 0 : m_entries.back().keyHash;
    }
    // A key hash two ledger keys share (a 64-bit collision) cannot say which key it means.
    size_t out = 0;
    for (size_t i = 0; i < m_entries.size();) {
        size_t end = i + 1;
        while (end < m_entries.size() && m_entries[end].keyHash == m_entries[i].keyHash)
            ++end;
        if (end - i == 1)
            m_entries[out++] = m_entries[i];
        i = end;
    }
    m_entries.resize(out); // no shrink_to_fit: it would copy, and the unused tail is not resident
    m_directoryBits = std::clamp(int(std::bit_width(m_entries.size() / 8)), 8, 22);
    m_directory.assign((size_t(1) << m_directoryBits) + 1, std::uint32_t(m_entries.size()));
    for (size_t i = m_entries.size(); i-- > 0;)
        m_directory[size_t(m_entries[i].keyHash >> (64 - m_directoryBits))] = std::uint32_t(i);
    // Empty buckets point at the next non-empty one's start.
    for (size_t b = m_directory.size() - 1; b-- > 0;)
        m_directory[b] = std::min(m_directory[b], m_directory[b + 1]);
    return {};
}

bool LedgerIndex::probablyUnchanged(std::uint64_t keyHash, const mapping::PayloadHash &payloadHash) const
{
    if (m_entries.empty() || (!m_complete && keyHash > m_coveredThrough))
        return false;
    const size_t bucket = size_t(keyHash >> (64 - m_directoryBits));
    // Buckets hold a handful of entries (key hashes are uniform): a linear scan of one or two
    // cache lines beats a binary search's dependent loads.
    for (std::uint32_t i = m_directory[bucket], end = m_directory[bucket + 1]; i < end; ++i) {
        const Entry &entry = m_entries[i];
        if (entry.keyHash >= keyHash)
            return entry.keyHash == keyHash && entry.fingerprint == fingerprint(payloadHash);
    }
    return false;
}

} // namespace syncline::engine::diff
