#pragma once

#include "engine/core/error.h"
#include "engine/warehouse/column.h"
#include "ui/sources/sourceconnection.h"

#include <QObject>
#include <QVariant>
#include <QVector>

#include <memory>
#include <vector>

namespace syncline::ui {

// Cells of one row, copied out of a RowBatch so they can cross threads. NULL is QVariant().
using PreviewRow = QVector<QVariant>;

// One running preview query: the DB Browser RowLoader idea. The query runs on a pool thread
// that fetches only what the GUI asked for (request()), so a million-row result costs what is
// shown. Results arrive as queued signals carrying values and the generation they belong to.
// cancel() stops the query at once (SQLCancel through the CancellationToken). Destroying the
// session cancels it; the worker never touches a destroyed session.
class QuerySession : public QObject
{
    Q_OBJECT
public:
    QuerySession(ConnectionOpener opener, QString sql, quint64 generation, QObject *parent = nullptr);
    ~QuerySession() override;

    quint64 generation() const { return m_generation; }
    void start();
    void request(int rows); // asks the worker for up to `rows` more rows
    void cancel();

signals:
    void columnsReady(quint64 generation, const std::vector<syncline::engine::warehouse::Column> &columns);
    void rowsReady(quint64 generation, const QVector<syncline::ui::PreviewRow> &rows);
    void finished(quint64 generation, qint64 totalRows); // the result has no more rows
    void cancelled(quint64 generation);
    void failed(quint64 generation, const syncline::engine::Error &error);

private:
    struct Shared;
    std::shared_ptr<Shared> m_shared;
    ConnectionOpener m_opener;
    QString m_sql;
    quint64 m_generation;
};

} // namespace syncline::ui

Q_DECLARE_METATYPE(syncline::ui::PreviewRow)
