#pragma once
// The fake Google Sheets API's behaviour: the spreadsheets (sheetsgrid.h), the token endpoint
// (service-account JWT checked with the public key, OAuth refresh), expiring access tokens, the
// per-minute read and write quotas (429 RESOURCE_EXHAUSTED), scripted faults, and the endpoints
// Syncline uses: spreadsheets.get, values.get, values:batchUpdate, values:append,
// values:batchClear and spreadsheets:batchUpdate (deleteDimension, addSheet). Every write is
// atomic, as Google's are: a refused request applies nothing. Answers follow
// ../shared/destinations/specs/google_sheets_v4_subset.json (errors in Google's envelope).
// Thread-safe: the server thread calls handle(), tests read and script it from theirs.

#include "tests/fakes/fakeapistate.h"
#include "tests/fakes/googlesheets/sheetsgrid.h"
#include "tests/fakes/httprequestparser.h"

#include <QElapsedTimer>
#include <QHash>
#include <QJsonArray>
#include <QJsonObject>
#include <QMutex>
#include <QSet>

#include <deque>
#include <map>

namespace syncline::testfakes::googlesheets {

enum class SheetsFault {
    Quota429, // 429 RESOURCE_EXHAUSTED (with Retry-After when configured); nothing applied
    Internal500, // 500 INTERNAL; nothing applied
    Unavailable503, // 503 UNAVAILABLE; nothing applied
    Refuse400, // 400 INVALID_ARGUMENT; nothing applied
    NoReply, // never answered; nothing applied
    LostAck, // applied, then the connection drops without an answer
    ApplyThenHang, // applied, never answered (a client killed while it waits: the SIGKILL test)
};

struct SheetsFakeConfig
{
    // Service account: the token endpoint checks the assertion with this public key.
    QString clientEmail = QStringLiteral("syncline-test@fake-project.iam.gserviceaccount.com");
    QByteArray publicPem;
    QString audience = QStringLiteral("https://oauth2.googleapis.com/token");
    QString scope = QStringLiteral("https://www.googleapis.com/auth/spreadsheets");
    // OAuth refresh-token grant.
    QString clientId = QStringLiteral("fake-client-id");
    QString clientSecret = QStringLiteral("fake-client-secret");
    QString refreshToken = QStringLiteral("fake-refresh-token");
    bool rotateRefreshToken = false;
    int tokenLifetimeSeconds = 3600;
    // Quotas per window (0: none); Google's window is a minute, tests shorten it.
    int readsPerWindow = 0;
    int writesPerWindow = 0;
    int quotaWindowMs = 60'000;
    int retryAfterSeconds = 0; // 0: 429s carry no Retry-After (Google often sends none)
    QSet<QString> rejectValues; // a write with a cell of one of these texts is refused whole (400), as
                                // Google refuses a whole request: the connector must isolate the row
    int latencyMs = 0; // every API answer waits this long
    int writeLatencyMs = 0; // writes wait this long more (a run can be killed mid-way)
};

struct SheetsFakeRequest
{
    QByteArray method;
    QByteArray target; // as sent, URL-encoded
    QString operation; // "token", "get", "values.get", "values.batchUpdate", "values.append", "values.batchClear",
                       // "batchUpdate"
    QByteArray body;
    int status = 0; // 0: no answer sent
    std::optional<SheetsFault> fault;
};

struct SheetsFakeCounters
{
    std::map<QString, qint64> operations; // requests received, by operation
    qint64 jwtGrants = 0;
    qint64 refreshGrants = 0;
    qint64 refusedGrants = 0;
    qint64 unauthorized = 0; // 401s
    qint64 quotaRefusals = 0; // 429s from the quota (scripted ones excluded)
    qint64 rateLimited = 0; // every 429 sent, quota or scripted
    qint64 writes = 0; // write requests past auth and quota (applied, refused or faulted)
    qint64 rowsAppended = 0;
    qint64 rowsDeleted = 0;
    qint64 count(const QString &operation) const;
};

class SheetsFakeState
{
public:
    explicit SheetsFakeState(SheetsFakeConfig config);

    FakeReply handle(const HttpRequest &request);

    void setConfig(const SheetsFakeConfig &config);
    SheetsFakeConfig config() const;
    // The next request of `operation` (any API request when empty) gets `fault`; queued in order.
    void scriptFault(SheetsFault fault, const QString &operation = {});
    void expireTokens(); // every access token issued so far is refused from now on (401)
    QString currentRefreshToken() const;

    void addSpreadsheet(const QString &id);
    int addTab(const QString &spreadsheetId, const QString &title, int rowCount = 1000, int columnCount = 26);
    void setRows(const QString &spreadsheetId, const QString &title, const QList<QJsonArray> &rows); // from row 1
    // The tab's cells, trailing blanks trimmed (null = empty).
    QList<QJsonArray> rows(const QString &spreadsheetId, const QString &title) const;
    std::optional<Tab> tab(const QString &spreadsheetId, const QString &title) const;

    SheetsFakeCounters counters() const;
    QList<SheetsFakeRequest> requests() const;
    void resetCounters();

private:
    FakeReply token(const HttpRequest &request);
    FakeReply api(const HttpRequest &request, SheetsFakeRequest &logged);
    FakeReply route(const QByteArray &method, const QString &rest, const QHash<QString, QString> &query,
        const QByteArray &body, QString &operation, Spreadsheet &sheet);
    FakeReply getSpreadsheet(Spreadsheet &sheet, const QHash<QString, QString> &query);
    FakeReply getValues(Spreadsheet &sheet, const QString &range, const QHash<QString, QString> &query);
    FakeReply batchUpdateValues(Spreadsheet &sheet, const QJsonObject &body);
    FakeReply appendValues(
        Spreadsheet &sheet, const QString &range, const QHash<QString, QString> &query, const QJsonObject &body);
    FakeReply batchClear(Spreadsheet &sheet, const QJsonObject &body);
    FakeReply batchUpdate(Spreadsheet &sheet, const QJsonObject &body);

    FakeReply error(int status, const QString &googleStatus, const QString &message) const;
    FakeReply json(int status, const QJsonObject &body) const;
    std::optional<FakeReply> overQuota(bool write);
    QJsonValue inputValue(const QJsonValue &value, const QString &option) const;

    mutable QMutex m_mutex;
    SheetsFakeConfig m_config;
    QHash<QString, Spreadsheet> m_sheets;
    QHash<QString, qint64> m_tokens; // access token -> expiry (ms on m_clock)
    int m_tokenSerial = 0;
    std::deque<std::pair<SheetsFault, QString>> m_script;
    QElapsedTimer m_clock;
    qint64 m_readWindow = -1, m_writeWindow = -1;
    int m_readsInWindow = 0, m_writesInWindow = 0;
    SheetsFakeCounters m_counters;
    QList<SheetsFakeRequest> m_log;
};

QString sheetsFaultName(SheetsFault fault);

} // namespace syncline::testfakes::googlesheets
