#include "engine/diff/modelpartitions.h"

#include <QDir>
#include <QTemporaryDir>

#include <bit>
#include <cstring>

namespace syncline::engine::diff {

namespace {

constexpr size_t kFileBuffer = 32 * 1024; // x 256 partitions

struct RecordHeader
{
    std::uint64_t keyHash;
    mapping::PayloadHash payloadHash;
    std::uint32_t keyLength;
    std::uint32_t payloadLength;
    std::uint8_t kind;
};
constexpr size_t kHeaderSize = 8 + 16 + 4 + 4 + 1;

Error spillError(const QString &what, const QString &path)
{
    return Error{QStringLiteral("diff.spill"),
                 QStringLiteral("%1 %2: %3; free some disk space or set TMPDIR to a larger disk")
                     .arg(what, path, QString::fromLocal8Bit(std::strerror(errno))),
                 false,
                 {}};
}

} // namespace

void PartitionData::append(RecordKind kind, std::uint64_t keyHash, const mapping::PayloadHash &hash,
                           std::string_view key, std::string_view payload)
{
    RecordRef ref;
    ref.keyHash = keyHash;
    ref.payloadHash = hash;
    ref.kind = kind;
    ref.keyOffset = std::uint32_t(arena.size());
    ref.keyLength = std::uint32_t(key.size());
    arena.append(key);
    ref.payloadOffset = std::uint32_t(arena.size());
    ref.payloadLength = std::uint32_t(payload.size());
    arena.append(payload);
    records.push_back(ref);
}

void PartitionData::clear()
{
    arena.clear();
    records.clear();
}

ModelPartitions::ModelPartitions(qint64 memoryBudgetBytes, int spillPartitions, QString spillDirectory)
    : m_budget(memoryBudgetBytes)
    , m_bits(std::countr_zero(std::bit_ceil(unsigned(std::max(2, spillPartitions)))))
    , m_spillDirectory(spillDirectory.isEmpty() ? QDir::tempPath() : std::move(spillDirectory))
{
}

ModelPartitions::~ModelPartitions()
{
    for (std::FILE *file : m_files)
        if (file)
            std::fclose(file);
}

Result<void> ModelPartitions::add(RecordKind kind, std::uint64_t keyHash, const mapping::PayloadHash &hash,
                                  std::string_view key, std::string_view payload)
{
    ++m_records;
    if (spilled())
        return write(partitionOf(keyHash), kind, keyHash, hash, key, payload);
    if (m_memory.records.empty()) {
        // Reserve the budget once: growing by doubling would copy the arena again and again and
        // fault in twice the memory. Pages are only touched (resident) as records arrive.
        m_memory.arena.reserve(size_t(m_budget - m_budget * 2 / 5));
        m_memory.records.reserve(size_t(m_budget * 2 / 5) / sizeof(RecordRef));
    }
    m_memory.append(kind, keyHash, hash, key, payload);
    // Spill rather than grow the record list: doubling it would briefly hold twice its size.
    if (m_memory.bytes() > m_budget || m_memory.records.size() == m_memory.records.capacity())
        return spill();
    return {};
}

Result<void> ModelPartitions::spill()
{
    m_dir = std::make_unique<QTemporaryDir>(m_spillDirectory + QStringLiteral("/syncline-diff-XXXXXX"));
    if (!m_dir->isValid())
        return std::unexpected(spillError(QStringLiteral("cannot create a temporary folder in"), m_spillDirectory));
    const int count = 1 << m_bits;
    for (int i = 0; i < count; ++i) {
        const QString path = m_dir->filePath(QStringLiteral("part-%1.bin").arg(i));
        std::FILE *file = std::fopen(QFile::encodeName(path).constData(), "w+b");
        if (!file)
            return std::unexpected(spillError(QStringLiteral("cannot create"), path));
        std::setvbuf(file, nullptr, _IONBF, 0); // m_pending is the buffer
        m_pending.emplace_back().reserve(kFileBuffer);
        m_files.push_back(file);
        m_paths.push_back(path);
    }
    for (const RecordRef &r : m_memory.records)
        if (auto ok = write(partitionOf(r.keyHash), r.kind, r.keyHash, r.payloadHash, m_memory.key(r), m_memory.payload(r));
            !ok)
            return ok;
    m_memory = PartitionData{};
    return {};
}

Result<void> ModelPartitions::write(int partition, RecordKind kind, std::uint64_t keyHash,
                                    const mapping::PayloadHash &hash, std::string_view key, std::string_view payload)
{
    char header[kHeaderSize];
    const std::uint32_t keyLength = std::uint32_t(key.size());
    const std::uint32_t payloadLength = std::uint32_t(payload.size());
    std::memcpy(header, &keyHash, 8);
    std::memcpy(header + 8, hash.data(), 16);
    std::memcpy(header + 24, &keyLength, 4);
    std::memcpy(header + 28, &payloadLength, 4);
    header[32] = char(kind);
    std::string &pending = m_pending[size_t(partition)];
    // Flush before the buffer would grow, so it stays within its reserved size.
    if (!pending.empty() && pending.size() + kHeaderSize + key.size() + payload.size() > kFileBuffer)
        if (auto ok = flush(partition); !ok)
            return ok;
    pending.append(header, kHeaderSize);
    pending.append(key);
    pending.append(payload);
    return {};
}

Result<void> ModelPartitions::flush(int partition)
{
    std::string &pending = m_pending[size_t(partition)];
    if (!pending.empty() && std::fwrite(pending.data(), 1, pending.size(), m_files[size_t(partition)]) != pending.size())
        return std::unexpected(spillError(QStringLiteral("cannot write"), m_paths[size_t(partition)]));
    pending.clear();
    if (pending.capacity() > 2 * kFileBuffer) { // after an outsized record
        pending.shrink_to_fit();
        pending.reserve(kFileBuffer);
    }
    return {};
}

Result<void> ModelPartitions::finishWriting()
{
    for (size_t i = 0; i < m_files.size(); ++i) {
        if (auto ok = flush(int(i)); !ok)
            return ok;
        m_pending[i].shrink_to_fit(); // written: the buffers go
    }
    for (size_t i = 0; i < m_files.size(); ++i)
        if (std::fflush(m_files[i]) != 0)
            return std::unexpected(spillError(QStringLiteral("cannot write"), m_paths[i]));
    return {};
}

state::KeyHashRange ModelPartitions::range(int partition) const
{
    if (!spilled())
        return state::KeyHashRange{};
    const int shift = 64 - m_bits;
    const std::uint64_t first = std::uint64_t(partition) << shift;
    return state::KeyHashRange{first, first | ((std::uint64_t(1) << shift) - 1)};
}

Result<void> ModelPartitions::load(int partition, PartitionData &out)
{
    out.clear();
    if (!spilled()) {
        out = std::move(m_memory);
        m_memory = PartitionData{};
        return {};
    }
    std::FILE *file = m_files[size_t(partition)];
    const QString &path = m_paths[size_t(partition)];
    if (std::fseek(file, 0, SEEK_END) != 0)
        return std::unexpected(spillError(QStringLiteral("cannot read"), path));
    const long size = std::ftell(file);
    std::rewind(file);
    std::string raw(size_t(std::max(0L, size)), '\0');
    if (std::fread(raw.data(), 1, raw.size(), file) != raw.size())
        return std::unexpected(spillError(QStringLiteral("cannot read"), path));
    // Done with this partition: give its disk space back now.
    std::fclose(file);
    m_files[size_t(partition)] = nullptr;
    QFile::remove(path);

    size_t at = 0;
    while (at + kHeaderSize <= raw.size()) {
        RecordHeader h;
        std::memcpy(&h.keyHash, raw.data() + at, 8);
        std::memcpy(h.payloadHash.data(), raw.data() + at + 8, 16);
        std::memcpy(&h.keyLength, raw.data() + at + 24, 4);
        std::memcpy(&h.payloadLength, raw.data() + at + 28, 4);
        h.kind = std::uint8_t(raw[at + 32]);
        at += kHeaderSize;
        RecordRef ref;
        ref.keyHash = h.keyHash;
        ref.payloadHash = h.payloadHash;
        ref.kind = RecordKind(h.kind);
        ref.keyOffset = std::uint32_t(at);
        ref.keyLength = h.keyLength;
        ref.payloadOffset = std::uint32_t(at + h.keyLength);
        ref.payloadLength = h.payloadLength;
        at += size_t(h.keyLength) + h.payloadLength;
        out.records.push_back(ref);
    }
    out.arena = std::move(raw);
    return {};
}

} // namespace syncline::engine::diff
