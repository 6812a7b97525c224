#include "engine/mapping/nearmatch.h"

#include <algorithm>
#include <vector>

namespace syncline::engine::mapping {

namespace {

int editDistance(const QString &a, const QString &b)
{
    std::vector<int> previous(static_cast<size_t>(b.size()) + 1);
    std::vector<int> current(previous.size());
    for (size_t j = 0; j < previous.size(); ++j)
        previous[j] = static_cast<int>(j);
    for (qsizetype i = 0; i < a.size(); ++i) {
        current[0] = static_cast<int>(i) + 1;
        for (qsizetype j = 0; j < b.size(); ++j) {
            const int substitution = previous[static_cast<size_t>(j)] + (a[i] == b[j] ? 0 : 1);
            current[static_cast<size_t>(j) + 1] = std::min(
                { previous[static_cast<size_t>(j) + 1] + 1, current[static_cast<size_t>(j)] + 1, substitution });
        }
        std::swap(previous, current);
    }
    return previous.back();
}

} // namespace

QStringList nearMatches(const QString &name, const QStringList &candidates, int limit)
{
    const QString lowerName = name.toLower();
    const int allowed = std::max<int>(2, static_cast<int>(name.size()) / 3);
    std::vector<std::pair<int, QString>> scored;
    for (const QString &candidate : candidates) {
        const QString lower = candidate.toLower();
        int score = -1;
        if (lower == lowerName)
            score = 0;
        else if (!lowerName.isEmpty() && (lower.contains(lowerName) || lowerName.contains(lower)))
            score = 1 + static_cast<int>(std::abs(lower.size() - lowerName.size())) / 4;
        else if (const int distance = editDistance(lowerName, lower); distance <= allowed)
            score = 1 + distance;
        if (score >= 0)
            scored.emplace_back(score, candidate);
    }
    std::stable_sort(scored.begin(), scored.end(), [](const auto &a, const auto &b) { return a.first < b.first; });
    QStringList result;
    for (const auto &[score, candidate] : scored) {
        if (result.size() >= limit)
            break;
        result << candidate;
    }
    return result;
}

} // namespace syncline::engine::mapping
