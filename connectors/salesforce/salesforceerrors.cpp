#include "connectors/salesforce/salesforceerrors.h"

#include <QJsonDocument>
#include <QJsonObject>
#include <QRegularExpression>

namespace syncline::connectors::salesforce {

QString ApiError::text() const
{
    QString out = code.isEmpty() ? message : code + QStringLiteral(": ") + message;
    if (!fields.isEmpty())
        out += QStringLiteral(" (%1)").arg(fields.join(QStringLiteral(", ")));
    return out;
}

QList<ApiError> recordErrors(const QJsonArray &errors)
{
    QList<ApiError> out;
    for (const QJsonValue &value : errors) {
        const QJsonObject error = value.toObject();
        ApiError parsed;
        parsed.code = error.value(QStringLiteral("statusCode")).toString();
        if (parsed.code.isEmpty())
            parsed.code = error.value(QStringLiteral("errorCode")).toString();
        parsed.message = error.value(QStringLiteral("message")).toString();
        for (const QJsonValue &field : error.value(QStringLiteral("fields")).toArray())
            parsed.fields << field.toString();
        out << parsed;
    }
    return out;
}

QList<ApiError> apiErrors(const http::HttpResponse &response)
{
    const QJsonDocument document = QJsonDocument::fromJson(response.body);
    QList<ApiError> out;
    if (document.isArray())
        out = recordErrors(document.array());
    else if (document.isObject())
        out = recordErrors(QJsonArray { document.object() });
    if (out.isEmpty() || (out.size() == 1 && out.front().code.isEmpty() && out.front().message.isEmpty()))
        out = { ApiError { QString(), QStringLiteral("HTTP %1 %2").arg(response.status).arg(
                                          QString::fromUtf8(response.body.left(200)).simplified()),
            {} } };
    return out;
}

ApiError bulkError(const QString &sfError)
{
    // "REQUIRED_FIELD_MISSING:Required fields are missing: [LastName]:LastName --"
    ApiError error;
    QString text = sfError.trimmed();
    if (text.endsWith(QLatin1String("--")))
        text = text.left(text.size() - 2).trimmed();
    static const QRegularExpression code(QStringLiteral("^([A-Z_]+):(.*)$"), QRegularExpression::DotMatchesEverythingOption);
    const auto match = code.match(text);
    if (!match.hasMatch()) {
        error.message = text;
        return error;
    }
    error.code = match.captured(1);
    QString rest = match.captured(2);
    const qsizetype lastColon = rest.lastIndexOf(QLatin1Char(':'));
    if (lastColon > 0 && !rest.mid(lastColon + 1).contains(QLatin1Char(' '))) {
        for (const QString &field : rest.mid(lastColon + 1).split(QLatin1Char(','), Qt::SkipEmptyParts))
            error.fields << field.trimmed();
        rest = rest.left(lastColon);
    }
    error.message = rest.trimmed();
    return error;
}

QString describe(const QList<ApiError> &errors)
{
    QStringList parts;
    for (const ApiError &error : errors)
        parts << error.text();
    return parts.join(QStringLiteral("; "));
}

bool retryableRecordError(const QList<ApiError> &errors)
{
    static const QStringList transient = { QStringLiteral("UNABLE_TO_LOCK_ROW"),
        QStringLiteral("REQUEST_LIMIT_EXCEEDED"), QStringLiteral("SERVER_UNAVAILABLE"),
        QStringLiteral("REQUEST_RUNNING_TOO_LONG"), QStringLiteral("ALL_OR_NONE_OPERATION_ROLLED_BACK") };
    if (errors.isEmpty())
        return true;
    for (const ApiError &error : errors)
        if (!transient.contains(error.code))
            return false;
    return true;
}

bool requestLimitExceeded(const http::HttpResponse &response, bool *daily)
{
    if (!response.answered() || (response.status != 403 && response.status != 429 && response.status != 503))
        return false;
    for (const ApiError &error : apiErrors(response))
        if (error.code == QLatin1String("REQUEST_LIMIT_EXCEEDED")) {
            if (daily) {
                const auto usage = parseLimitInfo(response.header("Sforce-Limit-Info"));
                *daily = error.message.contains(QLatin1String("TotalRequests"), Qt::CaseInsensitive)
                    || (usage && usage->limit > 0 && usage->used >= usage->limit);
            }
            return true;
        }
    return false;
}

std::optional<ApiUsage> parseLimitInfo(const QByteArray &header)
{
    for (const QByteArray &part : header.split(',')) {
        const QByteArray item = part.trimmed();
        if (!item.startsWith("api-usage="))
            continue;
        const QList<QByteArray> numbers = item.mid(int(qstrlen("api-usage="))).split('/');
        if (numbers.size() != 2)
            return std::nullopt;
        bool usedOk = false;
        bool limitOk = false;
        ApiUsage usage { numbers[0].trimmed().toLongLong(&usedOk), numbers[1].trimmed().toLongLong(&limitOk) };
        if (!usedOk || !limitOk || usage.limit <= 0 || usage.used < 0)
            return std::nullopt;
        return usage;
    }
    return std::nullopt;
}

} // namespace syncline::connectors::salesforce
