#include "engine/state/payloadshapes.h"

#include "engine/state/sqlitestatement.h"

#include <sqlite3.h>

namespace syncline::engine::state {

namespace {

Error shapeError(const QString &message)
{
    return Error { QStringLiteral("workspace.payload"), message, false, {} };
}

void payloadJsonFunction(sqlite3_context *context, int, sqlite3_value **argv)
{
    sqlite3_value *value = argv[0];
    if (sqlite3_value_type(value) != SQLITE_BLOB) {
        sqlite3_result_value(context, value); // NULL, or a payload stored as text
        return;
    }
    auto *shapes = static_cast<PayloadShapes *>(sqlite3_user_data(context));
    const auto *data = static_cast<const char *>(sqlite3_value_blob(value));
    const std::string_view blob(data ? data : "", size_t(sqlite3_value_bytes(value)));
    thread_local std::string json;
    json.clear();
    if (auto ok = shapes->decode(blob, json); !ok) {
        const QByteArray message = ok.error().message.toUtf8();
        sqlite3_result_error(context, message.constData(), int(message.size()));
        return;
    }
    sqlite3_result_text(context, json.data(), int(json.size()), SQLITE_TRANSIENT);
}

void rollbackHook(void *shapes)
{
    static_cast<PayloadShapes *>(shapes)->forget();
}

} // namespace

PayloadShapes::PayloadShapes(sqlite3 *db) : m_db(db) {}

Result<void> PayloadShapes::install()
{
    const int rc = sqlite3_create_function_v2(m_db, "payload_json", 1, SQLITE_UTF8 | SQLITE_DETERMINISTIC, this,
                                              payloadJsonFunction, nullptr, nullptr, nullptr);
    if (rc != SQLITE_OK)
        return fail(QStringLiteral("workspace.open"),
                    QStringLiteral("cannot register payload_json on the workspace: %1").arg(QString::fromUtf8(sqlite3_errstr(rc))));
    sqlite3_rollback_hook(m_db, rollbackHook, this);
    return {};
}

void PayloadShapes::forget()
{
    m_byId.clear();
    m_byFields.clear();
    m_last.reset();
    m_lastId = 0;
    m_samples.clear();
}

Result<bool> PayloadShapes::encode(std::string_view json, std::string &out)
{
    if (!m_last || !payloadcodec::encode(json, *m_last, m_lastId, out)) {
        auto shape = payloadcodec::shapeOf(json);
        if (!shape)
            return false;
        auto id = idFor(*shape);
        if (!id)
            return std::unexpected(id.error());
        auto known = this->shape(*id);
        if (!known)
            return std::unexpected(known.error());
        m_last = *known;
        m_lastId = *id;
        m_samples.clear();
        if (!payloadcodec::encode(json, *m_last, m_lastId, out))
            return false;
    }
    if (m_last->dictionaries.empty() && !m_last->pieces.empty())
        if (auto ok = sample(json); !ok)
            return std::unexpected(ok.error());
    return true;
}

Result<void> PayloadShapes::sample(std::string_view json)
{
    m_samples.emplace_back(json);
    if (m_samples.size() < TrainingSamples)
        return {};
    const std::string dictionary = payloadcodec::train(*m_last, m_samples);
    m_samples.clear();
    auto id = insert(m_last->fields, dictionary);
    if (!id)
        return std::unexpected(id.error());
    auto trained = shape(*id);
    if (!trained)
        return std::unexpected(trained.error());
    m_byFields[m_last->fields] = *id;
    m_last = *trained;
    m_lastId = *id;
    return {};
}

Result<void> PayloadShapes::decode(std::string_view blob, std::string &json)
{
    const auto id = payloadcodec::shapeIdOf(blob);
    if (!id)
        return std::unexpected(shapeError(QStringLiteral("a stored payload is damaged (no shape); reset the sync's state")));
    auto shape = this->shape(*id);
    if (!shape)
        return std::unexpected(shape.error());
    if (!payloadcodec::decode(blob, **shape, json))
        return std::unexpected(shapeError(
            QStringLiteral("a stored payload does not match its shape %1; reset the sync's state").arg(*id)));
    return {};
}

Result<std::shared_ptr<const payloadcodec::Shape>> PayloadShapes::shape(std::int64_t id)
{
    if (auto found = m_byId.find(id); found != m_byId.end())
        return found->second;
    auto s = SqliteStatement::prepare(m_db, QStringLiteral("SELECT fields, dictionary FROM payload_shapes WHERE id = ?1"));
    if (!s)
        return std::unexpected(s.error());
    s->bind(1, qint64(id));
    auto row = s->step();
    if (!row)
        return std::unexpected(row.error());
    if (!*row)
        return std::unexpected(shapeError(
            QStringLiteral("a stored payload refers to shape %1, which the workspace does not have; reset the sync's state")
                .arg(id)));
    const auto *dictionary = static_cast<const char *>(sqlite3_column_blob(s->handle(), 1));
    auto parsed = payloadcodec::parseShape(
        s->textView(0), std::string_view(dictionary ? dictionary : "", size_t(sqlite3_column_bytes(s->handle(), 1))));
    if (!parsed)
        return std::unexpected(shapeError(QStringLiteral("payload shape %1 is damaged; reset the sync's state").arg(id)));
    auto shared = std::make_shared<const payloadcodec::Shape>(std::move(*parsed));
    m_byId.emplace(id, shared);
    return shared;
}

Result<std::int64_t> PayloadShapes::idFor(const payloadcodec::Shape &shape)
{
    if (auto found = m_byFields.find(shape.fields); found != m_byFields.end())
        return found->second;
    auto find = SqliteStatement::prepare(m_db, QStringLiteral("SELECT id FROM payload_shapes WHERE fields = ?1 "
                                                              "ORDER BY dictionary IS NULL, id DESC LIMIT 1"));
    if (!find)
        return std::unexpected(find.error());
    find->bind(1, std::string_view(shape.fields));
    auto row = find->step();
    if (!row)
        return std::unexpected(row.error());
    auto id = *row ? Result<std::int64_t>(find->int64(0)) : insert(shape.fields, {});
    if (id)
        m_byFields.emplace(shape.fields, *id);
    return id;
}

Result<std::int64_t> PayloadShapes::insert(const std::string &fields, const std::string &dictionary)
{
    auto insert = SqliteStatement::prepare(m_db, QStringLiteral("INSERT INTO payload_shapes (fields, dictionary) "
                                                                "VALUES (?1, ?2)"));
    if (!insert)
        return std::unexpected(insert.error());
    insert->bind(1, std::string_view(fields));
    if (dictionary.empty())
        insert->bindNull(2);
    else
        insert->bindBlob(2, dictionary.data(), int(dictionary.size()));
    if (auto ok = insert->run(); !ok)
        return std::unexpected(ok.error());
    return std::int64_t(sqlite3_last_insert_rowid(m_db));
}

} // namespace syncline::engine::state
