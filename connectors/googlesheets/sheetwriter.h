#pragma once
// Writes one batch into a tab, keyed by the key column, as Google Sheets has no server-side upsert:
//  1. reads the key column (one read) so row numbers are as of now, not as of an earlier batch;
//  2. updates the rows whose key is present, by range (values:batchUpdate; safe to repeat);
//     a clear writes "" to every mapped cell but the key;
//  3. appends the rows whose key is absent (values:append, INSERT_ROWS);
//  4. deletes rows for removals (batchUpdate deleteDimension, bottom-up so indexes stay valid).
// Appends and deletes are not safe to repeat, so they go out once: when no answer comes (timeout,
// reset, 5xx) the writer reads the key column again; a key now present was appended (a key now
// absent was deleted) and is acknowledged, the others are sent again, up to max_attempts.
// Every Sheets request is atomic: a refused one applied nothing, so it is split in halves until
// the refused rows stand alone (about 2 log2(n) requests for one bad row among n), and only they
// are rejected. A value over Google's 50,000-character cell limit, or a field with no column,
// is rejected before anything is sent.
// Thread: the run's thread; one instance per deliver().

#include "connectors/googlesheets/keyindex.h"
#include "connectors/googlesheets/sheetsclient.h"
#include "connectors/googlesheets/tablayout.h"
#include "engine/connector/connector.h"

#include <QJsonArray>
#include <QJsonObject>

#include <functional>
#include <optional>
#include <random>
#include <vector>

namespace syncline::connectors::googlesheets {

class SheetWriter
{
public:
    SheetWriter(SheetsClient &client, TabLayout &layout, QString where);

    // Outcomes in batch order; an Error when nothing could be settled (the run stopped before
    // any answer: cancelled, the credential refused, the key column unreadable).
    engine::Result<std::vector<engine::connector::RecordOutcome>> deliver(
        const engine::connector::Batch &batch, const engine::CancellationToken &cancellation);

    // Reads the key column of `layout` (rows 2 and down).
    static engine::Result<KeyIndex> readKeys(
        SheetsClient &client, const TabLayout &layout, const engine::CancellationToken &cancellation);

private:
    struct Item
    {
        int index = 0;
        engine::connector::Operation operation = engine::connector::Operation::Upsert;
        QString key;
        QJsonObject payload;
    };
    using Items = std::vector<const Item *>;

    bool prepare(const engine::connector::OutgoingRecord &record, int index, Item &item);
    QJsonArray rowCells(const QJsonObject &payload, int firstColumn, int lastColumn) const;
    std::pair<int, int> columnSpan(const QJsonObject &payload) const;

    void updateRows(const Items &items);
    Items appendOnce(const Items &items); // returns the items whose answer was lost
    Items deleteOnce(const Items &items); // same
    // Sends `items` again after a lost answer, until each is settled: `settled` says from the key
    // column whether an item has landed; `once` sends the others.
    void untilSettled(Items items, const std::function<Items(const Items &)> &once,
        const std::function<bool(const Item &)> &landed, const QString &what);
    bool rereadKeys();

    void accept(const Item &item);
    void reject(const Item &item, const QString &error, bool retryable);
    void rejectAll(const Items &items, const QString &error, bool retryable);
    void noteStop(const SheetsClient::Reply &reply);

    SheetsClient &m_client;
    TabLayout &m_layout;
    QString m_where;
    const engine::CancellationToken *m_cancellation = nullptr;
    KeyIndex m_index;
    bool m_indexStale = false;
    std::vector<std::optional<engine::connector::RecordOutcome>> m_outcomes;
    int m_settled = 0; // records acknowledged or refused for good in this deliver
    std::optional<engine::Error> m_stopped;
    std::mt19937 m_random { std::random_device {}() };
};

} // namespace syncline::connectors::googlesheets
