#include "connectors/http/responsepath.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QRegularExpression>

namespace syncline::connectors::http {

namespace {

QJsonValue follow(QJsonValue value, const QStringList &names)
{
    for (const QString &name : names) {
        if (!value.isObject())
            return QJsonValue(QJsonValue::Undefined);
        value = value.toObject().value(name);
    }
    return value;
}

bool splitNames(const QString &text, QStringList &names)
{
    static const QRegularExpression name(QStringLiteral("^[A-Za-z0-9_$@-]+$"));
    names.clear();
    if (text.isEmpty())
        return true;
    for (const QString &part : text.split(QLatin1Char('.'))) {
        if (!name.match(part).hasMatch())
            return false;
        names << part;
    }
    return true;
}

} // namespace

std::optional<ResponsePath> ResponsePath::parse(const QString &text, QString *error)
{
    static const QRegularExpression shape(
        QStringLiteral("^([^\\[\\]]*)(?:\\[(#[A-Za-z0-9_]+)?\\])?(?:\\.?([^\\[\\]]*))?$"));
    ResponsePath path;
    path.m_text = text.trimmed();
    const auto match = shape.match(path.m_text);
    QString prefix = match.captured(1);
    if (prefix.endsWith(QLatin1Char('.')))
        prefix.chop(1);
    const bool hasArray = path.m_text.contains(QLatin1Char('['));
    if (path.m_text.isEmpty() || !match.hasMatch() || !splitNames(prefix, path.m_prefix)
        || !splitNames(match.captured(3), path.m_suffix)) {
        if (error)
            *error = QStringLiteral(
                "'%1' is not a response path; write e.g. results[].error, errors[#index].message or id")
                         .arg(text);
        return std::nullopt;
    }
    if (!hasArray) {
        path.m_mode = Mode::Whole;
    } else if (match.captured(2).isEmpty()) {
        path.m_mode = Mode::Aligned;
    } else {
        path.m_mode = Mode::Indexed;
        path.m_indexMember = match.captured(2).mid(1);
    }
    return path;
}

std::vector<QJsonValue> ResponsePath::valuesPerRecord(const QJsonValue &root, int count) const
{
    std::vector<QJsonValue> values(size_t(std::max(0, count)), QJsonValue(QJsonValue::Undefined));
    const QJsonValue base = follow(root, m_prefix);
    switch (m_mode) {
    case Mode::Whole: {
        const QJsonValue value = follow(base, m_suffix);
        std::fill(values.begin(), values.end(), value);
        break;
    }
    case Mode::Aligned: {
        const QJsonArray array = base.toArray();
        for (int i = 0; i < count && i < array.size(); ++i)
            values[size_t(i)] = follow(array.at(i), m_suffix);
        break;
    }
    case Mode::Indexed:
        for (const QJsonValue &element : base.toArray()) {
            const QJsonValue index = element.toObject().value(m_indexMember);
            const int i = index.isString() ? index.toString().toInt() : index.toInt(-1);
            if (i < 0 || i >= count)
                continue;
            const QJsonValue value = m_suffix.isEmpty() ? element : follow(element, m_suffix);
            // Several errors for one record: keep them all, as one message.
            const QString previous = errorText(values[size_t(i)]);
            const QString current = errorText(value);
            values[size_t(i)] = previous.isEmpty() ? value : QJsonValue(previous + QStringLiteral("; ") + current);
        }
        break;
    }
    return values;
}

QString errorText(const QJsonValue &value)
{
    switch (value.type()) {
    case QJsonValue::Null:
    case QJsonValue::Undefined:
        return {};
    case QJsonValue::Bool:
        return value.toBool() ? QStringLiteral("rejected by the API") : QString();
    case QJsonValue::Double:
        return QString::number(value.toDouble());
    case QJsonValue::String:
        return value.toString().trimmed();
    case QJsonValue::Array:
        if (value.toArray().isEmpty())
            return {};
        return QString::fromUtf8(QJsonDocument(value.toArray()).toJson(QJsonDocument::Compact));
    case QJsonValue::Object: {
        const QJsonObject object = value.toObject();
        if (object.isEmpty())
            return {};
        for (const char *key : { "message", "error", "detail", "description" }) {
            const QString text = errorText(object.value(QLatin1String(key)));
            if (!text.isEmpty())
                return text;
        }
        return QString::fromUtf8(QJsonDocument(object).toJson(QJsonDocument::Compact));
    }
    }
    return {};
}

QString idText(const QJsonValue &value)
{
    if (value.isString())
        return value.toString();
    if (value.isDouble())
        return QString::number(value.toDouble(), 'f', 0);
    return {};
}

} // namespace syncline::connectors::http

namespace syncline::connectors::http {

QString responseMessage(const QByteArray &body)
{
    QJsonParseError parseError;
    const QJsonDocument document = QJsonDocument::fromJson(body, &parseError);
    if (parseError.error == QJsonParseError::NoError) {
        if (document.isObject()) {
            const QJsonObject object = document.object();
            for (const char *key : { "message", "error", "error_description", "detail", "title", "description" }) {
                const QString text = errorText(object.value(QLatin1String(key)));
                if (!text.isEmpty())
                    return text.left(500);
            }
            const QJsonArray errors = object.value(QStringLiteral("errors")).toArray();
            if (!errors.isEmpty())
                return errorText(errors.first()).left(500);
        }
    }
    QString text = QString::fromUtf8(body.left(300)).simplified();
    if (body.size() > 300)
        text += QStringLiteral("...");
    return text;
}

} // namespace syncline::connectors::http
