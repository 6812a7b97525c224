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

namespace {
constexpr std::pair<ChangeDetection, const char *> kChangeDetectionNames[] = {
    {ChangeDetection::Local, "local"},
    {ChangeDetection::WarehouseHash, "warehouse_hash"},
    {ChangeDetection::Warehouse, "warehouse"},
};
} // namespace

QString changeDetectionName(ChangeDetection mode)
{
    for (const auto &[value, name] : kChangeDetectionNames)
        if (value == mode)
            return QString::fromLatin1(name);
    return {};
}

std::optional<ChangeDetection> changeDetectionFromName(const QString &name)
{
    for (const auto &[value, text] : kChangeDetectionNames)
        if (name == QLatin1String(text))
            return value;
    return std::nullopt;
}

QString secretKindName(SecretRef::Kind kind)
{
    switch (kind) {
    case SecretRef::Kind::Env:
        return QStringLiteral("env");
    case SecretRef::Kind::Keychain:
        return QStringLiteral("keychain");
    case SecretRef::Kind::None:
        break;
    }
    return QStringLiteral("none");
}

std::optional<SecretRef::Kind> secretKindFromName(const QString &name)
{
    if (name == QLatin1String("none"))
        return SecretRef::Kind::None;
    if (name == QLatin1String("env"))
        return SecretRef::Kind::Env;
    if (name == QLatin1String("keychain"))
        return SecretRef::Kind::Keychain;
    return std::nullopt;
}

bool connectionStringHasPassword(const QString &connection)
{
    // ODBC syntax: key=value pairs separated by ';', a value may be wrapped in {} and contain ';'.
    qsizetype i = 0;
    const qsizetype n = connection.size();
    while (i < n) {
        const qsizetype equals = connection.indexOf(QLatin1Char('='), i);
        if (equals < 0)
            break;
        const QString key = connection.mid(i, equals - i).trimmed();
        qsizetype end = equals + 1;
        while (end < n && connection[end].isSpace())
            ++end;
        if (end < n && connection[end] == QLatin1Char('{')) {
            const qsizetype close = connection.indexOf(QLatin1Char('}'), end);
            end = close < 0 ? n : close + 1;
        }
        const qsizetype semicolon = connection.indexOf(QLatin1Char(';'), end);
        const qsizetype valueEnd = semicolon < 0 ? n : semicolon;
        const QString value = connection.mid(equals + 1, valueEnd - equals - 1).trimmed();
        if ((key.compare(QLatin1String("pwd"), Qt::CaseInsensitive) == 0
             || key.compare(QLatin1String("password"), Qt::CaseInsensitive) == 0)
            && !value.isEmpty())
            return true;
        i = valueEnd + 1;
    }
    return false;
}

} // namespace syncline::engine
