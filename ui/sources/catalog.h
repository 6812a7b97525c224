#pragma once

#include "engine/core/error.h"
#include "engine/warehouse/column.h"
#include "ui/sources/sourceconnection.h"

#include <QObject>
#include <QString>

#include <memory>
#include <vector>

namespace syncline::ui {

// A warehouse's schemas, tables and columns, as a value for the table browser and completion.
struct Catalog
{
    struct Table
    {
        QString schema;
        QString name;
        QString type;
        std::vector<engine::warehouse::Column> columns;
    };
    std::vector<QString> schemas; // may hold one empty name for schema-less databases (SQLite)
    std::vector<Table> tables;

    // "select * from schema.table", quoting names that are not plain identifiers.
    static QString selectAllSql(const QString &schema, const QString &table);
};

// Reads a catalog on a pool thread; columns are read for the first kMaxColumnTables tables.
class CatalogLoader : public QObject
{
    Q_OBJECT
public:
    static constexpr int kMaxColumnTables = 500;
    explicit CatalogLoader(QObject *parent = nullptr);
    ~CatalogLoader() override;
    void load(ConnectionOpener opener);

signals:
    void loaded(const syncline::ui::Catalog &catalog);
    void failed(const syncline::engine::Error &error);

private:
    struct Shared;
    std::shared_ptr<Shared> m_shared;
};

} // namespace syncline::ui
