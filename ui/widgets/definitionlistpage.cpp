#include "ui/widgets/definitionlistpage.h"

#include "ui/services/workspaceservice.h"

#include <QHBoxLayout>
#include <QHeaderView>
#include <QLabel>
#include <QPushButton>
#include <QTreeWidget>
#include <QVBoxLayout>

namespace syncline::ui {

using engine::Result;

DefinitionListPage::DefinitionListPage(WorkspaceService *workspace, const QString &title, const QString &explanation,
                                       const QStringList &headers, const QString &emptyText, Loader loader,
                                       QWidget *parent)
    : QWidget(parent)
    , m_workspace(workspace)
    , m_loader(std::move(loader))
    , m_emptyText(emptyText)
    , m_list(new QTreeWidget(this))
    , m_empty(new QLabel(this))
{
    auto *heading = new QLabel(QStringLiteral("<h2>") + title.toHtmlEscaped() + QStringLiteral("</h2>"), this);
    auto *text = new QLabel(explanation, this);
    text->setWordWrap(true);
    m_list->setHeaderLabels(headers);
    m_list->setRootIsDecorated(false);
    m_empty->setWordWrap(true);
    m_empty->setForegroundRole(QPalette::PlaceholderText);
    auto *layout = new QVBoxLayout(this);
    layout->addWidget(heading);
    layout->addWidget(text);
    layout->addWidget(m_empty);
    layout->addWidget(m_list, 1);
    m_actions = new QHBoxLayout;
    m_actions->addStretch(1);
    layout->addLayout(m_actions);
    connect(m_workspace, &WorkspaceService::definitionsChanged, this, &DefinitionListPage::reload);
    connect(m_workspace, &WorkspaceService::opened, this, &DefinitionListPage::reload);
}

QPushButton *DefinitionListPage::addRowAction(const QString &label, std::function<void(const QString &)> action)
{
    auto *button = new QPushButton(label, this);
    button->setEnabled(false);
    m_actions->addWidget(button);
    connect(m_list, &QTreeWidget::itemSelectionChanged, button,
            [this, button] { button->setEnabled(m_list->currentItem() && m_list->currentItem()->isSelected()); });
    connect(button, &QPushButton::clicked, this, [this, action] {
        if (QTreeWidgetItem *item = m_list->currentItem())
            action(item->text(0));
    });
    connect(m_list, &QTreeWidget::itemDoubleClicked, this, [action](QTreeWidgetItem *item) { action(item->text(0)); });
    return button;
}

void DefinitionListPage::reload()
{
    m_workspace->call<Result<Rows>>(this, m_loader, [this](Result<Rows> rows) {
        m_list->clear();
        if (!rows) {
            m_empty->setText(rows.error().message);
            m_empty->show();
            return;
        }
        for (const QStringList &row : *rows)
            new QTreeWidgetItem(m_list, row);
        for (int c = 0; c < m_list->columnCount(); ++c)
            m_list->resizeColumnToContents(c);
        m_empty->setText(m_emptyText);
        m_empty->setVisible(rows->empty());
        m_list->setVisible(!rows->empty());
    });
}

} // namespace syncline::ui
