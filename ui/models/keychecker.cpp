#include "ui/models/keychecker.h"

#include "engine/warehouse/rowbatch.h"
#include "ui/services/backgroundpool.h"

#include <QElapsedTimer>

#include <mutex>
#include <string>
#include <unordered_set>

namespace syncline::ui {

using engine::CancellationToken;
using engine::Error;
using engine::warehouse::ColumnKind;
using engine::warehouse::QueryOptions;
using engine::warehouse::RowBatch;

struct KeyChecker::Shared
{
    std::mutex mutex;
    KeyChecker *owner = nullptr;
    CancellationToken token;

    template <typename F>
    void post(F emitter)
    {
        std::lock_guard lock(mutex);
        if (owner)
            QMetaObject::invokeMethod(owner, [owner = owner, emitter = std::move(emitter)] { emitter(owner); },
                                      Qt::QueuedConnection);
    }
};

namespace {

constexpr int kExamples = 5;

// Appends one cell to the encoded key: a kind tag and a length prefix keep ("a","bc") apart
// from ("ab","c"). Reads the batch's own storage; no QString per cell.
void appendCell(std::string &key, const RowBatch &batch, int row, int column)
{
    const auto appendBytes = [&key](char tag, const void *data, uint32_t size) {
        key.push_back(tag);
        key.append(reinterpret_cast<const char *>(&size), sizeof size);
        key.append(static_cast<const char *>(data), size);
    };
    switch (batch.columns()[size_t(column)].kind) {
    case ColumnKind::Integer: {
        const int64_t value = batch.integer(row, column);
        return appendBytes('i', &value, sizeof value);
    }
    case ColumnKind::Real: {
        const double value = batch.real(row, column);
        return appendBytes('r', &value, sizeof value);
    }
    case ColumnKind::Boolean: {
        const char value = batch.boolean(row, column) ? 1 : 0;
        return appendBytes('b', &value, 1);
    }
    default: {
        const std::string_view text = batch.text(row, column);
        return appendBytes('t', text.data(), uint32_t(text.size()));
    }
    }
}

QString displayKey(const RowBatch &batch, int row, const std::vector<int> &columns)
{
    QStringList parts;
    for (int column : columns)
        parts << (batch.isNull(row, column) ? QStringLiteral("NULL") : batch.displayText(row, column));
    return parts.size() == 1 ? parts.front() : QStringLiteral("(") + parts.join(QStringLiteral(", ")) + QStringLiteral(")");
}

} // namespace

KeyChecker::KeyChecker(QObject *parent)
    : QObject(parent)
    , m_shared(std::make_shared<Shared>())
{
    m_shared->owner = this;
}

KeyChecker::~KeyChecker()
{
    {
        std::lock_guard lock(m_shared->mutex);
        m_shared->owner = nullptr;
    }
    cancel();
}

void KeyChecker::cancel()
{
    // SQLCancel may talk to the server: never on the GUI thread.
    backgroundPool().start([token = m_shared->token] { token.cancel(); });
}

void KeyChecker::start(ConnectionOpener opener, const QString &sql, const QStringList &keyColumns)
{
    // A fresh shared state per check: a cancelled earlier check can no longer reach this one.
    {
        std::lock_guard lock(m_shared->mutex);
        m_shared->owner = nullptr;
    }
    cancel();
    m_shared = std::make_shared<Shared>();
    m_shared->owner = this;
    m_running = true;

    backgroundPool().start([shared = m_shared, opener = std::move(opener), sql, keyColumns] {
        const auto failWith = [&](const Error &error) {
            if (error.code == QStringLiteral("query.cancelled") || shared->token.isCancelled())
                shared->post([](KeyChecker *k) { k->m_running = false; emit k->cancelled(); });
            else
                shared->post([error](KeyChecker *k) { k->m_running = false; emit k->failed(error); });
        };
        auto connection = opener();
        if (!connection)
            return failWith(connection.error());
        QueryOptions options;
        options.cancellation = shared->token;
        auto cursor = (*connection)->execute(sql, options);
        if (!cursor)
            return failWith(cursor.error());

        std::vector<int> keyIndexes;
        for (const QString &name : keyColumns) {
            const auto &columns = (*cursor)->columns();
            const auto it = std::find_if(columns.begin(), columns.end(),
                                         [&](const auto &c) { return c.name.compare(name, Qt::CaseInsensitive) == 0; });
            if (it == columns.end())
                return failWith(Error{QStringLiteral("model.key_column"),
                                      QObject::tr("The query has no column \"%1\" for the primary key.").arg(name)});
            keyIndexes.push_back(int(it - columns.begin()));
        }

        KeyVerdict verdict;
        std::unordered_set<std::string> seen;
        std::unordered_set<std::string> reported;
        RowBatch batch;
        std::string key;
        QElapsedTimer sinceProgress; // progress at most every 100 ms: the GUI has better things to do
        sinceProgress.start();
        for (;;) {
            if (shared->token.isCancelled())
                return failWith(Error{QStringLiteral("query.cancelled"), {}});
            auto more = (*cursor)->fetch(batch);
            if (!more)
                return failWith(more.error());
            if (!*more)
                break;
            for (int row = 0; row < batch.rowCount(); ++row) {
                ++verdict.rows;
                key.clear();
                bool hasNull = false;
                for (int column : keyIndexes) {
                    if (batch.isNull(row, column)) {
                        hasNull = true;
                        break;
                    }
                    appendCell(key, batch, row, column);
                }
                if (hasNull) {
                    if (++verdict.nullKeys <= kExamples)
                        verdict.nullExamples << displayKey(batch, row, keyIndexes);
                    continue;
                }
                if (seen.insert(key).second)
                    continue;
                ++verdict.duplicateRows;
                if (verdict.duplicateExamples.size() < kExamples && reported.insert(key).second)
                    verdict.duplicateExamples << displayKey(batch, row, keyIndexes);
            }
            if (sinceProgress.elapsed() >= 100) {
                sinceProgress.restart();
                const qint64 scanned = verdict.rows;
                shared->post([scanned](KeyChecker *k) { emit k->progress(scanned); });
            }
        }
        shared->post([verdict](KeyChecker *k) {
            k->m_running = false;
            emit k->finished(verdict);
        });
    });
}

} // namespace syncline::ui
