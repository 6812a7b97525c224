// The compact payload form: every payload the codec accepts comes back byte for byte (odd
// strings, escapes, unicode, nested values, every kind of number, timestamps in several forms,
// the empty object), text it cannot reproduce exactly is refused, and a contacts-like payload
// takes far fewer bytes than its JSON text.
#include "engine/state/payloadcodec.h"

#include <QTest>

using namespace syncline::engine::state;

namespace {

// Encodes `json` with its own shape, then decodes it; the decoded text, or "<refused>".
std::string roundTrip(const std::string &json, size_t *encodedSize = nullptr)
{
    auto shape = payloadcodec::shapeOf(json);
    if (!shape)
        return "<refused>";
    auto reparsed = payloadcodec::parseShape(shape->fields);
    if (!reparsed || reparsed->pieces != shape->pieces)
        return "<shape does not parse back>";
    std::string blob;
    if (!payloadcodec::encode(json, *reparsed, 7, blob))
        return "<refused>";
    if (encodedSize)
        *encodedSize = blob.size();
    if (payloadcodec::shapeIdOf(blob) != 7)
        return "<wrong shape id>";
    std::string back = "prefix:"; // decode appends
    if (!payloadcodec::decode(blob, *reparsed, back))
        return "<undecodable>";
    return back.substr(7);
}

} // namespace

class TestPayloadCodec : public QObject
{
    Q_OBJECT

private slots:
    void payloadsComeBackByteForByte_data()
    {
        QTest::addColumn<QByteArray>("json");
        const char *cases[][2] = {
            {"empty object", "{}"},
            {"one field", "{\"a\":1}"},
            {"literals", "{\"n\":null,\"t\":true,\"f\":false}"},
            {"unicode", "{\"name\":\"Zoë Łukasz 日本語 🎉\",\"k\":\"\"}"},
            {"escapes", "{\"s\":\"quote \\\" backslash \\\\ tab \\t nl \\n u \\u00e9 \\u0000\"}"},
            {"escaped key", "{\"we\\\"ird key\":\"x\",\"\\u00e9\":2,\"\":3}"},
            {"duplicate keys", "{\"a\":1,\"a\":2}"},
            {"nested", "{\"o\":{\"x\":[1,{\"y\":\"}]\"}],\"z\":{}},\"arr\":[],\"s\":\"]}\"}"},
            {"integers", "{\"a\":0,\"b\":30,\"c\":31,\"d\":-1,\"e\":9223372036854775807,\"f\":-9223372036854775808,"
                         "\"g\":18446744073709551615,\"h\":18446744073709551616,\"i\":-18446744073709551616}"},
            {"odd integers kept raw", "{\"a\":-0,\"b\":007,\"c\":+1}"},
            {"decimals", "{\"a\":1.5,\"b\":-0.05,\"c\":10.00,\"d\":0.0,\"e\":-0.0,\"f\":123456789012.345678,"
                         "\"g\":1234567890123456789.5,\"h\":.5,\"i\":5.,\"j\":01.5}"},
            {"exponents", "{\"a\":1e10,\"b\":-2.5E-3,\"c\":1.7976931348623157e308}"},
            {"timestamps", "{\"a\":\"2024-03-01T10:15:00Z\",\"b\":\"2024-03-01 10:15:00+00\",\"c\":\"2024-03-01\","
                           "\"d\":\"1969-12-31T23:59:59.123456-05:30\",\"e\":\"2024-02-29T00:00:00.5+0130\","
                           "\"f\":\"0001-01-01T00:00:00\",\"g\":\"9999-12-31T23:59:59.999999999Z\"}"},
            {"timestamp look-alikes", "{\"a\":\"2024-02-30T00:00:00\",\"b\":\"2024-13-01\",\"c\":\"2024-03-01T25:00:00\","
                                      "\"d\":\"2024-03-01T10:15:00-00:00\",\"e\":\"2024-03-01T10:15:00.Z\","
                                      "\"f\":\"2024-03-01x\",\"g\":\"2024-03-01T10:15:00+1\"}"},
            {"long string", "{\"s\":\"0123456789012345678901234567890123456789012345678901234567890123456789\"}"},
            {"whitespace inside a value", "{\"o\":{ \"x\" : [ 1 , 2 ] },\"n\": 5 ,\"m\":1 }"},
        };
        for (const auto &c : cases)
            QTest::newRow(c[0]) << QByteArray(c[1]);
        std::string many = "{";
        for (int i = 0; i < 300; ++i)
            many += (i ? ",\"f" : "\"f") + std::to_string(i) + "\":" + std::to_string(i * 997);
        QTest::newRow("300 fields") << QByteArray::fromStdString(many + "}");
    }

