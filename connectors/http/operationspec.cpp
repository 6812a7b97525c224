#include "connectors/http/operationspec.h"

#include <QSet>

namespace syncline::connectors::http {

using engine::Result;
using engine::connector::Operation;

namespace {

const std::vector<std::pair<Operation, const char *>> kOperations
    = { { Operation::Upsert, "upsert" }, { Operation::Insert, "insert" }, { Operation::Update, "update" },
          { Operation::Delete, "delete" }, { Operation::Clear, "clear" } };

class SpecReader
{
public:
    SpecReader(const QString &destination, const QString &operation)
        : m_destination(destination)
        , m_operation(operation)
    { }

    std::unexpected<engine::Error> invalid(const QString &key, const QString &problem) const
    {
        return engine::fail(QStringLiteral("http.settings"),
            QStringLiteral("Destination '%1': setting 'operations.%2.%3' %4")
                .arg(m_destination, m_operation, key, problem));
    }

    Result<OperationSpec> read(const QVariantMap &entry, OperationSpec spec) const
    {
        static const QSet<QString> known
            = { QStringLiteral("method"), QStringLiteral("path"), QStringLiteral("headers"), QStringLiteral("body"),
                  QStringLiteral("success"), QStringLiteral("errors_path"), QStringLiteral("id_path") };
        for (auto it = entry.cbegin(); it != entry.cend(); ++it) {
            if (!known.contains(it.key()))
                return invalid(it.key(),
                    QStringLiteral("is not known; use method, path, headers, body, success, errors_path or id_path"));
        }
        QString problem;
        if (entry.contains(QStringLiteral("method"))) {
            const QString method = entry.value(QStringLiteral("method")).toString().trimmed().toUpper();
            static const QSet<QString> methods = { QStringLiteral("GET"), QStringLiteral("POST"), QStringLiteral("PUT"),
                QStringLiteral("PATCH"), QStringLiteral("DELETE") };
            if (!methods.contains(method))
                return invalid(QStringLiteral("method"),
                    QStringLiteral("is '%1'; use POST, PUT, PATCH, DELETE or GET").arg(method));
            spec.method = method.toLatin1();
        }
        if (entry.contains(QStringLiteral("path"))) {
            const QString path = entry.value(QStringLiteral("path")).toString().trimmed();
            spec.path = RequestTemplate::parse(path, RequestTemplate::Escape::Url, &problem);
            if (!spec.path)
                return invalid(QStringLiteral("path"), QStringLiteral("is not a valid template: %1").arg(problem));
            spec.defaultDeletePath = false;
        }
        if (entry.contains(QStringLiteral("headers"))) {
            const QVariant headers = entry.value(QStringLiteral("headers"));
            if (headers.typeId() != QMetaType::QVariantMap)
                return invalid(
                    QStringLiteral("headers"), QStringLiteral("must be a map, e.g. headers: { X-Mode: bulk }"));
            const QVariantMap map = headers.toMap();
            for (auto it = map.cbegin(); it != map.cend(); ++it)
                spec.headers.insert(it.key(), it.value().toString());
        }
        if (entry.contains(QStringLiteral("body"))) {
            const QString body = entry.value(QStringLiteral("body")).toString();
            spec.body = RequestTemplate::parse(body, RequestTemplate::Escape::Json, &problem);
            if (!spec.body)
                return invalid(QStringLiteral("body"), QStringLiteral("is not a valid template: %1").arg(problem));
            spec.sendsBody = true;
        }
        if (entry.contains(QStringLiteral("success"))) {
            QVariantList codes = entry.value(QStringLiteral("success")).toList();
            if (codes.isEmpty()) // "200, 201" or a single number
                for (const QString &code :
                    entry.value(QStringLiteral("success")).toString().split(QLatin1Char(','), Qt::SkipEmptyParts))
                    codes << code.trimmed();
            for (const QVariant &code : codes) {
                bool ok = false;
                const int status = code.toString().trimmed().toInt(&ok);
                if (!ok || status < 100 || status > 599)
                    return invalid(
                        QStringLiteral("success"), QStringLiteral("must list HTTP status codes, e.g. [200, 201, 207]"));
                spec.success.push_back(status);
            }
        }
        for (const char *key : { "errors_path", "id_path" }) {
            if (!entry.contains(QLatin1String(key)))
                continue;
            auto path = ResponsePath::parse(entry.value(QLatin1String(key)).toString(), &problem);
            if (!path)
                return invalid(QLatin1String(key), problem);
            (QLatin1String(key) == QLatin1String("errors_path") ? spec.errorsPath : spec.idPath) = std::move(path);
        }
        return spec;
    }

private:
    QString m_destination;
    QString m_operation;
};

} // namespace

bool OperationSpec::perRecord() const
{
    return defaultDeletePath || (path && path->hasTags()) || (body && !body->iteratesRecords());
}

bool OperationSpec::isSuccess(int status, Operation operation) const
{
    if (!success.empty())
        return std::find(success.begin(), success.end(), status) != success.end();
    if (operation == Operation::Delete && (status == 404 || status == 410))
        return true;
    return status >= 200 && status < 300;
}

Result<OperationSpecs> parseOperations(const QString &destination, const QVariant &operations)
{
    QVariantMap entries;
    if (operations.isValid() && !operations.isNull()) {
        if (operations.typeId() != QMetaType::QVariantMap)
            return engine::fail(QStringLiteral("http.settings"),
                QStringLiteral("Destination '%1': setting 'operations' must be a map keyed by upsert, insert, update, "
                               "delete or clear")
                    .arg(destination));
        entries = operations.toMap();
    }
    for (auto it = entries.cbegin(); it != entries.cend(); ++it) {
        const bool known = std::any_of(kOperations.begin(), kOperations.end(),
            [&](const auto &op) { return it.key() == QLatin1String(op.second); });
        if (!known)
            return engine::fail(QStringLiteral("http.settings"),
                QStringLiteral("Destination '%1': setting 'operations.%2' is not an operation; use upsert, insert, "
                               "update, delete or clear")
                    .arg(destination, it.key()));
        if (it.value().typeId() != QMetaType::QVariantMap)
            return engine::fail(QStringLiteral("http.settings"),
                QStringLiteral("Destination '%1': setting 'operations.%2' must be a map (method, path, headers, body, "
                               "success, errors_path, id_path)")
                    .arg(destination, it.key()));
    }

    OperationSpecs specs;
    auto shared = std::make_shared<const OperationSpec>();
    for (const auto &[operation, name] : kOperations) {
        OperationSpec base;
        if (operation == Operation::Delete) {
            base.method = "DELETE";
            base.defaultDeletePath = true;
            base.sendsBody = false;
        }
        const QString key = QLatin1String(name);
        if (!entries.contains(key)) {
            specs[operation] = operation == Operation::Delete ? std::make_shared<const OperationSpec>(base) : shared;
            continue;
        }
        auto spec = SpecReader(destination, key).read(entries.value(key).toMap(), base);
        if (!spec)
            return std::unexpected(spec.error());
        specs[operation] = std::make_shared<const OperationSpec>(std::move(*spec));
    }
    return specs;
}

} // namespace syncline::connectors::http
