#include "connectors/http/settingspecs.h"

namespace syncline::connectors::http {

engine::connector::SettingSpec settingSpec(const char *key, const char *label, engine::connector::SettingSpec::Type type,
    const char *help, QVariant fallback, bool required, QStringList choices)
{
    engine::connector::SettingSpec setting;
    setting.key = QString::fromLatin1(key);
    setting.label = QString::fromLatin1(label);
    setting.type = type;
    setting.help = QString::fromLatin1(help);
    setting.defaultValue = std::move(fallback);
    setting.required = required;
    setting.choices = std::move(choices);
    return setting;
}

} // namespace syncline::connectors::http
