// Mapping rows to payloads: every column kind and cast with the exact JSON a destination
// receives, templates, constants, keys (single and composite), NULL keys, and the hashes
// that change detection compares (only the mapped payload counts).

#include "engine/mapping/mapper.h"
#include "engine/warehouse/odbcconnection.h"
#include "engine/warehouse/rowbatch.h"
#include "engine/warehouse/rowbatchbuilder.h"

#include <QTemporaryDir>
#include <QTest>

#include <cmath>
#include <cstdio>
#include <cstring>
#include <limits>
#include <xxhash.h>

using namespace syncline::engine;
using namespace syncline::engine::mapping;
using namespace syncline::engine::warehouse;
using Cell = RowBatchBuilder::Cell;

namespace {

MappingEntry column(const QString &name, const QString &field, const QString &cast = {})
{
    return MappingEntry::fromColumn(name, field, cast);
}

MappingEntry templated(const QString &text, const QString &field, const QString &cast = {})
{
    return MappingEntry::fromTemplate(text, field, cast);
}

MappingEntry constant(const QString &value, const QString &field, const QString &cast = {})
{
    return MappingEntry::fromValue(value, field, cast);
}

connector::ObjectSpec anyFields()
{
    return connector::ObjectSpec { QStringLiteral("things"), QStringLiteral("Things"), true, {} };
}

SyncDef sync(std::vector<MappingEntry> mapping, const QString &matchColumn = {}, const QString &matchField = {})
{
    SyncDef def;
    def.name = QStringLiteral("test");
    def.mapping = std::move(mapping);
    def.matchColumn = matchColumn;
    def.matchField = matchField;
    return def;
}

Mapper compileOrDie(const SyncDef &def, const std::vector<Column> &columns, const QStringList &key)
{
    auto mapper = Mapper::compile(def, columns, key, anyFields());
    if (!mapper)
        qFatal("mapping did not compile: %s", qPrintable(mapper.error().message));
    return std::move(*mapper);
}

struct Mapped
{
    bool ok = false;
    MappedRow row;
    QString reason;
};

Mapped mapRow(Mapper &mapper, const RowBatch &batch, int row)
{
    Mapped mapped;
    mapped.ok = mapper.map(batch, row, mapped.row, &mapped.reason);
    return mapped;
}

} // namespace

Q_DECLARE_METATYPE(Cell)
Q_DECLARE_METATYPE(ColumnKind)

