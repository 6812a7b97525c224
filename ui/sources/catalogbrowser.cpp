#include "ui/sources/catalogbrowser.h"

#include "ui/widgets/errortext.h"

#include <QHeaderView>
#include <QLabel>
#include <QLineEdit>
#include <QStyle>
#include <QTreeWidget>
#include <QVBoxLayout>

namespace syncline::ui {

namespace {
constexpr int kSchemaRole = Qt::UserRole + 1;
constexpr int kTableRole = Qt::UserRole + 2;
} // namespace

CatalogBrowser::CatalogBrowser(QWidget *parent)
    : QWidget(parent)
    , m_loader(new CatalogLoader(this))
    , m_filter(new QLineEdit(this))
    , m_tree(new QTreeWidget(this))
    , m_status(new QLabel(this))
{
    m_filter->setPlaceholderText(tr("Filter tables"));
    m_filter->setClearButtonEnabled(true);
    m_tree->setHeaderHidden(true);
    m_tree->setToolTip(tr("Double-click a table to make a model of it"));
    m_status->setWordWrap(true);
    m_status->setForegroundRole(QPalette::PlaceholderText);
    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->addWidget(new QLabel(tr("<b>Tables</b>"), this));
    layout->addWidget(m_filter);
    layout->addWidget(m_tree, 1);
    layout->addWidget(m_status);

    connect(m_loader, &CatalogLoader::loaded, this, [this](const Catalog &catalog) {
        showCatalog(catalog);
        emit catalogLoaded(catalog);
    });
    connect(m_loader, &CatalogLoader::failed, this, [this](const engine::Error &error) {
        clear(ErrorText::forConnection(error).html());
    });
    connect(m_filter, &QLineEdit::textChanged, this, &CatalogBrowser::filter);
    connect(m_tree, &QTreeWidget::itemActivated, this, [this](QTreeWidgetItem *item) {
        const QString table = item->data(0, kTableRole).toString();
        if (!table.isEmpty())
            emit tableActivated(item->data(0, kSchemaRole).toString(), table);
    });
}

void CatalogBrowser::load(ConnectionOpener opener)
{
    m_tree->clear();
    m_status->setText(tr("Reading tables…"));
    m_status->show();
    m_loader->load(std::move(opener));
}

void CatalogBrowser::clear(const QString &message)
{
    m_tree->clear();
    m_status->setText(message);
    m_status->setVisible(!message.isEmpty());
}

void CatalogBrowser::showCatalog(const Catalog &catalog)
{
    m_tree->clear();
    const QIcon folder = style()->standardIcon(QStyle::SP_DirIcon);
    const QIcon tableIcon = style()->standardIcon(QStyle::SP_FileIcon);
    QHash<QString, QTreeWidgetItem *> schemas;
    for (const Catalog::Table &table : catalog.tables) {
        QTreeWidgetItem *parent = nullptr;
        if (!table.schema.isEmpty()) {
            parent = schemas.value(table.schema);
            if (!parent) {
                parent = new QTreeWidgetItem(m_tree, {table.schema});
                parent->setIcon(0, folder);
                schemas.insert(table.schema, parent);
            }
        }
        auto *item = parent ? new QTreeWidgetItem(parent, {table.name}) : new QTreeWidgetItem(m_tree, {table.name});
        item->setIcon(0, tableIcon);
        item->setData(0, kSchemaRole, table.schema);
        item->setData(0, kTableRole, table.name);
        item->setToolTip(0, tr("%1 %2: double-click to make a model").arg(table.type.toLower(), table.name));
        for (const auto &column : table.columns) {
            auto *child = new QTreeWidgetItem(item, {column.name + QStringLiteral("  ") + column.typeName});
            child->setForeground(0, palette().brush(QPalette::PlaceholderText));
        }
    }
    if (schemas.size() <= 3)
        m_tree->expandToDepth(0);
    for (int i = 0; i < m_tree->topLevelItemCount(); ++i)
        if (m_tree->topLevelItem(i)->data(0, kTableRole).isValid())
            m_tree->topLevelItem(i)->setExpanded(false);
    m_status->setVisible(catalog.tables.empty());
    m_status->setText(tr("This source has no tables."));
    filter(m_filter->text());
}

void CatalogBrowser::filter(const QString &text)
{
    const auto matches = [&](QTreeWidgetItem *item) { return text.isEmpty() || item->text(0).contains(text, Qt::CaseInsensitive); };
    for (int i = 0; i < m_tree->topLevelItemCount(); ++i) {
        QTreeWidgetItem *top = m_tree->topLevelItem(i);
        if (top->data(0, kTableRole).isValid()) {
            top->setHidden(!matches(top));
            continue;
        }
        bool any = false;
        for (int j = 0; j < top->childCount(); ++j) {
            const bool match = matches(top->child(j)) || matches(top);
            top->child(j)->setHidden(!match);
            any = any || match;
        }
        top->setHidden(!any);
    }
}

} // namespace syncline::ui
