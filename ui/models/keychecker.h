#pragma once

#include "engine/core/error.h"
#include "ui/sources/sourceconnection.h"

#include <QObject>
#include <QStringList>

#include <memory>

namespace syncline::ui {

// What a primary key check found over the whole result.
struct KeyVerdict
{
    qint64 rows = 0;
    qint64 nullKeys = 0;       // rows where a key column is NULL
    qint64 duplicateRows = 0;  // rows whose key an earlier row already had
    QStringList nullExamples;      // up to 5 keys, NULL shown as NULL
    QStringList duplicateExamples; // up to 5 distinct repeated keys
    bool isValid() const { return nullKeys == 0 && duplicateRows == 0; }
};

// Streams a model's whole result on a pool thread and checks that the chosen key columns are
// never NULL and never repeat (a hash set of the encoded keys). Reports progress per batch;
// cancel() stops the query. Destroying the checker cancels it.
class KeyChecker : public QObject
{
    Q_OBJECT
public:
    explicit KeyChecker(QObject *parent = nullptr);
    ~KeyChecker() override;

    void start(ConnectionOpener opener, const QString &sql, const QStringList &keyColumns);
    void cancel();
    bool isRunning() const { return m_running; }

signals:
    void progress(qint64 rowsScanned);
    void finished(const syncline::ui::KeyVerdict &verdict);
    void failed(const syncline::engine::Error &error);
    void cancelled();

private:
    struct Shared;
    std::shared_ptr<Shared> m_shared;
    bool m_running = false;
};

} // namespace syncline::ui
