#include "connectors/http/settingvalues.h"

#include "engine/connector/settingvalue.h"

namespace syncline::connectors::http {

using engine::Result;
using engine::connector::parseDuration;
using engine::connector::parseRate;

bool SettingReader::has(const QString &key) const
{
    const QVariant value = m_settings.value(key);
    return value.isValid() && !value.isNull()
        && !(value.typeId() == QMetaType::QString && value.toString().trimmed().isEmpty());
}

std::unexpected<engine::Error> SettingReader::invalid(const QString &key, const QString &problem) const
{
    return engine::fail(QStringLiteral("http.settings"),
        QStringLiteral("Destination '%1': setting '%2' %3").arg(m_destination, key, problem));
}

Result<QString> SettingReader::text(const QString &key, const QString &fallback) const
{
    if (!has(key))
        return fallback;
    const QVariant value = m_settings.value(key);
    if (value.typeId() == QMetaType::QVariantMap || value.typeId() == QMetaType::QVariantList)
        return invalid(key, QStringLiteral("must be text, not a map or a list"));
    return value.toString().trimmed();
}

Result<QUrl> SettingReader::url(const QString &key, bool required) const
{
    if (!has(key)) {
        if (required)
            return invalid(
                key, QStringLiteral("is missing; set it to the API's URL, e.g. https://api.example.com/people"));
        return QUrl();
    }
    auto value = text(key);
    if (!value)
        return std::unexpected(value.error());
    const QUrl url(*value, QUrl::StrictMode);
    const QString scheme = url.scheme().toLower();
    if (!url.isValid() || url.host().isEmpty() || (scheme != QLatin1String("https") && scheme != QLatin1String("http")))
        return invalid(key,
            QStringLiteral("is '%1'; use an absolute http(s) URL such as https://api.example.com/people").arg(*value));
    if (!url.userInfo().isEmpty())
        return invalid(
            key, QStringLiteral("carries a user name or password; put credentials in the destination's secrets"));
    return url;
}

Result<int> SettingReader::integer(const QString &key, int fallback, int minimum, int maximum) const
{
    if (!has(key))
        return fallback;
    bool ok = false;
    const qlonglong value = m_settings.value(key).toString().trimmed().toLongLong(&ok);
    if (!ok || value < minimum || value > maximum)
        return invalid(key,
            QStringLiteral("is '%1'; use a whole number from %2 to %3")
                .arg(m_settings.value(key).toString())
                .arg(minimum)
                .arg(maximum));
    return int(value);
}

Result<double> SettingReader::rate(const QString &key) const
{
    if (!has(key))
        return 0.0;
    auto value = text(key);
    if (!value)
        return std::unexpected(value.error());
    const auto parsed = parseRate(*value);
    if (!parsed)
        return invalid(
            key, QStringLiteral("is '%1'; use requests per second or minute, e.g. 20/s or 600/min").arg(*value));
    return *parsed;
}

Result<std::chrono::milliseconds> SettingReader::duration(const QString &key, std::chrono::milliseconds fallback) const
{
    if (!has(key))
        return fallback;
    auto value = text(key);
    if (!value)
        return std::unexpected(value.error());
    const auto parsed = parseDuration(*value);
    if (!parsed || parsed->count() <= 0)
        return invalid(key, QStringLiteral("is '%1'; use a duration such as 30s, 500ms or 2m").arg(*value));
    return *parsed;
}

Result<QMap<QString, QString>> SettingReader::textMap(const QString &key) const
{
    QMap<QString, QString> result;
    const QVariant value = m_settings.value(key);
    if (!value.isValid() || value.isNull())
        return result;
    if (value.typeId() != QMetaType::QVariantMap)
        return invalid(key, QStringLiteral("must be a map, e.g. %1: { X-Team: analytics }").arg(key));
    const QVariantMap map = value.toMap();
    for (auto it = map.cbegin(); it != map.cend(); ++it) {
        if (it.value().typeId() == QMetaType::QVariantMap || it.value().typeId() == QMetaType::QVariantList)
            return invalid(key + QLatin1Char('.') + it.key(), QStringLiteral("must be text"));
        result.insert(it.key(), it.value().toString());
    }
    return result;
}

} // namespace syncline::connectors::http