    void payloadsComeBackByteForByte()
    {
        QFETCH(QByteArray, json);
        QCOMPARE(QByteArray::fromStdString(roundTrip(json.toStdString())), json);
    }

    void textItCannotReproduceIsRefused_data()
    {
        QTest::addColumn<QByteArray>("json");
        for (const char *text : {"", "[]", "[1,2]", "\"s\"", "12", "null", "{", "{\"a\":1", "{\"a\":1}x", " {\"a\":1}",
                                 "{ \"a\":1}", "{\"a\" :1}", "{\"a\":1,}", "{\"a\":}", "{a:1}",
                                 "{\"a\":\"unterminated}", "{\"a\":{\"b\":1}"})
            QTest::newRow(text) << QByteArray(text);
    }

    void textItCannotReproduceIsRefused()
    {
        QFETCH(QByteArray, json);
        QCOMPARE(QByteArray::fromStdString(roundTrip(json.toStdString())), QByteArray("<refused>"));
    }

    void aPayloadOfAnotherShapeIsRefusedAndNothingIsWritten()
    {
        auto shape = payloadcodec::shapeOf("{\"a\":1,\"b\":2}");
        QVERIFY(shape);
        std::string out = "kept";
        for (const char *other : {"{\"b\":2,\"a\":1}", "{\"a\":1}", "{\"a\":1,\"b\":2,\"c\":3}", "{\"a\":1,\"bb\":2}", "{}",
                                  "{\"a\":1,\"b\":2}  "}) {
            QVERIFY2(!payloadcodec::encode(other, *shape, 1, out), other);
            QCOMPARE(QByteArray::fromStdString(out), QByteArray("kept"));
        }
        auto empty = payloadcodec::shapeOf("{}");
        QVERIFY(empty && empty->fields == "[]");
        QVERIFY(!payloadcodec::encode("{\"a\":1}", *empty, 1, out));
    }

    void damagedBlobsAreReportedNotMisread()
    {
        const std::string json = "{\"s\":\"hello world\",\"n\":12345,\"t\":\"2024-03-01T10:15:00Z\"}";
        auto shape = payloadcodec::shapeOf(json);
        QVERIFY(shape);
        std::string blob;
        QVERIFY(payloadcodec::encode(json, *shape, 1, blob));
        std::string out;
        for (size_t cut = 0; cut < blob.size(); ++cut) {
            out.clear();
            QVERIFY2(!payloadcodec::decode(blob.substr(0, cut), *shape, out), qPrintable(QString::number(cut)));
            QVERIFY(out.empty());
        }
        out.clear();
        QVERIFY(!payloadcodec::decode(blob + "x", *shape, out));
        auto fewer = payloadcodec::shapeOf("{\"s\":1}");
        QVERIFY(!payloadcodec::decode(blob, *fewer, out));
        QVERIFY(!payloadcodec::parseShape("[\"a\",]"));
        QVERIFY(!payloadcodec::parseShape("[\"a\" \"b\"]"));
        QVERIFY(!payloadcodec::parseShape("{\"a\"}"));
    }

