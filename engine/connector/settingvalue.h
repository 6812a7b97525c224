#pragma once
// Reading and checking a destination setting's value by its SettingSpec type, shared by the YAML
// import check and the connectors that parse their settings (durations like "30s", rates like "20/s").
// Pure functions; any thread.

#include "engine/connector/connector.h"

#include <QString>
#include <QVariant>

#include <chrono>
#include <optional>

namespace syncline::engine::connector {

// "30s", "500ms", "2m", "1h" (a number, then ms, s, m or h).
std::optional<std::chrono::milliseconds> parseDuration(const QString &text);
// "20/s", "600/min", "5000/h" as events per second; unset when malformed or not above zero.
std::optional<double> parseRate(const QString &text);

// Empty when `value` suits `spec`, else what is wrong and what would be right, e.g.
// "must be an integer such as 100, not 'lots'". A Secret-type spec never has a value here.
QString settingValueProblem(const SettingSpec &spec, const QVariant &value);

} // namespace syncline::engine::connector
