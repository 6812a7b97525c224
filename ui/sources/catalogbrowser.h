#pragma once

#include "ui/sources/catalog.h"

#include <QWidget>

class QLabel;
class QLineEdit;
class QTreeWidget;

namespace syncline::ui {

// The table browser: schemas > tables > columns from a source's catalog, loaded in the
// background. Activating a table asks for a "select *" model of it.
class CatalogBrowser : public QWidget
{
    Q_OBJECT
public:
    explicit CatalogBrowser(QWidget *parent = nullptr);

    void load(ConnectionOpener opener);
    void clear(const QString &message);
    QTreeWidget *tree() const { return m_tree; }

signals:
    void catalogLoaded(const syncline::ui::Catalog &catalog);
    void tableActivated(const QString &schema, const QString &table);

private:
    void showCatalog(const Catalog &catalog);
    void filter(const QString &text);

    CatalogLoader *m_loader = nullptr;
    QLineEdit *m_filter = nullptr;
    QTreeWidget *m_tree = nullptr;
    QLabel *m_status = nullptr;
};

} // namespace syncline::ui