class MapperTest : public QObject
{
    Q_OBJECT

private slots:
    void everyColumnKindMapsToCanonicalJson()
    {
        const std::vector<Column> columns = {
            RowBatchBuilder::column(QStringLiteral("id"), ColumnKind::Integer),
            RowBatchBuilder::column(QStringLiteral("ratio"), ColumnKind::Real),
            RowBatchBuilder::column(QStringLiteral("amount"), ColumnKind::Decimal),
            RowBatchBuilder::column(QStringLiteral("active"), ColumnKind::Boolean),
            RowBatchBuilder::column(QStringLiteral("day"), ColumnKind::Date),
            RowBatchBuilder::column(QStringLiteral("at"), ColumnKind::Time),
            RowBatchBuilder::column(QStringLiteral("moment"), ColumnKind::Timestamp),
            RowBatchBuilder::column(QStringLiteral("instant"), ColumnKind::TimestampTz),
            RowBatchBuilder::column(QStringLiteral("name"), ColumnKind::Text),
            RowBatchBuilder::column(QStringLiteral("blob"), ColumnKind::Binary),
        };
        std::vector<MappingEntry> mapping;
        for (const Column &c : columns) {
            if (c.name != QLatin1String("id"))
                mapping.push_back(column(c.name, c.name));
        }
        Mapper mapper = compileOrDie(
            sync(mapping, QStringLiteral("id"), QStringLiteral("id")), columns, { QStringLiteral("id") });
        QCOMPARE(mapper.fields().first(), QStringLiteral("id"));
        QCOMPARE(mapper.fields().size(), qsizetype(10));

        RowBatchBuilder builder(columns);
        builder.addRow({ std::int64_t(42), 0.1, std::string("-123.4500"), true, std::string("2024-03-01"),
            std::string("10:15:00"), std::string("2024-03-01T10:15:00.5"), std::string("2024-03-01T10:15:00Z"),
            std::string("h\xc3\xa9llo \"q\"\n\t\\ \x01 \xf0\x9f\x98\x80"), std::string("\x00\x01\xff", 3) });
        builder.addRow(
            { std::int64_t(-7), Cell {}, Cell {}, Cell {}, Cell {}, Cell {}, Cell {}, Cell {}, Cell {}, Cell {} });
        const RowBatch batch = builder.build();

        Mapped first = mapRow(mapper, batch, 0);
        QVERIFY2(first.ok, qPrintable(first.reason));
        QCOMPARE(first.row.key, std::string("42"));
        QCOMPARE(first.row.payload,
            std::string("{\"id\":42,\"ratio\":0.1,\"amount\":\"-123.4500\",\"active\":true,\"day\":\"2024-03-01\","
                        "\"at\":\"10:15:00\",\"moment\":\"2024-03-01T10:15:00.5\",\"instant\":\"2024-03-01T10:15:00Z\","
                        "\"name\":\"h\xc3\xa9llo \\\"q\\\"\\n\\t\\\\ \\u0001 \xf0\x9f\x98\x80\",\"blob\":\"AAH/\"}"));

        Mapped second = mapRow(mapper, batch, 1);
        QVERIFY2(second.ok, qPrintable(second.reason));
        QCOMPARE(second.row.key, std::string("-7"));
        QCOMPARE(second.row.payload,
            std::string("{\"id\":-7,\"ratio\":null,\"amount\":null,\"active\":null,\"day\":null,\"at\":null,"
                        "\"moment\":null,\"instant\":null,\"name\":null,\"blob\":null}"));
    }

    void matchValueIsLocatedInThePayload()
    {
        const std::vector<Column> columns = {
            RowBatchBuilder::column(QStringLiteral("id"), ColumnKind::Integer),
            RowBatchBuilder::column(QStringLiteral("region"), ColumnKind::Text),
            RowBatchBuilder::column(QStringLiteral("email"), ColumnKind::Text),
        };
        RowBatchBuilder builder(columns);
        builder.addRow({ std::int64_t(42), std::string("eu"), std::string("Ann@x.org") });
        const RowBatch batch = builder.build();
        auto token = [](const MappedRow &row) { return row.payload.substr(row.matchOffset, row.matchLength); };

        // The match field mapped in the middle of the mapping: found where the mapping put it.
        Mapper byEmail = compileOrDie(
            sync({ column(QStringLiteral("region"), QStringLiteral("region")),
                     column(QStringLiteral("email"), QStringLiteral("email")) },
                QStringLiteral("email"), QStringLiteral("email")),
            columns, { QStringLiteral("id") });
        Mapped mapped = mapRow(byEmail, batch, 0);
        QVERIFY(mapped.ok);
        QCOMPARE(token(mapped.row), std::string("\"Ann@x.org\""));
        QVERIFY(!byEmail.matchIsKey());
        QCOMPARE(byEmail.matchColumn(), 2);

        // Matched on the one-column key: match values are as unique as keys.
        Mapper byId = compileOrDie(sync({}, QStringLiteral("id"), QStringLiteral("id")), columns, { QStringLiteral("id") });
        mapped = mapRow(byId, batch, 0);
        QCOMPARE(token(mapped.row), std::string("42"));
        QVERIFY(byId.matchIsKey());

        // One column of a composite key, or the key cast to something else, can collide.
        QVERIFY(!compileOrDie(sync({}, QStringLiteral("id"), QStringLiteral("id")), columns,
            { QStringLiteral("id"), QStringLiteral("region") })
                     .matchIsKey());
        QVERIFY(!compileOrDie(sync({ column(QStringLiteral("id"), QStringLiteral("id"), QStringLiteral("text")) },
                                  QStringLiteral("id"), QStringLiteral("id")),
            columns, { QStringLiteral("id") })
                     .matchIsKey());

        // No match: no match value.
        Mapper none = compileOrDie(sync({ column(QStringLiteral("email"), QStringLiteral("email")) }), columns,
            { QStringLiteral("id") });
        mapped = mapRow(none, batch, 0);
        QCOMPARE(mapped.row.matchLength, 0u);
        QCOMPARE(none.matchColumn(), -1);
    }

