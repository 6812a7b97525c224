#include "ui/sources/catalog.h"

#include "ui/services/backgroundpool.h"

#include <QRegularExpression>

#include <mutex>

namespace syncline::ui {

using engine::Error;

QString Catalog::selectAllSql(const QString &schema, const QString &table)
{
    static const QRegularExpression plain(QStringLiteral("^[A-Za-z_][A-Za-z0-9_]*$"));
    const auto quoted = [](const QString &name) -> QString {
        if (plain.match(name).hasMatch())
            return name;
        QString escaped = name;
        escaped.replace(QLatin1Char('"'), QStringLiteral("\"\""));
        return QLatin1Char('"') + escaped + QLatin1Char('"');
    };
    const QString target = schema.isEmpty() ? quoted(table) : quoted(schema) + QLatin1Char('.') + quoted(table);
    return QStringLiteral("select * from ") + target;
}

struct CatalogLoader::Shared
{
    std::mutex mutex;
    CatalogLoader *owner = nullptr;
    std::atomic_bool stop{false};
};

CatalogLoader::CatalogLoader(QObject *parent)
    : QObject(parent)
{
}

CatalogLoader::~CatalogLoader()
{
    if (m_shared) {
        std::lock_guard lock(m_shared->mutex);
        m_shared->owner = nullptr;
        m_shared->stop = true;
    }
}

void CatalogLoader::load(ConnectionOpener opener)
{
    if (m_shared) {
        std::lock_guard lock(m_shared->mutex);
        m_shared->owner = nullptr; // an older load's answer is dropped
        m_shared->stop = true;
    }
    m_shared = std::make_shared<Shared>();
    m_shared->owner = this;
    backgroundPool().start([shared = m_shared, opener = std::move(opener)] {
        const auto post = [&](auto emitter) {
            std::lock_guard lock(shared->mutex);
            if (shared->owner)
                QMetaObject::invokeMethod(shared->owner, [owner = shared->owner, emitter] { emitter(owner); },
                                          Qt::QueuedConnection);
        };
        const auto failWith = [&](const Error &error) {
            post([error](CatalogLoader *l) { emit l->failed(error); });
        };
        auto connection = opener();
        if (!connection)
            return failWith(connection.error());
        Catalog catalog;
        auto schemas = (*connection)->schemas();
        if (!schemas)
            return failWith(schemas.error());
        catalog.schemas = *schemas;
        if (catalog.schemas.empty())
            catalog.schemas.push_back(QString());
        static const QStringList hidden{QStringLiteral("information_schema"), QStringLiteral("pg_catalog"),
                                        QStringLiteral("pg_toast"), QStringLiteral("sys"),
                                        QStringLiteral("performance_schema"), QStringLiteral("mysql")};
        std::erase_if(catalog.schemas, [](const QString &s) { return hidden.contains(s, Qt::CaseInsensitive); });
        for (const QString &schema : catalog.schemas) {
            if (shared->stop)
                return;
            auto tables = (*connection)->tables(schema);
            if (!tables)
                return failWith(tables.error());
            for (const auto &table : *tables)
                catalog.tables.push_back({schema.isEmpty() ? table.schema : schema, table.name, table.type, {}});
        }
        int withColumns = 0;
        for (auto &table : catalog.tables) {
            if (shared->stop || ++withColumns > kMaxColumnTables)
                break;
            if (auto columns = (*connection)->columns(table.schema, table.name))
                table.columns = *columns;
        }
        post([catalog = std::move(catalog)](CatalogLoader *l) { emit l->loaded(catalog); });
    });
}

} // namespace syncline::ui
