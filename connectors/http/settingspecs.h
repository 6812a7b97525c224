#pragma once
// Builds the SettingSpec entries of a connector's settings schema (what `connectors --json`, the
// import check and the app's generated forms read), so every connector declares its settings the
// same way. Thread: a free function over values.

#include "engine/connector/connector.h"

#include <QStringList>
#include <QVariant>

namespace syncline::connectors::http {

engine::connector::SettingSpec settingSpec(const char *key, const char *label, engine::connector::SettingSpec::Type type,
    const char *help, QVariant fallback = {}, bool required = false, QStringList choices = {});

} // namespace syncline::connectors::http