    void stringsAreEscapedWhereverTheSpecialByteSits()
    {
        // A plain reference escaper, byte by byte, to compare the fast one with.
        auto reference = [](const std::string &text) {
            std::string out = "\"";
            for (unsigned char c : text) {
                if (c == '"')
                    out += "\\\"";
                else if (c == '\\')
                    out += "\\\\";
                else if (c == '\n')
                    out += "\\n";
                else if (c == '\t')
                    out += "\\t";
                else if (c < 0x20) {
                    char escaped[8];
                    std::snprintf(escaped, sizeof escaped, "\\u%04x", c);
                    out += escaped;
                } else
                    out += static_cast<char>(c);
            }
            return out + "\"";
        };
        const std::vector<Column> columns = { RowBatchBuilder::column(QStringLiteral("id"), ColumnKind::Integer),
            RowBatchBuilder::column(QStringLiteral("s"), ColumnKind::Text) };
        Mapper mapper = compileOrDie(
            sync({ column(QStringLiteral("s"), QStringLiteral("s")) }), columns, { QStringLiteral("id") });
        RowBatchBuilder builder(columns);
        std::vector<std::string> texts;
        for (const char *special : { "\"", "\\", "\n", "\t", "\x1f", "\x01", "\x7f", "\xc3\xa9", "~", " " }) {
            for (size_t position = 0; position <= 20; ++position) {
                std::string text(20, 'a');
                text.insert(position, special);
                texts.push_back(text);
            }
        }
        for (size_t i = 0; i < texts.size(); ++i)
            builder.addRow({ std::int64_t(i), texts[i] });
        const RowBatch batch = builder.build();
        for (size_t i = 0; i < texts.size(); ++i) {
            Mapped mapped = mapRow(mapper, batch, static_cast<int>(i));
            QVERIFY(mapped.ok);
            QCOMPARE(mapped.row.payload, "{\"s\":" + reference(texts[i]) + "}");
        }
    }

