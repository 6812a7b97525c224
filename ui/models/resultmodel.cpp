#include "ui/models/resultmodel.h"

#include <QFont>
#include <QGuiApplication>
#include <QLocale>
#include <QPalette>

namespace syncline::ui {

using engine::warehouse::Column;
using engine::warehouse::ColumnKind;

ResultModel::ResultModel(QObject *parent)
    : QAbstractTableModel(parent)
{
}

void ResultModel::attach(QuerySession *session)
{
    beginResetModel();
    if (m_session)
        m_session->disconnect(this);
    m_session = session;
    m_generation = session->generation();
    m_columns.clear();
    m_rows.clear();
    m_cap = kDefaultCap;
    m_requested = 0;
    m_complete = false;
    endResetModel();
    connect(session, &QuerySession::columnsReady, this, &ResultModel::onColumns);
    connect(session, &QuerySession::rowsReady, this, &ResultModel::onRows);
    connect(session, &QuerySession::finished, this, &ResultModel::onFinished);
    emit rowsChanged();
}

void ResultModel::clear()
{
    beginResetModel();
    if (m_session)
        m_session->disconnect(this);
    m_session = nullptr;
    ++m_generation;
    m_columns.clear();
    m_rows.clear();
    m_requested = 0;
    m_complete = false;
    endResetModel();
    emit rowsChanged();
}

void ResultModel::loadMore(int rows)
{
    m_cap += rows;
    if (canFetchMore({}))
        fetchMore({});
    emit rowsChanged();
}

void ResultModel::onColumns(quint64 generation, const std::vector<Column> &columns)
{
    if (generation != m_generation)
        return; // an outdated query's answer
    beginResetModel();
    m_columns = columns;
    endResetModel();
    if (canFetchMore({}))
        fetchMore({});
}

void ResultModel::onRows(quint64 generation, const QVector<PreviewRow> &rows)
{
    if (generation != m_generation || rows.isEmpty())
        return;
    const int first = int(m_rows.size());
    beginInsertRows({}, first, first + int(rows.size()) - 1);
    m_rows.insert(m_rows.end(), rows.begin(), rows.end());
    endInsertRows();
    m_requested = std::max(0, m_requested - int(rows.size()));
    emit rowsChanged();
}

void ResultModel::onFinished(quint64 generation)
{
    if (generation != m_generation)
        return;
    m_complete = true;
    m_requested = 0;
    emit rowsChanged();
}

int ResultModel::rowCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : int(m_rows.size());
}

int ResultModel::columnCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : int(m_columns.size());
}

QVariant ResultModel::data(const QModelIndex &index, int role) const
{
    if (!index.isValid())
        return {};
    const QVariant &value = m_rows[size_t(index.row())][index.column()];
    switch (role) {
    case Qt::DisplayRole:
        if (value.isNull())
            return QStringLiteral("NULL");
        if (value.typeId() == QMetaType::Double)
            return QString::number(value.toDouble(), 'g', 15);
        return value;
    case Qt::EditRole:
        return value;
    case Qt::ForegroundRole:
        if (value.isNull())
            return QGuiApplication::palette().brush(QPalette::Disabled, QPalette::Text);
        return {};
    case Qt::FontRole:
        if (value.isNull()) {
            QFont font;
            font.setItalic(true);
            return font;
        }
        return {};
    case Qt::TextAlignmentRole: {
        const ColumnKind kind = m_columns[size_t(index.column())].kind;
        if (kind == ColumnKind::Integer || kind == ColumnKind::Real || kind == ColumnKind::Decimal)
            return int(Qt::AlignRight | Qt::AlignVCenter);
        return {};
    }
    default:
        return {};
    }
}

QVariant ResultModel::headerData(int section, Qt::Orientation orientation, int role) const
{
    if (orientation == Qt::Vertical)
        return role == Qt::DisplayRole ? QVariant(section + 1) : QVariant();
    if (section < 0 || section >= int(m_columns.size()))
        return {};
    const Column &column = m_columns[size_t(section)];
    const QString kind = engine::warehouse::columnKindName(column.kind);
    if (role == Qt::DisplayRole)
        return QString(column.name + QLatin1Char('\n') + kind
                       + (column.typeName.isEmpty() || column.typeName == kind ? QString() : QStringLiteral(" · ") + column.typeName));
    if (role == Qt::ToolTipRole)
        return tr("%1: %2 (driver type %3)").arg(column.name, kind, column.typeName);
    return {};
}

bool ResultModel::canFetchMore(const QModelIndex &parent) const
{
    return !parent.isValid() && m_session && !m_columns.empty() && !m_complete && m_requested == 0
        && int(m_rows.size()) < m_cap;
}

void ResultModel::fetchMore(const QModelIndex &parent)
{
    if (!canFetchMore(parent))
        return;
    m_requested = std::min(kBatchRows, m_cap - int(m_rows.size()));
    m_session->request(m_requested);
}

} // namespace syncline::ui
