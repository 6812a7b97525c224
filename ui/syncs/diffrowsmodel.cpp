#include "ui/syncs/diffrowsmodel.h"

#include "engine/state/planrowreader.h"
#include "ui/services/workspaceservice.h"

#include <QBrush>
#include <QColor>
#include <QFont>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QJsonValue>

namespace syncline::ui {

using engine::state::DiffOp;

namespace {

QString displayValue(const QJsonValue &value)
{
    switch (value.type()) {
    case QJsonValue::Null:
    case QJsonValue::Undefined:
        return QStringLiteral("NULL");
    case QJsonValue::Bool:
        return value.toBool() ? QStringLiteral("true") : QStringLiteral("false");
    case QJsonValue::Double:
        return value.toVariant().toString();
    case QJsonValue::String:
        return value.toString();
    case QJsonValue::Array:
        return QString::fromUtf8(QJsonDocument(value.toArray()).toJson(QJsonDocument::Compact));
    case QJsonValue::Object:
        return QString::fromUtf8(QJsonDocument(value.toObject()).toJson(QJsonDocument::Compact));
    }
    return {};
}

QJsonObject parse(const std::string &payload)
{
    return QJsonDocument::fromJson(QByteArray::fromRawData(payload.data(), qsizetype(payload.size()))).object();
}

struct Page
{
    std::vector<DiffRowView> rows;
    qint64 lastSeq = 0;
    bool complete = false;
    QString error;
};

Page decode(const std::vector<engine::state::PlanRow> &rows, DiffOp op, const QStringList &fields, int limit)
{
    Page page;
    page.complete = int(rows.size()) < limit;
    page.rows.reserve(rows.size());
    for (const engine::state::PlanRow &row : rows) {
        DiffRowView view;
        view.key = QString::fromStdString(row.key);
        const QJsonObject after = parse(op == DiffOp::Remove ? row.beforePayload : row.payload);
        const QJsonObject before = op == DiffOp::Change ? parse(row.beforePayload) : QJsonObject();
        for (const QString &field : fields) {
            view.values << displayValue(after.value(field));
            if (op == DiffOp::Change) {
                view.before << displayValue(before.value(field));
                view.changed << (before.value(field) != after.value(field));
            }
        }
        page.lastSeq = row.seq;
        page.rows.push_back(std::move(view));
    }
    return page;
}

} // namespace

DiffRowsModel::DiffRowsModel(WorkspaceService *workspace, DiffOp op, QObject *parent)
    : QAbstractTableModel(parent)
    , m_workspace(workspace)
    , m_op(op)
{
}

void DiffRowsModel::setPlan(qint64 planId, const QStringList &fields)
{
    beginResetModel();
    m_planId = planId;
    m_fields = fields;
    m_filter.clear();
    endResetModel();
    restart();
}

void DiffRowsModel::clear()
{
    beginResetModel();
    m_planId = 0;
    m_rows.clear();
    m_complete = true;
    ++m_generation;
    endResetModel();
    setLoading(false);
}

void DiffRowsModel::setKeyFilter(const QString &text)
{
    if (text == m_filter)
        return;
    m_filter = text;
    restart();
}

void DiffRowsModel::restart()
{
    beginResetModel();
    m_rows.clear();
    m_lastSeq = 0;
    m_complete = m_planId == 0;
    ++m_generation;
    endResetModel();
    setLoading(false);
    if (canFetchMore({}))
        fetchMore({});
}

void DiffRowsModel::setLoading(bool loading)
{
    if (m_loading == loading)
        return;
    m_loading = loading;
    emit loadingChanged(loading);
}

bool DiffRowsModel::isChangedCell(int row, int column) const
{
    if (row < 0 || row >= int(m_rows.size()) || column < 1)
        return false;
    const DiffRowView &view = m_rows[size_t(row)];
    return column - 1 < view.changed.size() && view.changed[column - 1];
}

QString DiffRowsModel::changedText(const QString &before, const QString &after)
{
    return before + QStringLiteral(" → ") + after;
}

int DiffRowsModel::rowCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : int(m_rows.size());
}

int DiffRowsModel::columnCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : int(m_fields.size()) + 1;
}

QVariant DiffRowsModel::data(const QModelIndex &index, int role) const
{
    if (!index.isValid() || index.row() >= int(m_rows.size()))
        return {};
    const DiffRowView &view = m_rows[size_t(index.row())];
    const int field = index.column() - 1;
    const bool changed = isChangedCell(index.row(), index.column());
    switch (role) {
    case Qt::DisplayRole:
        if (field < 0)
            return view.key;
        if (changed)
            return changedText(view.before.value(field), view.values.value(field));
        return view.values.value(field);
    case Qt::ToolTipRole:
        if (changed)
            return tr("%1 changes\nwas:  %2\nnow:  %3").arg(m_fields.value(field), view.before.value(field), view.values.value(field));
        return {};
    case Qt::BackgroundRole:
        if (changed)
            return QBrush(QColor(255, 226, 140)); // a highlighter's yellow, legible in light and dark themes
        return {};
    case Qt::ForegroundRole:
        if (changed)
            return QBrush(QColor(40, 30, 0));
        return {};
    case Qt::FontRole:
        if (changed || field < 0) {
            QFont font;
            font.setBold(changed);
            return font;
        }
        return {};
    default:
        return {};
    }
}

QVariant DiffRowsModel::headerData(int section, Qt::Orientation orientation, int role) const
{
    if (role != Qt::DisplayRole)
        return {};
    if (orientation == Qt::Vertical)
        return section + 1;
    return section == 0 ? tr("Key") : m_fields.value(section - 1);
}

bool DiffRowsModel::canFetchMore(const QModelIndex &parent) const
{
    return !parent.isValid() && m_planId != 0 && !m_complete && !m_loading;
}

void DiffRowsModel::fetchMore(const QModelIndex &parent)
{
    if (!canFetchMore(parent))
        return;
    setLoading(true);
    const quint64 generation = m_generation;
    const qint64 planId = m_planId;
    const qint64 afterSeq = m_lastSeq;
    const DiffOp op = m_op;
    const QStringList fields = m_fields;
    const QString filter = m_filter;
    m_workspace->call<Page>(
        this,
        [=](engine::state::Workspace &workspace) {
            auto rows = engine::state::PlanRowReader(workspace).page(planId, op, afterSeq, kPageRows, filter);
            if (!rows) {
                Page failed;
                failed.complete = true;
                failed.error = rows.error().message;
                return failed;
            }
            return decode(*rows, op, fields, kPageRows);
        },
        [this, generation](Page page) {
            if (generation != m_generation)
                return; // an outdated plan's or search's page
            if (!page.rows.empty()) {
                const int first = int(m_rows.size());
                beginInsertRows({}, first, first + int(page.rows.size()) - 1);
                m_rows.insert(m_rows.end(), std::make_move_iterator(page.rows.begin()),
                              std::make_move_iterator(page.rows.end()));
                endInsertRows();
                m_lastSeq = page.lastSeq;
            }
            m_complete = page.complete;
            setLoading(false);
        });
}

} // namespace syncline::ui
