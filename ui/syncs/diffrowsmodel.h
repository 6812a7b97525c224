#pragma once

#include "engine/state/planstore.h"

#include <QAbstractTableModel>
#include <QStringList>
#include <QVector>

#include <vector>

namespace syncline::ui {

class WorkspaceService;

// One row of the diff preview, decoded from the plan's payloads off the GUI thread.
struct DiffRowView
{
    QString key;
    QStringList values;       // per field: the value sent (the removed value for a removed row)
    QStringList before;       // per field, changed rows only: the destination's last accepted value
    QVector<bool> changed;    // per field, changed rows only
};

// The lazy table of one kind of a frozen plan (added, changed, removed, unchanged): the view's
// fetchMore() asks the workspace thread for the next page (PlanRowReader), so a million-row
// plan shows its first rows at once and never loads whole. Column 0 is the key, then one column
// per field; changed rows show "before → after" in the fields that differ, highlighted.
// Pages of an outdated plan or search are dropped (a generation counter).
class DiffRowsModel : public QAbstractTableModel
{
    Q_OBJECT
public:
    static constexpr int kPageRows = 200;

    DiffRowsModel(WorkspaceService *workspace, engine::state::DiffOp op, QObject *parent = nullptr);

    engine::state::DiffOp op() const { return m_op; }
    // Shows plan `planId`'s rows of this kind; `fields` are the payload fields, in column order.
    void setPlan(qint64 planId, const QStringList &fields);
    void clear();
    // Only keys containing `text` (empty: all); starts again from the first row.
    void setKeyFilter(const QString &text);
    QString keyFilter() const { return m_filter; }

    bool isLoading() const { return m_loading; }
    bool isComplete() const { return m_complete; }
    const DiffRowView &rowAt(int row) const { return m_rows[size_t(row)]; }
    // The field shown in `column` differs between before and after (changed rows).
    bool isChangedCell(int row, int column) const;
    static QString changedText(const QString &before, const QString &after);

    int rowCount(const QModelIndex &parent = {}) const override;
    int columnCount(const QModelIndex &parent = {}) const override;
    QVariant data(const QModelIndex &index, int role) const override;
    QVariant headerData(int section, Qt::Orientation orientation, int role) const override;
    bool canFetchMore(const QModelIndex &parent) const override;
    void fetchMore(const QModelIndex &parent) override;

signals:
    void loadingChanged(bool loading);

private:
    void restart();
    void setLoading(bool loading);

    WorkspaceService *m_workspace;
    engine::state::DiffOp m_op;
    qint64 m_planId = 0;
    QStringList m_fields;
    QString m_filter;
    std::vector<DiffRowView> m_rows;
    qint64 m_lastSeq = 0;
    quint64 m_generation = 0;
    bool m_loading = false;
    bool m_complete = true;
};

} // namespace syncline::ui
