#include "tests/fakes/googlesheets/sheetsfakestate.h"

#include "tests/fakes/googlesheets/jwtverifier.h"

#include <QDateTime>
#include <QJsonDocument>
#include <QUrl>
#include <QUrlQuery>

namespace syncline::testfakes::googlesheets {

QString sheetsFaultName(SheetsFault fault)
{
    switch (fault) {
    case SheetsFault::Quota429:
        return QStringLiteral("429");
    case SheetsFault::Internal500:
        return QStringLiteral("500");
    case SheetsFault::Unavailable503:
        return QStringLiteral("503");
    case SheetsFault::Refuse400:
        return QStringLiteral("400");
    case SheetsFault::NoReply:
        return QStringLiteral("timeout");
    case SheetsFault::LostAck:
        return QStringLiteral("lostack");
    case SheetsFault::ApplyThenHang:
        return QStringLiteral("hang");
    }
    return {};
}

qint64 SheetsFakeCounters::count(const QString &operation) const
{
    const auto found = operations.find(operation);
    return found == operations.end() ? 0 : found->second;
}

SheetsFakeState::SheetsFakeState(SheetsFakeConfig config)
    : m_config(std::move(config))
{
    m_clock.start();
}

void SheetsFakeState::setConfig(const SheetsFakeConfig &config)
{
    QMutexLocker lock(&m_mutex);
    m_config = config;
}

SheetsFakeConfig SheetsFakeState::config() const
{
    QMutexLocker lock(&m_mutex);
    return m_config;
}

void SheetsFakeState::scriptFault(SheetsFault fault, const QString &operation)
{
    QMutexLocker lock(&m_mutex);
    m_script.emplace_back(fault, operation);
}

void SheetsFakeState::expireTokens()
{
    QMutexLocker lock(&m_mutex);
    m_tokens.clear();
}

QString SheetsFakeState::currentRefreshToken() const
{
    QMutexLocker lock(&m_mutex);
    return m_config.refreshToken;
}

void SheetsFakeState::addSpreadsheet(const QString &id)
{
    QMutexLocker lock(&m_mutex);
    m_sheets[id].id = id;
}

int SheetsFakeState::addTab(const QString &spreadsheetId, const QString &title, int rowCount, int columnCount)
{
    QMutexLocker lock(&m_mutex);
    Spreadsheet &sheet = m_sheets[spreadsheetId];
    sheet.id = spreadsheetId;
    Tab tab;
    tab.sheetId = sheet.tabs.empty() ? 0 : sheet.nextSheetId++ * 1000 + 7; // Google's ids are arbitrary
    tab.title = title;
    tab.rowCount = rowCount;
    tab.columnCount = columnCount;
    sheet.tabs.push_back(tab);
    return tab.sheetId;
}

void SheetsFakeState::setRows(const QString &spreadsheetId, const QString &title, const QList<QJsonArray> &rows)
{
    QMutexLocker lock(&m_mutex);
    Tab *tab = m_sheets[spreadsheetId].tab(title);
    if (!tab)
        return;
    tab->cells.clear();
    for (int row = 0; row < rows.size(); ++row) {
        for (int column = 0; column < rows[row].size(); ++column)
            tab->setCell(row, column, rows[row][column]);
    }
    tab->rowCount = std::max(tab->rowCount, int(rows.size()));
}

QList<QJsonArray> SheetsFakeState::rows(const QString &spreadsheetId, const QString &title) const
{
    QMutexLocker lock(&m_mutex);
    QList<QJsonArray> result;
    const auto sheet = m_sheets.constFind(spreadsheetId);
    if (sheet == m_sheets.cend())
        return result;
    for (const Tab &tab : sheet->tabs) {
        if (tab.title != title)
            continue;
        for (int row = 0; row <= tab.lastUsedRow(); ++row) {
            QJsonArray line;
            const auto &cells = tab.cells[size_t(row)];
            int last = int(cells.size()) - 1;
            while (last >= 0 && cells[size_t(last)].isNull())
                --last;
            for (int column = 0; column <= last; ++column)
                line.append(cells[size_t(column)]);
            result.append(line);
        }
    }
    return result;
}

std::optional<Tab> SheetsFakeState::tab(const QString &spreadsheetId, const QString &title) const
{
    QMutexLocker lock(&m_mutex);
    const auto sheet = m_sheets.constFind(spreadsheetId);
    if (sheet == m_sheets.cend())
        return std::nullopt;
    for (const Tab &tab : sheet->tabs) {
        if (tab.title == title)
            return tab;
    }
    return std::nullopt;
}

SheetsFakeCounters SheetsFakeState::counters() const
{
    QMutexLocker lock(&m_mutex);
    return m_counters;
}

QList<SheetsFakeRequest> SheetsFakeState::requests() const
{
    QMutexLocker lock(&m_mutex);
    return m_log;
}

void SheetsFakeState::resetCounters()
{
    QMutexLocker lock(&m_mutex);
    m_counters = {};
    m_log.clear();
}

FakeReply SheetsFakeState::json(int status, const QJsonObject &body) const
{
    FakeReply reply;
    reply.status = status;
    reply.headers = { { "Content-Type", "application/json; charset=UTF-8" } };
    reply.body = QJsonDocument(body).toJson(QJsonDocument::Compact);
    reply.delayMs = m_config.latencyMs;
    return reply;
}

FakeReply SheetsFakeState::error(int status, const QString &googleStatus, const QString &message) const
{
    return json(status,
        QJsonObject { { QStringLiteral("error"),
            QJsonObject { { QStringLiteral("code"), status }, { QStringLiteral("message"), message },
                { QStringLiteral("status"), googleStatus } } } });
}

FakeReply SheetsFakeState::handle(const HttpRequest &request)
{
    QMutexLocker lock(&m_mutex);
    SheetsFakeRequest logged;
    logged.method = request.method;
    logged.target = request.target;
    logged.body = request.body;
    FakeReply reply;
    if (request.path() == "/token")
        reply = token(request);
    else if (request.path().startsWith("/v4/spreadsheets/"))
        reply = api(request, logged);
    else
        reply = error(404, QStringLiteral("NOT_FOUND"), QStringLiteral("The fake serves /v4/spreadsheets/ and /token"));
    if (logged.operation.isEmpty())
        logged.operation = request.path() == "/token" ? QStringLiteral("token") : QStringLiteral("unknown");
    logged.status = reply.action == FakeReply::Action::Reply ? reply.status : 0;
    ++m_counters.operations[logged.operation];
    m_log.append(logged);
    return reply;
}

FakeReply SheetsFakeState::token(const HttpRequest &request)
{
    const QUrlQuery form(QString::fromUtf8(request.body).replace(QLatin1Char('+'), QLatin1Char(' ')));
    auto field = [&](const char *name) { return form.queryItemValue(QString::fromLatin1(name), QUrl::FullyDecoded); };
    auto refuse = [&](const QString &code, const QString &description) {
        ++m_counters.refusedGrants;
        return json(400,
            QJsonObject { { QStringLiteral("error"), code }, { QStringLiteral("error_description"), description } });
    };
    auto grant = [&]() {
        const QString accessToken = QStringLiteral("ya29.fake-%1").arg(++m_tokenSerial);
        m_tokens.insert(accessToken, m_clock.elapsed() + qint64(m_config.tokenLifetimeSeconds) * 1000);
        QJsonObject body { { QStringLiteral("access_token"), accessToken },
            { QStringLiteral("expires_in"), m_config.tokenLifetimeSeconds },
            { QStringLiteral("token_type"), QStringLiteral("Bearer") } };
        return body;
    };
    const QString grantType = field("grant_type");
    if (grantType == QLatin1String("urn:ietf:params:oauth:grant-type:jwt-bearer")) {
        const QString why = verifyAssertion(field("assertion").toUtf8(),
            JwtExpectations { m_config.publicPem, m_config.clientEmail, m_config.audience, m_config.scope },
            QDateTime::currentDateTimeUtc());
        if (!why.isEmpty())
            return refuse(QStringLiteral("invalid_grant"), why);
        ++m_counters.jwtGrants;
        return json(200, grant());
    }
    if (grantType == QLatin1String("refresh_token")) {
        if (field("client_id") != m_config.clientId || field("client_secret") != m_config.clientSecret)
            return refuse(QStringLiteral("invalid_client"), QStringLiteral("The OAuth client was not found."));
        if (field("refresh_token") != m_config.refreshToken)
            return refuse(QStringLiteral("invalid_grant"), QStringLiteral("Token has been expired or revoked."));
        ++m_counters.refreshGrants;
        QJsonObject body = grant();
        body.insert(QStringLiteral("scope"), m_config.scope);
        if (m_config.rotateRefreshToken) {
            m_config.refreshToken = QStringLiteral("fake-refresh-token-%1").arg(m_tokenSerial);
            body.insert(QStringLiteral("refresh_token"), m_config.refreshToken);
        }
        return json(200, body);
    }
    return refuse(
        QStringLiteral("unsupported_grant_type"), QStringLiteral("Invalid grant_type: %1").arg(grantType.left(60)));
}

std::optional<FakeReply> SheetsFakeState::overQuota(bool write)
{
    const int limit = write ? m_config.writesPerWindow : m_config.readsPerWindow;
    if (limit <= 0)
        return std::nullopt;
    const qint64 window = m_clock.elapsed() / std::max(1, m_config.quotaWindowMs);
    qint64 &current = write ? m_writeWindow : m_readWindow;
    int &used = write ? m_writesInWindow : m_readsInWindow;
    if (current != window) {
        current = window;
        used = 0;
    }
    if (++used <= limit)
        return std::nullopt;
    ++m_counters.quotaRefusals;
    ++m_counters.rateLimited;
    const QString metric = write ? QStringLiteral("Write requests") : QStringLiteral("Read requests");
    FakeReply reply = error(429, QStringLiteral("RESOURCE_EXHAUSTED"),
        QStringLiteral("Quota exceeded for quota metric '%1' and limit '%1 per minute per user' of service "
                       "'sheets.googleapis.com' for consumer 'project_number:0'.")
            .arg(metric));
    if (m_config.retryAfterSeconds > 0)
        reply.headers.append(qMakePair(QByteArray("Retry-After"), QByteArray::number(m_config.retryAfterSeconds)));
    return reply;
}

FakeReply SheetsFakeState::api(const HttpRequest &request, SheetsFakeRequest &logged)
{
    // Which operation, before anything can refuse it, so the log and the scripted faults know.
    const QByteArray rawPath = request.path().mid(qsizetype(strlen("/v4/spreadsheets/")));
    qsizetype idEnd = 0;
    while (idEnd < rawPath.size() && rawPath.at(idEnd) != '/' && rawPath.at(idEnd) != ':')
        ++idEnd;
    const QString id = QUrl::fromPercentEncoding(rawPath.left(idEnd));
    const QByteArray rest = rawPath.mid(idEnd);
    QString operation;
    if (rest.isEmpty())
        operation = QStringLiteral("get");
    else if (rest == ":batchUpdate")
        operation = QStringLiteral("batchUpdate");
    else if (rest == "/values:batchUpdate")
        operation = QStringLiteral("values.batchUpdate");
    else if (rest == "/values:batchClear")
        operation = QStringLiteral("values.batchClear");
    else if (rest.startsWith("/values/") && rest.endsWith(":append"))
        operation = QStringLiteral("values.append");
    else if (rest.startsWith("/values/"))
        operation = QStringLiteral("values.get");
    logged.operation = operation;
    if (operation.isEmpty())
        return error(404, QStringLiteral("NOT_FOUND"),
            QStringLiteral("The fake has no such method: %1").arg(QString::fromUtf8(rest)));
    const bool write = request.method != "GET";
    if ((operation == QLatin1String("get") || operation == QLatin1String("values.get")) == write)
        return error(404, QStringLiteral("NOT_FOUND"),
            QStringLiteral("%1 is not served for %2").arg(operation, QString::fromLatin1(request.method)));

    const QByteArray authorization = request.header("Authorization");
    const QString accessToken
        = QString::fromLatin1(authorization.startsWith("Bearer ") ? authorization.mid(7) : QByteArray());
    const auto token = m_tokens.constFind(accessToken);
    if (token == m_tokens.cend() || *token <= m_clock.elapsed()) {
        ++m_counters.unauthorized;
        FakeReply refused = error(401, QStringLiteral("UNAUTHENTICATED"),
            QStringLiteral(
                "Request had invalid authentication credentials. Expected OAuth 2 access token, login cookie "
                "or other valid authentication credential."));
        refused.headers.append(qMakePair(QByteArray("WWW-Authenticate"),
            QByteArray("Bearer realm=\"https://accounts.google.com/\", error=\"invalid_token\"")));
        return refused;
    }
    if (auto quota = overQuota(write))
        return *quota;
    if (write)
        ++m_counters.writes;

    std::optional<SheetsFault> fault;
    if (!m_script.empty() && (m_script.front().second.isEmpty() || m_script.front().second == operation)) {
        fault = m_script.front().first;
        m_script.pop_front();
    }
    logged.fault = fault;
    if (fault) {
        switch (*fault) {
        case SheetsFault::Quota429: {
            ++m_counters.rateLimited;
            FakeReply reply = error(429, QStringLiteral("RESOURCE_EXHAUSTED"),
                QStringLiteral("Quota exceeded for quota metric 'Write requests' and limit 'Write requests per minute "
                               "per user' of service 'sheets.googleapis.com' for consumer 'project_number:0'."));
            if (m_config.retryAfterSeconds > 0)
                reply.headers.append(
                    qMakePair(QByteArray("Retry-After"), QByteArray::number(m_config.retryAfterSeconds)));
            return reply;
        }
        case SheetsFault::Internal500:
            return error(500, QStringLiteral("INTERNAL"), QStringLiteral("Internal error encountered."));
        case SheetsFault::Unavailable503:
            return error(503, QStringLiteral("UNAVAILABLE"), QStringLiteral("The service is currently unavailable."));
        case SheetsFault::Refuse400:
            return error(
                400, QStringLiteral("INVALID_ARGUMENT"), QStringLiteral("Request contains an invalid argument."));
        case SheetsFault::NoReply: {
            FakeReply reply;
            reply.action = FakeReply::Action::NoReply;
            return reply;
        }
        case SheetsFault::LostAck:
        case SheetsFault::ApplyThenHang:
            break; // applied below, then the answer is lost
        }
    }

    const auto sheet = m_sheets.find(id);
    FakeReply reply;
    if (sheet == m_sheets.end()) {
        reply = error(404, QStringLiteral("NOT_FOUND"), QStringLiteral("Requested entity was not found."));
    } else {
        QHash<QString, QString> query;
        const QUrlQuery parsed(QString::fromUtf8(request.target.mid(request.target.indexOf('?') + 1)));
        if (request.target.contains('?')) {
            for (const auto &[key, value] : parsed.queryItems(QUrl::FullyDecoded))
                query.insert(key, value);
        }
        reply = route(request.method, QString::fromUtf8(rest), query, request.body, operation, *sheet);
    }
    if (write)
        reply.delayMs += m_config.writeLatencyMs;
    if (fault == SheetsFault::LostAck)
        reply.action = FakeReply::Action::Drop;
    else if (fault == SheetsFault::ApplyThenHang)
        reply.action = FakeReply::Action::NoReply;
    return reply;
}

FakeReply SheetsFakeState::route(const QByteArray &method, const QString &rest, const QHash<QString, QString> &query,
    const QByteArray &body, QString &operation, Spreadsheet &sheet)
{
    Q_UNUSED(method);
    if (operation == QLatin1String("get"))
        return getSpreadsheet(sheet, query);
    const QString range = rest.startsWith(QLatin1String("/values/"))
        ? QUrl::fromPercentEncoding(rest.mid(8).chopped(operation == QLatin1String("values.append") ? 7 : 0).toUtf8())
        : QString();
    if (operation == QLatin1String("values.get"))
        return getValues(sheet, range, query);
    QJsonParseError parseError;
    const QJsonDocument document = QJsonDocument::fromJson(body, &parseError);
    if (parseError.error != QJsonParseError::NoError || !document.isObject())
        return error(400, QStringLiteral("INVALID_ARGUMENT"),
            QStringLiteral("Invalid JSON payload received. %1").arg(parseError.errorString()));
    const QJsonObject object = document.object();
    if (operation == QLatin1String("values.batchUpdate"))
        return batchUpdateValues(sheet, object);
    if (operation == QLatin1String("values.append"))
        return appendValues(sheet, range, query, object);
    if (operation == QLatin1String("values.batchClear"))
        return batchClear(sheet, object);
    return batchUpdate(sheet, object);
}

} // namespace syncline::testfakes::googlesheets
