#pragma once

#include "engine/core/error.h"
#include "engine/state/workspace.h"

#include <QStringList>
#include <QWidget>

#include <functional>
#include <vector>

class QHBoxLayout;
class QLabel;
class QPushButton;
class QTreeWidget;

namespace syncline::ui {

class WorkspaceService;

// A read-only list of what the workspace holds of one kind (destinations, syncs): a title, a
// plain sentence of what the page does today, and one row per definition.
class DefinitionListPage : public QWidget
{
    Q_OBJECT
public:
    using Rows = std::vector<QStringList>;
    using Loader = std::function<engine::Result<Rows>(engine::state::Workspace &)>;

    DefinitionListPage(WorkspaceService *workspace, const QString &title, const QString &explanation,
                       const QStringList &headers, const QString &emptyText, Loader loader, QWidget *parent = nullptr);
    void reload();
    QTreeWidget *list() const { return m_list; }
    // A button under the list, enabled while a row is selected; `action` gets the row's first column.
    QPushButton *addRowAction(const QString &label, std::function<void(const QString &)> action);

private:
    WorkspaceService *m_workspace;
    Loader m_loader;
    QString m_emptyText;
    QTreeWidget *m_list = nullptr;
    QLabel *m_empty = nullptr;
    QHBoxLayout *m_actions = nullptr;
};

} // namespace syncline::ui