    void castsConvertValues_data()
    {
        QTest::addColumn<ColumnKind>("kind");
        QTest::addColumn<Cell>("cell");
        QTest::addColumn<QString>("cast");
        QTest::addColumn<QString>("expected"); // the field's JSON, or "!reason" for an invalid row

        auto text = [](const char *value) { return Cell { std::string(value) }; };
        QTest::newRow("text to number") << ColumnKind::Text << text("42") << "number"
                                        << "42";
        QTest::newRow("signed padded text to number") << ColumnKind::Text << text(" +007.50 ") << "number"
                                                      << "7.50";
        QTest::newRow("bare point to number") << ColumnKind::Text << text("-.5") << "number"
                                              << "-0.5";
        QTest::newRow("exponent to number") << ColumnKind::Text << text("1E3") << "number"
                                            << "1e3";
        QTest::newRow("non-numeric text") << ColumnKind::Text << text("abc") << "number"
                                          << "!column v: 'abc' is not a number";
        QTest::newRow("text to integer") << ColumnKind::Text << text("0012") << "integer"
                                         << "12";
        QTest::newRow("whole decimal text to integer") << ColumnKind::Text << text("12.000") << "integer"
                                                       << "12";
        QTest::newRow("fraction to integer") << ColumnKind::Text << text("1.5") << "integer"
                                             << "!column v: '1.5' is not an integer";
        QTest::newRow("decimal to number") << ColumnKind::Decimal << text("12.50") << "number"
                                           << "12.50";
        QTest::newRow("decimal to integer") << ColumnKind::Decimal << text("-12.00") << "integer"
                                            << "-12";
        QTest::newRow("decimal to text") << ColumnKind::Decimal << text("0.10") << "text"
                                         << "\"0.10\"";
        QTest::newRow("decimal to boolean") << ColumnKind::Decimal << text("1.0") << "boolean"
                                            << "true";
        QTest::newRow("whole real to integer") << ColumnKind::Real << Cell { 3.0 } << "integer"
                                               << "3";
        QTest::newRow("fractional real to integer") << ColumnKind::Real << Cell { 2.5 } << "integer"
                                                    << "!column v: '2.5' is not an integer";
        QTest::newRow("large real") << ColumnKind::Real << Cell { 1e21 } << ""
                                    << "1e+21";
        QTest::newRow("negative zero") << ColumnKind::Real << Cell { -0.0 } << ""
                                       << "0";
        QTest::newRow("shortest round trip") << ColumnKind::Real << Cell { 1.0 / 3.0 } << "number"
                                             << "0.3333333333333333";
        QTest::newRow("not a number") << ColumnKind::Real << Cell { std::nan("") } << ""
                                      << "!column v: 'nan' is not a finite number";
        QTest::newRow("real to text") << ColumnKind::Real << Cell { 0.5 } << "text"
                                      << "\"0.5\"";
        QTest::newRow("smallest integer")
            << ColumnKind::Integer << Cell { std::numeric_limits<std::int64_t>::min() } << ""
            << "-9223372036854775808";
        QTest::newRow("integer to text") << ColumnKind::Integer << Cell { std::int64_t(42) } << "text"
                                         << "\"42\"";
        QTest::newRow("integer 1 to boolean") << ColumnKind::Integer << Cell { std::int64_t(1) } << "boolean"
                                              << "true";
        QTest::newRow("integer 2 to boolean") << ColumnKind::Integer << Cell { std::int64_t(2) } << "boolean"
                                              << "!column v: '2' is not a boolean (0 or 1)";
        QTest::newRow("boolean to integer") << ColumnKind::Boolean << Cell { true } << "integer"
                                            << "1";
        QTest::newRow("boolean to text") << ColumnKind::Boolean << Cell { false } << "text"
                                         << "\"false\"";
        QTest::newRow("yes") << ColumnKind::Text << text("yes") << "boolean"
                             << "true";
        QTest::newRow("F") << ColumnKind::Text << text("F") << "boolean"
                           << "false";
        QTest::newRow("0") << ColumnKind::Text << text("0") << "boolean"
                           << "false";
        QTest::newRow("t") << ColumnKind::Text << text("t") << "boolean"
                           << "true";
        QTest::newRow("maybe") << ColumnKind::Text << text("maybe") << "boolean"
                               << "!column v: 'maybe' is not a boolean (true/false, 1/0, yes/no, t/f)";
        QTest::newRow("date to format") << ColumnKind::Date << text("2024-03-01") << "date:dd.MM.yyyy"
                                        << "\"01.03.2024\"";
        QTest::newRow("text in the format") << ColumnKind::Text << text("01.03.2024") << "date:dd.MM.yyyy"
                                            << "\"01.03.2024\"";
        QTest::newRow("iso text to date") << ColumnKind::Text << text("2024-03-01") << "date"
                                          << "\"2024-03-01\"";
        QTest::newRow("not a date") << ColumnKind::Text << text("abc") << "date"
                                    << "!column v: 'abc' is not a date";
        QTest::newRow("impossible date") << ColumnKind::Text << text("2023-02-29") << "date"
                                         << "!column v: '2023-02-29' is not a date";
        QTest::newRow("timestamp to format")
            << ColumnKind::Timestamp << text("2024-03-01T10:15:00") << "timestamp:yyyy/MM/dd HH:mm"
            << "\"2024/03/01 10:15\"";
        QTest::newRow("offset to utc") << ColumnKind::Text << text("2024-03-01 10:15:00+02:00") << "timestamp"
                                       << "\"2024-03-01T08:15:00Z\"";
        QTest::newRow("utc timestamp to date") << ColumnKind::TimestampTz << text("2024-03-01T23:30:00Z") << "date"
                                               << "\"2024-03-01\"";
        QTest::newRow("date to timestamp") << ColumnKind::Date << text("2024-03-01") << "timestamp"
                                           << "\"2024-03-01T00:00:00\"";
        QTest::newRow("timestamp keeps fraction")
            << ColumnKind::Timestamp << text("2024-03-01T10:15:00.123456") << "timestamp"
            << "\"2024-03-01T10:15:00.123456\"";
        QTest::newRow("json text") << ColumnKind::Text << text("{ \"a\" : [1, 2], \"b\": \"x y\" }") << "json"
                                   << "{\"a\":[1,2],\"b\":\"x y\"}";
        QTest::newRow("bad json") << ColumnKind::Text << text("{bad") << "json"
                                  << "!column v: '{bad' is not valid JSON";
        QTest::newRow("binary") << ColumnKind::Binary << Cell { std::string("\xfb\xff", 2) } << "text"
                                << "\"+/8=\"";
    }

