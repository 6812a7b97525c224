#include "engine/state/payloadcodec.h"

#include "engine/state/payloadscalars.h"

#include <algorithm>

namespace syncline::engine::state::payloadcodec {

using namespace scalars;

namespace {

// Greedy set cover: up to 15 affixes (prefixes, or suffixes when `ends`) of 2..24 bytes, each
// the one that saves the most bytes over the strings no earlier pick covers, while it still
// covers at least `minCount` of them.
std::vector<std::string> pickAffixes(std::vector<std::string_view> open, bool ends, size_t minCount)
{
    std::vector<std::string> picked;
    while (picked.size() < 15 && open.size() >= minCount) {
        std::unordered_map<std::string_view, size_t> counts;
        for (std::string_view s : open)
            for (size_t n = 2; n <= std::min<size_t>(s.size(), 24); ++n)
                ++counts[ends ? s.substr(s.size() - n) : s.substr(0, n)];
        std::string_view best;
        size_t bestScore = 0;
        for (const auto &[affix, count] : counts) {
            const size_t score = count * (affix.size() - 1);
            if (count >= minCount && (score > bestScore || (score == bestScore && affix < best))) {
                best = affix;
                bestScore = score;
            }
        }
        if (bestScore == 0)
            break;
        picked.emplace_back(best);
        const std::string &chosen = picked.back();
        std::erase_if(open, [&](std::string_view s) { return ends ? s.ends_with(chosen) : s.starts_with(chosen); });
    }
    return picked;
}

void putList(std::string &out, const std::vector<std::string> &list)
{
    putVarint(out, list.size());
    for (const std::string &entry : list) {
        putVarint(out, entry.size());
        out += entry;
    }
}

} // namespace

std::string train(const Shape &shape, const std::vector<std::string> &samples)
{
    const size_t fields = shape.pieces.size();
    std::vector<std::vector<std::string_view>> bodies(fields); // plain string values per field
    size_t used = 0;
    for (const std::string &json : samples) {
        size_t pos = 0;
        std::vector<std::string_view> values;
        bool matches = true;
        for (const std::string &piece : shape.pieces) {
            size_t end;
            if (json.size() - pos < piece.size() || json.compare(pos, piece.size(), piece) != 0
                || (end = valueEnd(json, pos + piece.size())) == std::string_view::npos) {
                matches = false;
                break;
            }
            values.push_back(std::string_view(json).substr(pos + piece.size(), end - pos - piece.size()));
            pos = end;
        }
        if (!matches || pos + 1 != json.size())
            continue;
        ++used;
        for (size_t i = 0; i < fields; ++i) {
            const std::string_view v = values[i];
            // Only strings that stay strings: not timestamps or numbers (those are short already).
            TimestampParts timestamp;
            if (v[0] == '"' && !parseTimestamp(v, timestamp)) {
                std::uint64_t n, scale;
                const std::string_view body = v.substr(1, v.size() - 2);
                if (!parseUnsigned(body, n) && !decimalParts(body, n, scale))
                    bodies[i].push_back(body);
            }
        }
    }
    std::string dictionary;
    const size_t minCount = std::max<size_t>(3, used / 100);
    for (size_t i = 0; i < fields; ++i) {
        std::vector<std::string> values;
        std::vector<std::string_view> open;
        if (bodies[i].size() >= minCount) {
            std::unordered_map<std::string_view, size_t> counts;
            for (std::string_view body : bodies[i])
                ++counts[body];
            std::vector<std::pair<size_t, std::string_view>> frequent;
            for (const auto &[value, count] : counts)
                if (count >= minCount && value.size() >= 2)
                    frequent.emplace_back(count, value);
            std::sort(frequent.begin(), frequent.end(), [](const auto &a, const auto &b) {
                return a.first != b.first ? a.first > b.first : a.second < b.second;
            });
            if (frequent.size() > 64)
                frequent.resize(64);
            for (const auto &entry : frequent)
                values.emplace_back(entry.second);
            for (std::string_view body : bodies[i])
                if (std::find(values.begin(), values.end(), body) == values.end())
                    open.push_back(body);
        }
        putList(dictionary, values);
        putList(dictionary, pickAffixes(open, false, std::max<size_t>(3, used / 50)));
        putList(dictionary, pickAffixes(open, true, std::max<size_t>(3, used / 50)));
    }
    return dictionary;
}

} // namespace syncline::engine::state::payloadcodec
