#include "connectors/googlesheets/sheetcells.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QLocale>

#include <limits>

namespace syncline::connectors::googlesheets {

QString keyText(const QJsonValue &value)
{
    switch (value.type()) {
    case QJsonValue::String:
        return value.toString();
    case QJsonValue::Double: {
        // Qt keeps a JSON integer exactly (ids past 2^53 too); other numbers in their shortest form.
        constexpr qint64 none = std::numeric_limits<qint64>::min();
        const qint64 whole = value.toInteger(none);
        if (whole != none)
            return QString::number(whole);
        return QString::number(value.toDouble(), 'g', QLocale::FloatingPointShortest);
    }
    case QJsonValue::Bool:
        return value.toBool() ? QStringLiteral("TRUE") : QStringLiteral("FALSE");
    default:
        return QString();
    }
}

QJsonValue cellValue(const QJsonValue &value)
{
    switch (value.type()) {
    case QJsonValue::Null:
    case QJsonValue::Undefined:
        return QString(QLatin1String(""));
    case QJsonValue::Object:
        return QString::fromUtf8(QJsonDocument(value.toObject()).toJson(QJsonDocument::Compact));
    case QJsonValue::Array:
        return QString::fromUtf8(QJsonDocument(value.toArray()).toJson(QJsonDocument::Compact));
    default:
        return value;
    }
}

qsizetype cellLength(const QJsonValue &cell)
{
    return cell.isString() ? cell.toString().size() : keyText(cell).size();
}

} // namespace syncline::connectors::googlesheets