    void castsConvertValues()
    {
        QFETCH(ColumnKind, kind);
        QFETCH(Cell, cell);
        QFETCH(QString, cast);
        QFETCH(QString, expected);
        const std::vector<Column> columns = { RowBatchBuilder::column(QStringLiteral("k"), ColumnKind::Integer),
            RowBatchBuilder::column(QStringLiteral("v"), kind) };
        Mapper mapper = compileOrDie(
            sync({ column(QStringLiteral("v"), QStringLiteral("f"), cast) }), columns, { QStringLiteral("k") });
        RowBatchBuilder builder(columns);
        builder.addRow({ std::int64_t(1), cell });
        const RowBatch batch = builder.build();
        Mapped mapped = mapRow(mapper, batch, 0);
        if (expected.startsWith(QLatin1Char('!'))) {
            QVERIFY2(!mapped.ok, mapped.row.payload.c_str());
            QCOMPARE(mapped.reason, expected.mid(1));
            QCOMPARE(mapped.row.key, std::string("1")); // the key is known even when the payload is not
        } else {
            QVERIFY2(mapped.ok, qPrintable(mapped.reason));
            QCOMPARE(
                QString::fromStdString(mapped.row.payload), QStringLiteral("{\"f\":") + expected + QLatin1Char('}'));
        }
    }

