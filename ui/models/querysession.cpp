#include "ui/models/querysession.h"

#include "engine/warehouse/rowbatch.h"
#include "ui/services/backgroundpool.h"

#include <condition_variable>
#include <mutex>

namespace syncline::ui {

using engine::CancellationToken;
using engine::Error;
using engine::warehouse::Column;
using engine::warehouse::ColumnKind;
using engine::warehouse::QueryOptions;
using engine::warehouse::RowBatch;

struct QuerySession::Shared
{
    std::mutex mutex;
    std::condition_variable wake;
    QuerySession *owner = nullptr; // cleared by the destructor under `mutex`
    qint64 demand = 0;
    CancellationToken token;

    // Runs `emitter` on the owner's thread when the owner still exists.
    template <typename F>
    void post(F emitter)
    {
        std::lock_guard lock(mutex);
        if (!owner)
            return;
        QMetaObject::invokeMethod(owner, [owner = owner, emitter = std::move(emitter)] { emitter(owner); },
                                  Qt::QueuedConnection);
    }
};

namespace {

QVariant cell(const RowBatch &batch, int row, int column)
{
    if (batch.isNull(row, column))
        return {};
    switch (batch.columns()[size_t(column)].kind) {
    case ColumnKind::Integer: return QVariant::fromValue<qlonglong>(batch.integer(row, column));
    case ColumnKind::Real: return batch.real(row, column);
    case ColumnKind::Boolean: return batch.boolean(row, column);
    default: return batch.displayText(row, column);
    }
}

} // namespace

QuerySession::QuerySession(ConnectionOpener opener, QString sql, quint64 generation, QObject *parent)
    : QObject(parent)
    , m_shared(std::make_shared<Shared>())
    , m_opener(std::move(opener))
    , m_sql(std::move(sql))
    , m_generation(generation)
{
    m_shared->owner = this;
}

QuerySession::~QuerySession()
{
    {
        std::lock_guard lock(m_shared->mutex);
        m_shared->owner = nullptr;
    }
    cancel();
}

void QuerySession::request(int rows)
{
    {
        std::lock_guard lock(m_shared->mutex);
        m_shared->demand += rows;
    }
    m_shared->wake.notify_all();
}

void QuerySession::cancel()
{
    // SQLCancel may talk to the server (psqlODBC opens a cancel connection): never on the GUI thread.
    backgroundPool().start([shared = m_shared] {
        shared->token.cancel();
        shared->wake.notify_all();
    });
}

void QuerySession::start()
{
    const quint64 generation = m_generation;
    backgroundPool().start([shared = m_shared, opener = m_opener, sql = m_sql, generation] {
        const auto failWith = [&](const Error &error) {
            if (error.code == QStringLiteral("query.cancelled") || shared->token.isCancelled())
                shared->post([generation](QuerySession *s) { emit s->cancelled(generation); });
            else
                shared->post([generation, error](QuerySession *s) { emit s->failed(generation, error); });
        };
        auto connection = opener();
        if (!connection)
            return failWith(connection.error());
        if (shared->token.isCancelled())
            return failWith(Error{QStringLiteral("query.cancelled"), {}});
        QueryOptions options;
        options.rowsetSize = 1024;
        options.cancellation = shared->token;
        auto cursor = (*connection)->execute(sql, options);
        if (!cursor)
            return failWith(cursor.error());
        const std::vector<Column> columns = (*cursor)->columns();
        shared->post([generation, columns](QuerySession *s) { emit s->columnsReady(generation, columns); });

        RowBatch batch;
        int next = 0; // first row of `batch` not yet handed over
        qint64 total = 0;
        for (;;) {
            {
                std::unique_lock lock(shared->mutex);
                shared->wake.wait(lock, [&] { return shared->demand > 0 || shared->token.isCancelled() || !shared->owner; });
                if (shared->token.isCancelled() || !shared->owner)
                    break;
            }
            if (next >= batch.rowCount()) {
                auto more = (*cursor)->fetch(batch);
                if (!more)
                    return failWith(more.error());
                next = 0;
                if (!*more) {
                    shared->post([generation, total](QuerySession *s) { emit s->finished(generation, total); });
                    return;
                }
            }
            qint64 wanted;
            {
                std::lock_guard lock(shared->mutex);
                wanted = shared->demand;
            }
            const int count = int(std::min<qint64>(wanted, batch.rowCount() - next));
            QVector<PreviewRow> rows;
            rows.reserve(count);
            const int columnCount = batch.columnCount();
            for (int r = next; r < next + count; ++r) {
                PreviewRow row(columnCount);
                for (int c = 0; c < columnCount; ++c)
                    row[c] = cell(batch, r, c);
                rows.push_back(std::move(row));
            }
            next += count;
            total += count;
            {
                std::lock_guard lock(shared->mutex);
                shared->demand -= count;
            }
            shared->post([generation, rows = std::move(rows)](QuerySession *s) { emit s->rowsReady(generation, rows); });
        }
        failWith(Error{QStringLiteral("query.cancelled"), {}});
    });
}

} // namespace syncline::ui
