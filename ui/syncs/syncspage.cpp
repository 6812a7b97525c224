#include "ui/syncs/syncspage.h"

#include "engine/state/definitionstore.h"
#include "ui/services/workspaceservice.h"
#include "ui/syncs/synceditor.h"

#include <QHBoxLayout>
#include <QHeaderView>
#include <QLabel>
#include <QMessageBox>
#include <QPushButton>
#include <QSplitter>
#include <QTreeWidget>
#include <QVBoxLayout>

namespace syncline::ui {

using engine::Result;
using engine::SyncDef;
using engine::state::DefinitionStore;
using engine::state::Workspace;

SyncsPage::SyncsPage(WorkspaceService *workspace, ConnectorAccess access, SchedulerServices scheduler, QWidget *parent)
    : QWidget(parent)
    , m_workspace(workspace)
    , m_list(new QTreeWidget(this))
    , m_editor(new SyncEditor(workspace, std::move(access), std::move(scheduler), this))
    , m_message(new QLabel(this))
    , m_remove(new QPushButton(tr("Remove"), this))
{
    auto *title = new QLabel(tr("<h2>Syncs</h2>"), this);
    auto *intro = new QLabel(tr("A sync sends a model to a destination object: which rows, matched by which key, "
                                "mapped onto which fields, and when."), this);
    intro->setWordWrap(true);
    m_list->setHeaderLabels({tr("Name"), tr("Destination")});
    m_list->setRootIsDecorated(false);
    m_message->setWordWrap(true);
    m_message->hide();
    auto *add = new QPushButton(tr("New sync"), this);
    auto *buttons = new QHBoxLayout;
    buttons->addWidget(add);
    buttons->addWidget(m_remove);
    buttons->addStretch();
    auto *left = new QWidget(this);
    auto *leftLayout = new QVBoxLayout(left);
    leftLayout->setContentsMargins(0, 0, 0, 0);
    leftLayout->addLayout(buttons);
    leftLayout->addWidget(m_message);
    leftLayout->addWidget(m_list, 1);
    auto *splitter = new QSplitter(this);
    splitter->addWidget(left);
    splitter->addWidget(m_editor);
    splitter->setStretchFactor(1, 4);
    splitter->setSizes({190, 900}); // the mapper needs the width
    auto *layout = new QVBoxLayout(this);
    layout->addWidget(title);
    layout->addWidget(intro);
    layout->addWidget(splitter, 1);

    m_remove->setEnabled(false);
    connect(add, &QPushButton::clicked, this, &SyncsPage::newSync);
    connect(m_remove, &QPushButton::clicked, this, &SyncsPage::remove);
    connect(m_list, &QTreeWidget::currentItemChanged, this, [this](QTreeWidgetItem *item) {
        m_remove->setEnabled(item);
        if (item && item->text(0) != m_editor->savedName())
            m_editor->openSync(item->text(0));
    });
    connect(m_workspace, &WorkspaceService::definitionsChanged, this, &SyncsPage::reload);
    connect(m_workspace, &WorkspaceService::opened, this, [this] {
        reload();
        m_editor->newSync();
    });
}

void SyncsPage::reload()
{
    m_workspace->call<Result<std::vector<SyncDef>>>(
        this, [](Workspace &workspace) { return DefinitionStore(workspace).syncs(); },
        [this](Result<std::vector<SyncDef>> syncs) {
            if (!syncs) {
                m_message->setText(syncs.error().message);
                m_message->show();
                return;
            }
            const QSignalBlocker block(m_list);
            m_list->clear();
            for (const SyncDef &sync : *syncs) {
                auto *item = new QTreeWidgetItem(m_list, {sync.name, sync.destination + QStringLiteral(" / ") + sync.object});
                item->setToolTip(0, sync.schedule.isEmpty() ? tr("Runs when started by hand") : tr("Runs %1").arg(sync.schedule));
                if (sync.name == m_editor->savedName())
                    m_list->setCurrentItem(item);
            }
            m_list->resizeColumnToContents(0);
            m_remove->setEnabled(m_list->currentItem());
        });
}

void SyncsPage::newSync()
{
    const QSignalBlocker block(m_list);
    m_list->setCurrentItem(nullptr);
    m_list->clearSelection();
    m_editor->newSync();
}

void SyncsPage::openSync(const QString &name)
{
    const auto items = m_list->findItems(name, Qt::MatchExactly);
    if (!items.isEmpty())
        m_list->setCurrentItem(items.front()); // opens it
    else
        m_editor->openSync(name);
}

void SyncsPage::remove()
{
    QTreeWidgetItem *item = m_list->currentItem();
    if (!item)
        return;
    const QString name = item->text(0);
    if (QMessageBox::question(this, tr("Remove sync"),
                              tr("Remove the sync \"%1\"? Its run history and what it delivered are forgotten; the "
                                 "records in the destination stay.").arg(name)) != QMessageBox::Yes)
        return;
    m_workspace->call<Result<void>>(
        this, [name](Workspace &workspace) { return DefinitionStore(workspace).removeSync(name); },
        [this](Result<void> result) {
            if (!result) {
                m_message->setText(result.error().message);
                m_message->show();
                return;
            }
            m_message->hide();
            m_workspace->notifyChanged();
            newSync();
        });
}

QString SyncsPage::message() const
{
    return m_message->isVisible() ? m_message->text() : QString();
}

} // namespace syncline::ui