    void templatesRenderTheRowAsPlainText()
    {
        const std::vector<Column> columns = { RowBatchBuilder::column(QStringLiteral("id"), ColumnKind::Integer),
            RowBatchBuilder::column(QStringLiteral("first"), ColumnKind::Text),
            RowBatchBuilder::column(QStringLiteral("last"), ColumnKind::Text),
            RowBatchBuilder::column(QStringLiteral("vip"), ColumnKind::Boolean) };
        Mapper mapper
            = compileOrDie(sync({ templated(QStringLiteral("{{first}} {{last}}"), QStringLiteral("full_name")),
                               templated(QStringLiteral("{{#last}}has last{{/last}}{{^last}}no last{{/last}}"),
                                   QStringLiteral("flag")),
                               templated(QStringLiteral("#{{id}}-{{vip}}"), QStringLiteral("tag")),
                               templated(QStringLiteral("{{id}}0"), QStringLiteral("n"), QStringLiteral("integer")) }),
                columns, { QStringLiteral("id") });
        RowBatchBuilder builder(columns);
        builder.addRow({ std::int64_t(7), std::string("Siobh\xc3\xa1n"), std::string("O'Brien & <Co>"), true });
        builder.addRow({ std::int64_t(8), std::string("Ann"), Cell {}, false });
        const RowBatch batch = builder.build();

        Mapped first = mapRow(mapper, batch, 0);
        QVERIFY2(first.ok, qPrintable(first.reason));
        QCOMPARE(first.row.payload,
            std::string("{\"full_name\":\"Siobh\xc3\xa1n O'Brien & <Co>\",\"flag\":\"has last\","
                        "\"tag\":\"#7-true\",\"n\":70}"));
        Mapped second = mapRow(mapper, batch, 1);
        QVERIFY2(second.ok, qPrintable(second.reason));
        QCOMPARE(second.row.payload,
            std::string("{\"full_name\":\"Ann \",\"flag\":\"no last\",\"tag\":\"#8-false\",\"n\":80}"));

        // A copy renders on its own scratch and gives the same bytes.
        Mapper copy = mapper;
        Mapped again = mapRow(copy, batch, 0);
        QCOMPARE(again.row.payload, first.row.payload);
    }

    void templateCastFailureNamesTheField()
    {
        const std::vector<Column> columns = { RowBatchBuilder::column(QStringLiteral("id"), ColumnKind::Integer),
            RowBatchBuilder::column(QStringLiteral("s"), ColumnKind::Text) };
        Mapper mapper
            = compileOrDie(sync({ templated(QStringLiteral("{{s}}!"), QStringLiteral("n"), QStringLiteral("number")) }),
                columns, { QStringLiteral("id") });
        RowBatchBuilder builder(columns);
        builder.addRow({ std::int64_t(1), std::string("x") });
        Mapped mapped = mapRow(mapper, builder.build(), 0);
        QVERIFY(!mapped.ok);
        QCOMPARE(mapped.reason, QStringLiteral("template for field n: 'x!' is not a number"));
    }

    void constantsAreStringsUnlessCast()
    {
        const std::vector<Column> columns = { RowBatchBuilder::column(QStringLiteral("id"), ColumnKind::Integer) };
        Mapper mapper = compileOrDie(
            sync({ constant(QStringLiteral("warehouse"), QStringLiteral("source")),
                constant(QStringLiteral("42"), QStringLiteral("answer")),
                constant(QStringLiteral("42"), QStringLiteral("count"), QStringLiteral("integer")),
                constant(QStringLiteral("yes"), QStringLiteral("on"), QStringLiteral("boolean")),
                constant(QStringLiteral("{\"a\": 1}"), QStringLiteral("meta"), QStringLiteral("json")) }),
            columns, { QStringLiteral("id") });
        RowBatchBuilder builder(columns);
        builder.addRow({ std::int64_t(1) });
        Mapped mapped = mapRow(mapper, builder.build(), 0);
        QVERIFY2(mapped.ok, qPrintable(mapped.reason));
        QCOMPARE(mapped.row.payload,
            std::string("{\"source\":\"warehouse\",\"answer\":\"42\",\"count\":42,\"on\":true,\"meta\":{\"a\":1}}"));
    }

