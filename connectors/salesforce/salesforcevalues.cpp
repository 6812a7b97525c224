#include "connectors/salesforce/salesforcevalues.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QLocale>
#include <QStringList>

#include <cmath>

namespace syncline::connectors::salesforce {

namespace {

bool isNumberType(const QString &type)
{
    return type == QLatin1String("double") || type == QLatin1String("currency") || type == QLatin1String("percent")
        || type == QLatin1String("int") || type == QLatin1String("long");
}

bool isTextType(const QString &type)
{
    static const QStringList text = { QStringLiteral("string"), QStringLiteral("textarea"), QStringLiteral("email"),
        QStringLiteral("phone"), QStringLiteral("url"), QStringLiteral("picklist"), QStringLiteral("multipicklist"),
        QStringLiteral("combobox"), QStringLiteral("encryptedstring"), QStringLiteral("id"), QStringLiteral("reference") };
    return text.contains(type);
}

} // namespace

FieldTypes fieldTypesOf(const QJsonObject &describe)
{
    FieldTypes types;
    for (const QJsonValue &value : describe.value(QStringLiteral("fields")).toArray()) {
        const QJsonObject field = value.toObject();
        types.insert(field.value(QStringLiteral("name")).toString().toLower(), field.value(QStringLiteral("type")).toString());
    }
    return types;
}

QJsonValue fitValue(const QJsonValue &value, const QString &type)
{
    if (value.isNull() || value.isUndefined())
        return value;
    if (isTextType(type)) {
        if (value.isDouble()) {
            const double number = value.toDouble();
            if (std::isfinite(number) && number == std::trunc(number) && std::abs(number) < 9.0e15)
                return QString::number(qint64(number));
            return QString::number(number, 'g', QLocale::FloatingPointShortest);
        }
        if (value.isBool())
            return value.toBool() ? QStringLiteral("true") : QStringLiteral("false");
        if (value.isArray() && type == QLatin1String("multipicklist")) {
            QStringList items;
            for (const QJsonValue &item : value.toArray())
                items << item.toVariant().toString();
            return items.join(QLatin1Char(';'));
        }
        return value;
    }
    if (isNumberType(type) && value.isString()) {
        bool ok = false;
        const double number = value.toString().trimmed().toDouble(&ok);
        return ok ? QJsonValue(number) : value;
    }
    if (type == QLatin1String("boolean") && value.isString()) {
        const QString text = value.toString().trimmed().toLower();
        if (text == QLatin1String("true") || text == QLatin1String("1") || text == QLatin1String("yes"))
            return true;
        if (text == QLatin1String("false") || text == QLatin1String("0") || text == QLatin1String("no"))
            return false;
    }
    if (type == QLatin1String("boolean") && value.isDouble())
        return value.toDouble() != 0;
    return value;
}

QJsonObject fitRecord(const QJsonObject &fields, const FieldTypes &types)
{
    if (types.isEmpty())
        return fields;
    QJsonObject fitted;
    for (auto it = fields.begin(); it != fields.end(); ++it) {
        const auto type = types.constFind(it.key().toLower());
        fitted.insert(it.key(), type == types.constEnd() ? it.value() : fitValue(it.value(), *type));
    }
    return fitted;
}

} // namespace syncline::connectors::salesforce
