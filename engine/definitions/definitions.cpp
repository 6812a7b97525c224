#include "engine/definitions/definitions.h"

#include <array>
#include <utility>

namespace syncline::engine {

namespace {
constexpr std::array<std::pair<SyncMode, const char *>, 5> kModeNames{{
    {SyncMode::Upsert, "upsert"},
    {SyncMode::UpdateOnly, "update"},
    {SyncMode::InsertOnly, "insert"},
    {SyncMode::Mirror, "mirror"},
    {SyncMode::All, "all"},
}};
constexpr std::array<std::pair<RemovedRowAction, const char *>, 3> kRemovedNames{{
    {RemovedRowAction::Ignore, "ignore"},
    {RemovedRowAction::Clear, "clear"},
    {RemovedRowAction::Delete, "delete"},
}};
} // namespace

QString syncModeName(SyncMode mode)
{
    for (const auto &[value, name] : kModeNames)
        if (value == mode)
            return QString::fromLatin1(name);
    return {};
}

std::optional<SyncMode> syncModeFromName(const QString &name)
{
    for (const auto &[value, text] : kModeNames)
        if (name == QLatin1String(text))
            return value;
    return std::nullopt;
}

QString removedRowActionName(RemovedRowAction action)
{
    for (const auto &[value, name] : kRemovedNames)
        if (value == action)
            return QString::fromLatin1(name);
    return {};
}

std::optional<RemovedRowAction> removedRowActionFromName(const QString &name)
{
    for (const auto &[value, text] : kRemovedNames)
        if (name == QLatin1String(text))
            return value;
    return std::nullopt;
}

} // namespace syncline::engine