    void compositeKeyIsACompactJsonArray()
    {
        const std::vector<Column> columns = { RowBatchBuilder::column(QStringLiteral("id"), ColumnKind::Integer),
            RowBatchBuilder::column(QStringLiteral("region"), ColumnKind::Text),
            RowBatchBuilder::column(QStringLiteral("v"), ColumnKind::Text) };
        Mapper mapper = compileOrDie(sync({ column(QStringLiteral("v"), QStringLiteral("v")) }), columns,
            { QStringLiteral("id"), QStringLiteral("region") });
        RowBatchBuilder builder(columns);
        builder.addRow({ std::int64_t(42), std::string("eu \"west\""), std::string("x") });
        builder.addRow({ std::int64_t(42), Cell {}, std::string("x") });
        const RowBatch batch = builder.build();
        Mapped mapped = mapRow(mapper, batch, 0);
        QVERIFY2(mapped.ok, qPrintable(mapped.reason));
        QCOMPARE(mapped.row.key, std::string("[42,\"eu \\\"west\\\"\"]"));
        QCOMPARE(mapped.row.keyHash, XXH3_64bits(mapped.row.key.data(), mapped.row.key.size()));

        Mapped nullPart = mapRow(mapper, batch, 1);
        QVERIFY(!nullPart.ok);
        QCOMPARE(nullPart.reason, QStringLiteral("primary key column region is NULL"));
        QCOMPARE(nullPart.row.key, std::string()); // no half-built key is left behind
        QCOMPARE(nullPart.row.keyHash, std::uint64_t(0));
    }

    void nullKeyMakesTheRowInvalid()
    {
        const std::vector<Column> columns = { RowBatchBuilder::column(QStringLiteral("id"), ColumnKind::Text),
            RowBatchBuilder::column(QStringLiteral("v"), ColumnKind::Text) };
        Mapper mapper = compileOrDie(
            sync({ column(QStringLiteral("v"), QStringLiteral("v")) }), columns, { QStringLiteral("id") });
        RowBatchBuilder builder(columns);
        builder.addRow({ Cell {}, std::string("x") });
        builder.addRow({ std::string("a@b.c"), std::string("x") });
        const RowBatch batch = builder.build();
        Mapped invalid = mapRow(mapper, batch, 0);
        QVERIFY(!invalid.ok);
        QCOMPARE(invalid.reason, QStringLiteral("primary key column id is NULL"));
        Mapped valid = mapRow(mapper, batch, 1);
        QVERIFY(valid.ok);
        QCOMPARE(valid.row.key, std::string("a@b.c")); // a one-column key is the value's text, unquoted
    }

    void payloadHashIsXxh3_128OfThePayloadBytes()
    {
        const std::vector<Column> columns = { RowBatchBuilder::column(QStringLiteral("id"), ColumnKind::Integer),
            RowBatchBuilder::column(QStringLiteral("email"), ColumnKind::Text) };
        Mapper mapper = compileOrDie(
            sync({ column(QStringLiteral("email"), QStringLiteral("email")) }), columns, { QStringLiteral("id") });
        RowBatchBuilder builder(columns);
        builder.addRow({ std::int64_t(1), std::string("a@x") });
        Mapped mapped = mapRow(mapper, builder.build(), 0);
        QVERIFY(mapped.ok);
        XXH128_canonical_t canonical;
        XXH128_canonicalFromHash(&canonical, XXH3_128bits(mapped.row.payload.data(), mapped.row.payload.size()));
        QVERIFY(std::memcmp(canonical.digest, mapped.row.payloadHash.data(), 16) == 0);
        QCOMPARE(mapped.row.keyHash, XXH3_64bits("1", 1));
    }

