#pragma once
// Reads typed values out of a destination's settings map, with messages that name the
// destination and the setting and say what a valid value looks like. For every HTTP connector.
// Durations and rates are read by engine/connector/settingvalue.h, as the YAML import checks them.
// Thread: free functions over values.

#include "engine/core/error.h"

#include <QUrl>
#include <QVariant>

#include <chrono>
#include <optional>

namespace syncline::connectors::http {

// Reads settings of one destination; every failure is "http.settings" naming `destination` and the key.
class SettingReader
{
public:
    SettingReader(QString destination, const QVariantMap &settings)
        : m_destination(std::move(destination))
        , m_settings(settings)
    { }

    bool has(const QString &key) const;
    engine::Result<QString> text(const QString &key, const QString &fallback = {}) const;
    engine::Result<QUrl> url(const QString &key, bool required) const;
    engine::Result<int> integer(const QString &key, int fallback, int minimum, int maximum) const;
    engine::Result<double> rate(const QString &key) const; // 0 when unset: no limit
    engine::Result<std::chrono::milliseconds> duration(const QString &key, std::chrono::milliseconds fallback) const;
    engine::Result<QMap<QString, QString>> textMap(const QString &key) const;

    // "Destination 'crm-api': setting 'timeout' is 'soon'; <how>".
    std::unexpected<engine::Error> invalid(const QString &key, const QString &problem) const;

private:
    QString m_destination;
    const QVariantMap &m_settings;
};

} // namespace syncline::connectors::http
