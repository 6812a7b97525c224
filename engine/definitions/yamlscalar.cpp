#include "engine/definitions/yamlscalar.h"

#include <QLocale>
#include <QRegularExpression>

#include <cmath>
#include <limits>

namespace syncline::engine::yamlscalar {

QVariant typedPlainScalar(const QString &text)
{
    static const QRegularExpression integer(QStringLiteral("^[-+]?[0-9]+$"));
    static const QRegularExpression floating(QStringLiteral("^[-+]?(\\.[0-9]+|[0-9]+(\\.[0-9]*)?)([eE][-+]?[0-9]+)?$"));
    if (text.isEmpty() || text == QLatin1String("~") || text == QLatin1String("null") || text == QLatin1String("Null")
        || text == QLatin1String("NULL"))
        return QVariant::fromValue(nullptr);
    if (text == QLatin1String("true") || text == QLatin1String("True") || text == QLatin1String("TRUE"))
        return true;
    if (text == QLatin1String("false") || text == QLatin1String("False") || text == QLatin1String("FALSE"))
        return false;
    if (integer.match(text).hasMatch()) {
        bool ok = false;
        const qlonglong value = text.toLongLong(&ok);
        if (ok)
            return value;
    }
    if (floating.match(text).hasMatch())
        return text.toDouble();
    const QString lower = text.toLower();
    if (lower == QLatin1String(".inf") || lower == QLatin1String("+.inf"))
        return std::numeric_limits<double>::infinity();
    if (lower == QLatin1String("-.inf"))
        return -std::numeric_limits<double>::infinity();
    if (lower == QLatin1String(".nan"))
        return std::numeric_limits<double>::quiet_NaN();
    return text;
}

bool needsQuotesToStayText(const QString &text)
{
    return typedPlainScalar(text).typeId() != QMetaType::QString;
}

QString formatDouble(double value)
{
    if (std::isnan(value))
        return QStringLiteral(".nan");
    if (std::isinf(value))
        return value > 0 ? QStringLiteral(".inf") : QStringLiteral("-.inf");
    QString text = QString::number(value, 'g', QLocale::FloatingPointShortest);
    if (!text.contains(QLatin1Char('.')) && !text.contains(QLatin1Char('e')))
        text += QStringLiteral(".0");
    return text;
}

} // namespace syncline::engine::yamlscalar