    void unmappedColumnChurnDoesNotChangeTheHash()
    {
        const std::vector<Column> columns = { RowBatchBuilder::column(QStringLiteral("id"), ColumnKind::Integer),
            RowBatchBuilder::column(QStringLiteral("email"), ColumnKind::Text),
            RowBatchBuilder::column(QStringLiteral("updated_at"), ColumnKind::Timestamp),
            RowBatchBuilder::column(QStringLiteral("score"), ColumnKind::Real) };
        Mapper mapper = compileOrDie(sync({ column(QStringLiteral("email"), QStringLiteral("email")) },
                                         QStringLiteral("id"), QStringLiteral("id")),
            columns, { QStringLiteral("id") });
        RowBatchBuilder builder(columns);
        builder.addRow({ std::int64_t(1), std::string("a@x"), std::string("2024-01-01T00:00:00"), 1.5 });
        builder.addRow({ std::int64_t(1), std::string("a@x"), std::string("2025-06-30T12:00:00"), 99.0 });
        builder.addRow({ std::int64_t(1), std::string("b@x"), std::string("2024-01-01T00:00:00"), 1.5 });
        const RowBatch batch = builder.build();
        const Mapped before = mapRow(mapper, batch, 0);
        const Mapped churned = mapRow(mapper, batch, 1);
        const Mapped changed = mapRow(mapper, batch, 2);
        QVERIFY(before.ok && churned.ok && changed.ok);
        QCOMPARE(churned.row.payload, before.row.payload);
        QVERIFY(churned.row.payloadHash == before.row.payloadHash);
        QVERIFY(changed.row.payloadHash != before.row.payloadHash);
        QCOMPARE(changed.row.keyHash, before.row.keyHash);
    }

    void rowsReadThroughSqliteOdbcMapLikeBuiltOnes()
    {
        QTemporaryDir dir;
        ConnectionSpec spec;
        spec.connectionString = QStringLiteral("Driver={SQLite3};Database=") + dir.filePath(QStringLiteral("w.db"));
        auto connection = OdbcConnection::open(spec);
        QVERIFY2(connection.has_value(), qPrintable(connection ? QString() : connection.error().message));
        for (const char *sql : { "CREATE TABLE customers (id integer primary key, email text, first_name text, "
                                 "last_name text, ltv double, signup date, flag boolean)",
                 "INSERT INTO customers VALUES (1, 'a@x', 'Ada', 'Lovelace', 12.5, '2024-03-01', 1)",
                 "INSERT INTO customers VALUES (2, NULL, 'Bob', NULL, NULL, NULL, 0)" }) {
            auto done = (*connection)->executeUpdate(QString::fromUtf8(sql));
            QVERIFY2(done.has_value(), qPrintable(done ? QString() : done.error().message));
        }
        auto cursor = (*connection)->execute(QStringLiteral("SELECT * FROM customers ORDER BY id"));
        QVERIFY2(cursor.has_value(), qPrintable(cursor ? QString() : cursor.error().message));
        Mapper mapper = compileOrDie(
            sync({ column(QStringLiteral("email"), QStringLiteral("email")),
                     templated(QStringLiteral("{{first_name}} {{last_name}}"), QStringLiteral("name")),
                     column(QStringLiteral("ltv"), QStringLiteral("ltv")),
                     column(QStringLiteral("signup"), QStringLiteral("signup"), QStringLiteral("date:dd.MM.yyyy")),
                     column(QStringLiteral("flag"), QStringLiteral("flag")) },
                QStringLiteral("id"), QStringLiteral("id")),
            (*cursor)->columns(), { QStringLiteral("id") });
        RowBatch batch;
        auto more = (*cursor)->fetch(batch);
        QVERIFY(more.has_value() && *more);
        QCOMPARE(batch.rowCount(), 2);
        Mapped first = mapRow(mapper, batch, 0);
        QVERIFY2(first.ok, qPrintable(first.reason));
        QCOMPARE(first.row.payload,
            std::string("{\"id\":1,\"email\":\"a@x\",\"name\":\"Ada Lovelace\",\"ltv\":12.5,"
                        "\"signup\":\"01.03.2024\",\"flag\":true}"));
        Mapped second = mapRow(mapper, batch, 1);
        QVERIFY2(second.ok, qPrintable(second.reason));
        QCOMPARE(second.row.payload,
            std::string("{\"id\":2,\"email\":null,\"name\":\"Bob \",\"ltv\":null,\"signup\":null,\"flag\":false}"));
    }
};

QTEST_GUILESS_MAIN(MapperTest)
#include "tst_mapper.moc"