    void aTrainedShapeGivesEveryPayloadBackByteForByte()
    {
        // Trained on strings with shared values, prefixes and suffixes, escapes among them.
        std::vector<std::string> samples;
        for (int i = 0; i < 200; ++i)
            samples.push_back("{\"e\":\"user" + std::to_string(i) + (i % 2 ? "@example.com" : "@mail.test")
                              + "\",\"s\":\"" + (i % 3 ? "act\\\"ive" : "paused") + "\",\"q\":\"" + std::to_string(i)
                              + "\",\"n\":" + std::to_string(i) + "}");
        auto untrained = payloadcodec::shapeOf(samples.front());
        QVERIFY(untrained);
        const std::string dictionary = payloadcodec::train(*untrained, samples);
        auto shape = payloadcodec::parseShape(untrained->fields, dictionary);
        QVERIFY(shape && shape->dictionaries.size() == 4);
        QVERIFY(!shape->dictionaries[0].prefixes.empty() && !shape->dictionaries[0].suffixes.empty());
        QVERIFY(!shape->dictionaries[1].values.empty());
        std::vector<std::string> payloads = samples;
        for (const char *odd : {"{\"e\":\"user\",\"s\":\"\",\"q\":\"007\",\"n\":null}",
                                "{\"e\":\"user@example.com\",\"s\":\"act\\\"ive\",\"q\":\"-0.50\",\"n\":-3}",
                                "{\"e\":\"u@mail.test\",\"s\":\"paused \",\"q\":\"12.50\",\"n\":1.0}",
                                "{\"e\":\"usermail.test\",\"s\":\"\\u00e9\",\"q\":\"2305843009213693952\",\"n\":{}}",
                                "{\"e\":\"u\",\"s\":[\"paused\"],\"q\":\"2024-03-01\",\"n\":\"user@mail.test\"}"})
            payloads.push_back(odd);
        size_t trainedBytes = 0, untrainedBytes = 0;
        for (const std::string &json : payloads) {
            std::string blob, plain, back;
            QVERIFY2(payloadcodec::encode(json, *shape, 3, blob), json.c_str());
            QVERIFY(payloadcodec::encode(json, *untrained, 3, plain));
            QVERIFY2(payloadcodec::decode(blob, *shape, back), json.c_str());
            QCOMPARE(back, json);
            trainedBytes += blob.size();
            untrainedBytes += plain.size();
            // Read with the wrong (untrained) shape, a trained payload is refused, never misread.
            back.clear();
            if (blob != plain)
                QVERIFY(!payloadcodec::decode(blob, *untrained, back) || back != json);
        }
        QVERIFY2(trainedBytes * 10 < untrainedBytes * 8,
                 qPrintable(QStringLiteral("%1 vs %2 bytes").arg(trainedBytes).arg(untrainedBytes)));
        QVERIFY(!payloadcodec::parseShape(untrained->fields, dictionary.substr(0, dictionary.size() - 1)));
        QVERIFY(!payloadcodec::parseShape(untrained->fields, dictionary + "x"));
    }

    void aContactTakesFewerThanHalfItsJsonBytes()
    {
        const std::string json = "{\"email\":\"user123457@example.org\",\"first_name\":\"Donald\",\"last_name\":\"Knuth\","
                                 "\"company\":\"Company 3457\",\"plan\":\"pro\",\"seats\":62,\"ltv\":\"6394.83\","
                                 "\"signup_at\":\"2021-07-14 06:32:13+00\",\"last_seen_at\":\"2024-05-02 11:09:51+00\"}";
        size_t size = 0;
        QCOMPARE(roundTrip(json, &size), json);
        QVERIFY2(size * 2 < json.size(), qPrintable(QStringLiteral("%1 of %2 bytes").arg(size).arg(json.size())));
    }
};

QTEST_APPLESS_MAIN(TestPayloadCodec)
#include "tst_payloadcodec.moc"
