#include "engine/connector/settingvalue.h"

#include <QRegularExpression>
#include <QUrl>

namespace syncline::engine::connector {

namespace {

bool isScalar(const QVariant &value)
{
    switch (value.typeId()) {
    case QMetaType::QString:
    case QMetaType::LongLong:
    case QMetaType::Int:
    case QMetaType::Double:
    case QMetaType::Bool:
        return true;
    default:
        return false;
    }
}

QString shown(const QVariant &value)
{
    if (value.typeId() == QMetaType::QVariantMap)
        return QStringLiteral("a map");
    if (value.typeId() == QMetaType::QVariantList)
        return QStringLiteral("a list");
    QString text = value.toString();
    if (text.size() > 40)
        text = text.left(37) + QStringLiteral("...");
    return QLatin1Char('\'') + text + QLatin1Char('\'');
}

} // namespace

std::optional<std::chrono::milliseconds> parseDuration(const QString &text)
{
    static const QRegularExpression pattern(QStringLiteral("^\\s*([0-9]+(?:\\.[0-9]+)?)\\s*(ms|s|m|h)\\s*$"));
    const QRegularExpressionMatch match = pattern.match(text);
    if (!match.hasMatch())
        return std::nullopt;
    const double number = match.captured(1).toDouble();
    const QString unit = match.captured(2);
    const double factor = unit == QLatin1String("ms") ? 1
        : unit == QLatin1String("s")                  ? 1000
        : unit == QLatin1String("m")                  ? 60000
                                                      : 3600000;
    return std::chrono::milliseconds(qint64(number * factor));
}

std::optional<double> parseRate(const QString &text)
{
    static const QRegularExpression pattern(
        QStringLiteral("^\\s*([0-9]+(?:\\.[0-9]+)?)\\s*/\\s*(s|sec|second|m|min|minute|h|hour)\\s*$"));
    const QRegularExpressionMatch match = pattern.match(text);
    if (!match.hasMatch())
        return std::nullopt;
    const double number = match.captured(1).toDouble();
    if (number <= 0)
        return std::nullopt;
    const QChar unit = match.captured(2).front();
    return number / (unit == QLatin1Char('s') ? 1.0 : unit == QLatin1Char('m') ? 60.0 : 3600.0);
}

QString settingValueProblem(const SettingSpec &spec, const QVariant &value)
{
    using Type = SettingSpec::Type;
    if (!value.isValid() || value.isNull())
        return QStringLiteral("has no value; give it one or remove the line");
    const QString text = isScalar(value) ? value.toString() : QString();
    switch (spec.type) {
    case Type::Text:
    case Type::Path:
    case Type::Secret:
        if (!isScalar(value))
            return QStringLiteral("must be a single value, not %1").arg(shown(value));
        return {};
    case Type::Integer: {
        static const QRegularExpression integer(QStringLiteral("^[-+]?[0-9]+$"));
        const bool ok = value.typeId() == QMetaType::LongLong || value.typeId() == QMetaType::Int
            || (value.typeId() == QMetaType::QString && integer.match(text).hasMatch());
        return ok ? QString() : QStringLiteral("must be an integer such as 100, not %1").arg(shown(value));
    }
    case Type::Boolean: {
        const bool ok = value.typeId() == QMetaType::Bool
            || (value.typeId() == QMetaType::QString
                && (text.compare(QLatin1String("true"), Qt::CaseInsensitive) == 0
                    || text.compare(QLatin1String("false"), Qt::CaseInsensitive) == 0));
        return ok ? QString() : QStringLiteral("must be true or false, not %1").arg(shown(value));
    }
    case Type::Choice:
        if (isScalar(value) && spec.choices.contains(text))
            return {};
        return QStringLiteral("must be one of %1, not %2").arg(spec.choices.join(QStringLiteral(", ")), shown(value));
    case Type::Url: {
        const QUrl url(text, QUrl::StrictMode);
        const bool ok = value.typeId() == QMetaType::QString && url.isValid() && !url.host().isEmpty()
            && (url.scheme() == QLatin1String("https") || url.scheme() == QLatin1String("http"));
        return ok ? QString()
                  : QStringLiteral("must be an absolute http(s) URL such as https://api.example.com/people, not %1")
                        .arg(shown(value));
    }
    case Type::Duration:
        return isScalar(value) && parseDuration(text)
            ? QString()
            : QStringLiteral("must be a duration such as 30s, 500ms or 2m, not %1").arg(shown(value));
    case Type::Rate:
        return isScalar(value) && parseRate(text)
            ? QString()
            : QStringLiteral("must be a rate such as 20/s or 600/min, not %1").arg(shown(value));
    case Type::Map:
        if (value.typeId() != QMetaType::QVariantMap)
            return QStringLiteral("must be a map such as { X-Team: analytics }, not %1").arg(shown(value));
        for (const QVariantMap entries = value.toMap(); const auto &[key, entry] : entries.asKeyValueRange())
            if (!isScalar(entry))
                return QStringLiteral("must map each key to a single value; '%1' is %2").arg(key, shown(entry));
        return {};
    case Type::Object:
        return value.typeId() == QMetaType::QVariantMap
            ? QString()
            : QStringLiteral("must be a map of its own keys, not %1").arg(shown(value));
    }
    return {};
}

} // namespace syncline::engine::connector
