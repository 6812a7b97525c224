#include "connectors/googlesheets/sheetwriter.h"

#include "connectors/googlesheets/a1notation.h"
#include "connectors/googlesheets/sheetcells.h"

#include <QElapsedTimer>
#include <QJsonDocument>
#include <QThread>

#include <algorithm>

namespace syncline::connectors::googlesheets {

using engine::Result;
using engine::connector::Batch;
using engine::connector::Operation;
using engine::connector::OutgoingRecord;
using engine::connector::RecordOutcome;

namespace {

// Keep request bodies near Google's recommended 2 MB.
constexpr qsizetype maxRequestBytes = 1'500'000;

bool sleepUnlessCancelled(std::chrono::milliseconds delay, const engine::CancellationToken &cancellation)
{
    QElapsedTimer timer;
    timer.start();
    while (timer.elapsed() < delay.count()) {
        if (cancellation.isCancelled())
            return false;
        QThread::msleep(10);
    }
    return !cancellation.isCancelled();
}

qsizetype jsonSize(const QJsonArray &row)
{
    return QJsonDocument(row).toJson(QJsonDocument::Compact).size();
}

// Splits `items` into consecutive groups whose rows stay under maxRequestBytes.
template<typename T>
std::vector<std::vector<T>> chunks(const std::vector<T> &items, const std::function<qsizetype(const T &)> &size)
{
    std::vector<std::vector<T>> groups(1);
    qsizetype bytes = 0;
    for (const T &item : items) {
        const qsizetype itemBytes = size(item);
        if (!groups.back().empty() && bytes + itemBytes > maxRequestBytes) {
            groups.emplace_back();
            bytes = 0;
        }
        groups.back().push_back(item);
        bytes += itemBytes;
    }
    if (groups.back().empty())
        groups.pop_back();
    return groups;
}

} // namespace

SheetWriter::SheetWriter(SheetsClient &client, TabLayout &layout, QString where)
    : m_client(client)
    , m_layout(layout)
    , m_where(std::move(where))
{ }

Result<KeyIndex> SheetWriter::readKeys(
    SheetsClient &client, const TabLayout &layout, const engine::CancellationToken &cancellation)
{
    QUrlQuery query;
    query.addQueryItem(QStringLiteral("majorDimension"), QStringLiteral("COLUMNS"));
    query.addQueryItem(QStringLiteral("valueRenderOption"), QStringLiteral("UNFORMATTED_VALUE"));
    const QString range = cellRange(layout.title, layout.keyColumn, 2, layout.keyColumn, 0);
    const SheetsClient::Reply reply = client.get(SheetsClient::valuesPath(range), query, cancellation);
    if (reply.done())
        return KeyIndex::fromColumn(reply.body.value(QStringLiteral("values")).toArray().at(0).toArray(), 2);
    if (reply.stopped)
        return std::unexpected(*reply.stopped);
    return engine::fail(QStringLiteral("googlesheets.read"),
        QStringLiteral("could not read the key column %1 of tab '%2' (%3)")
            .arg(layout.keyField, layout.title, reply.message),
        reply.kind == SheetsClient::Reply::Kind::Unknown || reply.status == 429 || reply.status >= 500,
        { { QStringLiteral("http_status"), QString::number(reply.status) } });
}

Result<std::vector<RecordOutcome>> SheetWriter::deliver(
    const Batch &batch, const engine::CancellationToken &cancellation)
{
    m_cancellation = &cancellation;
    m_outcomes.assign(batch.records.size(), std::nullopt);
    std::vector<Item> items(batch.records.size());
    for (size_t i = 0; i < batch.records.size(); ++i)
        items[i].index = int(i);

    auto keys = readKeys(m_client, m_layout, cancellation);
    if (!keys) {
        engine::Error error = keys.error();
        error.message = m_where + QStringLiteral(": ") + error.message;
        return std::unexpected(error);
    }
    m_index = std::move(*keys);

    Items updates, appends, deletes;
    QSet<QString> appending;
    for (size_t i = 0; i < batch.records.size(); ++i) {
        Item &item = items[i];
        if (!prepare(batch.records[i], int(i), item))
            continue;
        const bool present = m_index.contains(item.key);
        switch (item.operation) {
        case Operation::Upsert:
        case Operation::Insert:
            if (present)
                updates.push_back(&item); // written by an earlier run whose acknowledgement was lost, or by a person
            else if (appending.contains(item.key))
                reject(item, QStringLiteral("another row of this batch has the same key"), false);
            else {
                appending.insert(item.key);
                appends.push_back(&item);
            }
            break;
        case Operation::Update:
            if (present)
                updates.push_back(&item);
            else
                reject(item,
                    QStringLiteral("no row of tab '%1' has %2 '%3'; an update changes existing rows only")
                        .arg(m_layout.title, m_layout.keyField, item.key.left(100)),
                    false);
            break;
        case Operation::Clear:
            if (present)
                updates.push_back(&item);
            else
                accept(item); // nothing left to clear
            break;
        case Operation::Delete:
            if (present)
                deletes.push_back(&item);
            else
                accept(item); // already gone
            break;
        }
    }

    for (const Items &group : chunks<const Item *>(updates, [this](const Item *item) {
             const auto [first, last] = columnSpan(item->payload);
             const auto *rows = m_index.rowsOf(item->key);
             return jsonSize(rowCells(item->payload, first, last)) * qsizetype(rows ? rows->size() : 1) + 64;
         }))
        updateRows(group);
    if (!appends.empty())
        untilSettled(
            appends, [this](const Items &group) { return appendOnce(group); },
            [this](const Item &item) { return m_index.contains(item.key); }, QStringLiteral("append"));
    if (!deletes.empty() && !m_stopped && (!m_indexStale || rereadKeys()))
        untilSettled(
            deletes, [this](const Items &group) { return deleteOnce(group); },
            [this](const Item &item) { return !m_index.contains(item.key); }, QStringLiteral("delete"));
    else if (!deletes.empty())
        rejectAll(deletes,
            m_stopped ? m_stopped->message : QStringLiteral("the key column could not be read before deleting"), true);

    std::vector<RecordOutcome> outcomes;
    outcomes.reserve(m_outcomes.size());
    for (auto &outcome : m_outcomes) {
        if (!outcome) { // not reached: every path decides; kept so a slip is a retry, not a loss
            RecordOutcome retry;
            retry.error = QStringLiteral("not sent; sent again by the next run");
            retry.retryable = true;
            outcome = retry;
        }
        outcomes.push_back(*outcome);
    }
    if (m_stopped && m_settled == 0) {
        engine::Error error = *m_stopped;
        error.message = m_where + QStringLiteral(": ") + error.message;
        return std::unexpected(error);
    }
    return outcomes;
}

bool SheetWriter::prepare(const OutgoingRecord &record, int index, Item &item)
{
    item.index = index;
    item.operation = record.operation;
    const QJsonDocument document = QJsonDocument::fromJson(QByteArray::fromStdString(record.payload));
    item.payload = document.object();
    if (!document.isObject()) {
        reject(item, QStringLiteral("the payload is not a JSON object"), false);
        return false;
    }
    item.key = keyText(item.payload.value(m_layout.keyField));
    if (item.key.isEmpty()) {
        reject(item, QStringLiteral("the record has no value for the key column %1").arg(m_layout.keyField), false);
        return false;
    }
    if (item.operation == Operation::Delete)
        return true; // only the key matters: the payload is the last one delivered, perhaps under an older header
    if (item.operation == Operation::Clear) {
        for (const QString &field : item.payload.keys()) {
            if (!m_layout.columnOf.contains(field))
                item.payload.remove(field); // a column that is gone has nothing left to clear
        }
    }
    for (auto it = item.payload.constBegin(); it != item.payload.constEnd(); ++it) {
        if (!m_layout.columnOf.contains(it.key())) {
            reject(item,
                QStringLiteral("field %1 has no column in the header row of tab '%2'; add it to row 1 or remove it "
                               "from the mapping")
                    .arg(it.key(), m_layout.title),
                false);
            return false;
        }
        if (cellLength(cellValue(it.value())) > maxCellCharacters) {
            reject(item,
                QStringLiteral("field %1 has %2 characters; a Google Sheets cell holds at most %3")
                    .arg(it.key())
                    .arg(cellLength(cellValue(it.value())))
                    .arg(maxCellCharacters),
                false);
            return false;
        }
    }
    return true;
}

std::pair<int, int> SheetWriter::columnSpan(const QJsonObject &payload) const
{
    int first = m_layout.keyColumn;
    int last = m_layout.keyColumn;
    for (auto it = payload.constBegin(); it != payload.constEnd(); ++it) {
        const int column = m_layout.columnOf.value(it.key(), -1);
        if (column >= 0) {
            first = std::min(first, column);
            last = std::max(last, column);
        }
    }
    return { first, last };
}

QJsonArray SheetWriter::rowCells(const QJsonObject &payload, int firstColumn, int lastColumn) const
{
    QJsonArray cells;
    for (int column = firstColumn; column <= lastColumn; ++column) {
        const QString field = m_layout.header.value(column).trimmed();
        // Null leaves a cell as it is (columns Syncline does not map); "" blanks it.
        if (!field.isEmpty() && m_layout.columnOf.value(field, -1) == column && payload.contains(field))
            cells.append(cellValue(payload.value(field)));
        else
            cells.append(QJsonValue(QJsonValue::Null));
    }
    return cells;
}

void SheetWriter::updateRows(const Items &items)
{
    if (items.empty())
        return;
    if (m_stopped) {
        rejectAll(items, m_stopped->message, true);
        return;
    }
    QJsonArray data;
    for (const Item *item : items) {
        const auto [first, last] = columnSpan(item->payload);
        const QJsonArray cells = rowCells(item->payload, first, last);
        for (int row : *m_index.rowsOf(item->key))
            data.append(QJsonObject { { QStringLiteral("range"), cellRange(m_layout.title, first, row, last, row) },
                { QStringLiteral("majorDimension"), QStringLiteral("ROWS") },
                { QStringLiteral("values"), QJsonArray { cells } } });
    }
    const QJsonObject body { { QStringLiteral("valueInputOption"), m_client.settings().valueInputOption },
        { QStringLiteral("data"), data } };
    const SheetsClient::Reply reply
        = m_client.post(QStringLiteral("/values:batchUpdate"), {}, body, /*repeatable=*/true, *m_cancellation);
    if (reply.done()) {
        for (const Item *item : items)
            accept(*item);
        return;
    }
    if (reply.kind == SheetsClient::Reply::Kind::Refused && items.size() > 1) {
        const auto half = items.begin() + qsizetype(items.size() / 2);
        updateRows(Items(items.begin(), half));
        updateRows(Items(half, items.end()));
        return;
    }
    noteStop(reply);
    rejectAll(items, reply.message, reply.kind == SheetsClient::Reply::Kind::Unknown || reply.status >= 500);
}

SheetWriter::Items SheetWriter::appendOnce(const Items &items)
{
    Items lost;
    for (const Items &group : chunks<const Item *>(items, [this](const Item *item) {
             return jsonSize(rowCells(item->payload, 0, columnSpan(item->payload).second)) + 2;
         })) {
        if (m_stopped) {
            lost.insert(lost.end(), group.begin(), group.end());
            continue;
        }
        int lastColumn = 0;
        for (const Item *item : group)
            lastColumn = std::max(lastColumn, columnSpan(item->payload).second);
        QJsonArray rows;
        for (const Item *item : group)
            rows.append(rowCells(item->payload, 0, lastColumn));
        QUrlQuery query;
        query.addQueryItem(QStringLiteral("valueInputOption"), m_client.settings().valueInputOption);
        query.addQueryItem(QStringLiteral("insertDataOption"), QStringLiteral("INSERT_ROWS"));
        const QString table = quotedTitle(m_layout.title) + QStringLiteral("!A:") + columnLetters(lastColumn);
        const QJsonObject body { { QStringLiteral("majorDimension"), QStringLiteral("ROWS") },
            { QStringLiteral("values"), rows } };
        const SheetsClient::Reply reply = m_client.post(SheetsClient::valuesPath(table, QStringLiteral(":append")),
            query, body, /*repeatable=*/false, *m_cancellation);
        if (reply.done()) {
            const QString updated = reply.body.value(QStringLiteral("updates"))
                                        .toObject()
                                        .value(QStringLiteral("updatedRange"))
                                        .toString();
            const auto landed = rowsOfRange(updated);
            // Rows inserted above existing keys (Google's table detection found a gap) move them:
            // the key column is read again before anything relies on row numbers.
            if (!landed || landed->first <= m_index.lastRow()
                || landed->second - landed->first + 1 != int(group.size()))
                m_indexStale = true;
            for (size_t i = 0; i < group.size(); ++i) {
                accept(*group[i]);
                if (landed)
                    m_index.add(group[i]->key, landed->first + int(i));
            }
            continue;
        }
        if (reply.kind == SheetsClient::Reply::Kind::Refused) {
            if (group.size() == 1) {
                noteStop(reply);
                reject(*group.front(), reply.message, reply.status >= 500);
                continue;
            }
            const auto half = group.begin() + qsizetype(group.size() / 2);
            for (Items part : { Items(group.begin(), half), Items(half, group.end()) }) {
                const Items partLost = appendOnce(part);
                lost.insert(lost.end(), partLost.begin(), partLost.end());
            }
            continue;
        }
        noteStop(reply);
        m_indexStale = true;
        lost.insert(lost.end(), group.begin(), group.end());
    }
    return lost;
}

SheetWriter::Items SheetWriter::deleteOnce(const Items &items)
{
    if (m_stopped)
        return items;
    std::vector<int> rows;
    Items sending;
    for (const Item *item : items) {
        const auto *found = m_index.rowsOf(item->key);
        if (!found) {
            accept(*item); // gone already (a person, or an earlier attempt)
            continue;
        }
        rows.insert(rows.end(), found->begin(), found->end());
        sending.push_back(item);
    }
    if (sending.empty())
        return {};
    std::sort(rows.begin(), rows.end(), std::greater<int>());
    rows.erase(std::unique(rows.begin(), rows.end()), rows.end());
    // Bottom-up, neighbours merged: each range is deleted before any range above it moves.
    QJsonArray requests;
    for (size_t i = 0; i < rows.size();) {
        size_t j = i;
        while (j + 1 < rows.size() && rows[j + 1] == rows[j] - 1)
            ++j;
        const QJsonObject range { { QStringLiteral("sheetId"), m_layout.sheetId },
            { QStringLiteral("dimension"), QStringLiteral("ROWS") }, { QStringLiteral("startIndex"), rows[j] - 1 },
            { QStringLiteral("endIndex"), rows[i] } };
        requests.append(
            QJsonObject { { QStringLiteral("deleteDimension"), QJsonObject { { QStringLiteral("range"), range } } } });
        i = j + 1;
    }
    const SheetsClient::Reply reply = m_client.post(QStringLiteral(":batchUpdate"), {},
        QJsonObject { { QStringLiteral("requests"), requests } }, /*repeatable=*/false, *m_cancellation);
    if (reply.done()) {
        m_index.removeRows(rows);
        for (const Item *item : sending)
            accept(*item);
        return {};
    }
    if (reply.kind == SheetsClient::Reply::Kind::Refused) {
        if (sending.size() == 1) {
            noteStop(reply);
            reject(*sending.front(), reply.message, reply.status >= 500);
            return {};
        }
        const auto half = sending.begin() + qsizetype(sending.size() / 2);
        Items lost = deleteOnce(Items(sending.begin(), half));
        const Items more = deleteOnce(Items(half, sending.end()));
        lost.insert(lost.end(), more.begin(), more.end());
        return lost;
    }
    noteStop(reply);
    m_indexStale = true;
    return sending;
}

void SheetWriter::untilSettled(Items items, const std::function<Items(const Items &)> &once,
    const std::function<bool(const Item &)> &landed, const QString &what)
{
    const int attempts = std::max(1, m_client.settings().retry.maxAttempts);
    for (int attempt = 1;; ++attempt) {
        items = once(items);
        if (items.empty())
            return;
        if (m_stopped) {
            rejectAll(items,
                QStringLiteral("%1 (the %2 may have been applied; the next run reads the key column before sending "
                               "it again)")
                    .arg(m_stopped->message, what),
                true);
            return;
        }
        if (attempt >= attempts) {
            rejectAll(items,
                QStringLiteral("no answer to the %1 after %2 attempts; the next run reads the key column before "
                               "sending it again")
                    .arg(what)
                    .arg(attempt),
                true);
            return;
        }
        if (!sleepUnlessCancelled(m_client.settings().retry.backoff(attempt, m_random), *m_cancellation)
            || !rereadKeys()) {
            rejectAll(items,
                QStringLiteral("the %1's answer was lost and the key column could not be read again; sent again by "
                               "the next run")
                    .arg(what),
                true);
            return;
        }
        Items again;
        for (const Item *item : items) {
            if (landed(*item))
                accept(*item); // the lost answer's request was applied
            else
                again.push_back(item);
        }
        items = std::move(again);
        if (items.empty())
            return;
    }
}

bool SheetWriter::rereadKeys()
{
    auto keys = readKeys(m_client, m_layout, *m_cancellation);
    if (!keys) {
        if (keys.error().code.startsWith(QLatin1String("auth."))
            || keys.error().code == QLatin1String("http.cancelled"))
            m_stopped = keys.error();
        return false;
    }
    m_index = std::move(*keys);
    m_indexStale = false;
    return true;
}

void SheetWriter::accept(const Item &item)
{
    if (m_outcomes[size_t(item.index)])
        return;
    RecordOutcome outcome;
    outcome.accepted = true;
    m_outcomes[size_t(item.index)] = outcome;
    ++m_settled;
}

void SheetWriter::reject(const Item &item, const QString &error, bool retryable)
{
    if (m_outcomes[size_t(item.index)])
        return;
    RecordOutcome outcome;
    outcome.error = error;
    outcome.retryable = retryable;
    m_outcomes[size_t(item.index)] = outcome;
    if (!retryable)
        ++m_settled;
}

void SheetWriter::rejectAll(const Items &items, const QString &error, bool retryable)
{
    for (const Item *item : items)
        reject(*item, error, retryable);
}

void SheetWriter::noteStop(const SheetsClient::Reply &reply)
{
    if (reply.stopped && !m_stopped)
        m_stopped = reply.stopped;
}

} // namespace syncline::connectors::googlesheets
