#include "engine/diff/ledgerindex.h"

#include "engine/state/ledgerstore.h"

#include <algorithm>
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
    m_keyHashes.clear();
    m_fingerprints.clear();
    const size_t capacity = size_t(std::max<qint64>(0, budgetBytes) / qint64(sizeof(std::uint64_t) + sizeof(std::uint32_t)));
    m_complete = true;
    auto scanned = ledger.scanDelivered(syncId, [&](std::uint64_t keyHash, const mapping::PayloadHash &hash) {
        if (m_keyHashes.size() >= capacity) {
            m_complete = false;
            return false;
        }
        m_keyHashes.push_back(keyHash);
        m_fingerprints.push_back(fingerprint(hash));
        return true;
    });
    if (!scanned)
        return scanned;
    // Over budget: the last key hash read may have company that was not read, so it is dropped
    // too, and everything above the one before it goes the ordinary way.
    if (!m_complete) {
        const std::uint64_t last = m_keyHashes.empty() ? 0 : m_keyHashes.back();
        while (!m_keyHashes.empty() && m_keyHashes.back() == last) {
            m_keyHashes.pop_back();
            m_fingerprints.pop_back();
        }
        m_coveredThrough = m_keyHashes.empty() ? 0 : m_keyHashes.back();
    }
    // A key hash two ledger keys share (a 64-bit collision) cannot say which key it means.
    size_t out = 0;
    for (size_t i = 0; i < m_keyHashes.size();) {
        size_t end = i + 1;
        while (end < m_keyHashes.size() && m_keyHashes[end] == m_keyHashes[i])
            ++end;
        if (end - i == 1) {
            m_keyHashes[out] = m_keyHashes[i];
            m_fingerprints[out] = m_fingerprints[i];
            ++out;
        }
        i = end;
    }
    m_keyHashes.resize(out);
    m_fingerprints.resize(out);
    m_keyHashes.shrink_to_fit();
    m_fingerprints.shrink_to_fit();
    m_directory.assign((size_t(1) << kDirectoryBits) + 1, std::uint32_t(m_keyHashes.size()));
    for (size_t i = m_keyHashes.size(); i-- > 0;)
        m_directory[size_t(m_keyHashes[i] >> (64 - kDirectoryBits))] = std::uint32_t(i);
    // Empty buckets point at the next non-empty one's start.
    for (size_t b = m_directory.size() - 1; b-- > 0;)
        m_directory[b] = std::min(m_directory[b], m_directory[b + 1]);
    return {};
}

bool LedgerIndex::probablyUnchanged(std::uint64_t keyHash, const mapping::PayloadHash &payloadHash) const
{
    if (m_keyHashes.empty() || (!m_complete && keyHash > m_coveredThrough))
        return false;
    const size_t bucket = size_t(keyHash >> (64 - kDirectoryBits));
    const auto first = m_keyHashes.begin() + m_directory[bucket];
    const auto last = m_keyHashes.begin() + m_directory[bucket + 1];
    const auto it = std::lower_bound(first, last, keyHash);
    if (it == last || *it != keyHash)
        return false;
    return m_fingerprints[size_t(it - m_keyHashes.begin())] == fingerprint(payloadHash);
}

} // namespace syncline::engine::diff
