// The transport's own HTTP/1.1 wire format: how requests are written and how every kind of answer
// framing is read, fed in one piece and byte by byte (a socket may split anywhere).
#include "connectors/http/contentdecoding.h"
#include "connectors/http/httpconnection.h"
#include "connectors/http/httpresponsereader.h"

#include <QTest>

using namespace syncline::connectors::http;

namespace {

struct Read
{
    bool complete = false;
    bool failed = false;
    int status = 0;
    QByteArray body;
    bool keepAlive = false;
    HeaderList headers;
};

Read readAll(const QByteArray &wire, bool byteByByte, bool closeAtEnd = false, bool head = false)
{
    HttpResponseReader reader(head);
    if (byteByByte) {
        for (char c : wire)
            if (!reader.feed(QByteArrayView(&c, 1)))
                break;
    } else {
        reader.feed(wire);
    }
    if (closeAtEnd)
        reader.closed();
    Read read;
    read.complete = reader.complete();
    read.failed = reader.failed();
    read.status = reader.status();
    read.keepAlive = reader.keepAlive();
    read.headers = reader.headers();
    read.body = reader.takeBody();
    return read;
}

} // namespace

class TestHttpWire : public QObject
{
    Q_OBJECT

private slots:
    void framings_data()
    {
        QTest::addColumn<QByteArray>("wire");
        QTest::addColumn<bool>("closeAtEnd");
        QTest::addColumn<int>("status");
        QTest::addColumn<QByteArray>("body");
        QTest::addColumn<bool>("keepAlive");

        QTest::newRow("content-length") << QByteArray("HTTP/1.1 200 OK\r\nContent-Length: 11\r\n\r\nhello world")
                                        << false << 200 << QByteArray("hello world") << true;
        QTest::newRow("empty body") << QByteArray("HTTP/1.1 201 Created\r\nContent-Length: 0\r\n\r\n")
                                    << false << 201 << QByteArray() << true;
        QTest::newRow("chunked with extension and trailer")
            << QByteArray("HTTP/1.1 207 Multi-Status\r\nTransfer-Encoding: chunked\r\n\r\n"
                          "5;name=x\r\nhello\r\n6\r\n world\r\n0\r\nX-Trailer: 1\r\n\r\n")
            << false << 207 << QByteArray("hello world") << true;
        QTest::newRow("interim 100 then the answer")
            << QByteArray("HTTP/1.1 100 Continue\r\n\r\nHTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok")
            << false << 200 << QByteArray("ok") << true;
        QTest::newRow("connection close") << QByteArray("HTTP/1.1 429 Too Many Requests\r\nConnection: close\r\nContent-Length: 4\r\n\r\nslow")
                                          << false << 429 << QByteArray("slow") << false;
        QTest::newRow("http/1.0 without keep-alive") << QByteArray("HTTP/1.0 200 OK\r\nContent-Length: 1\r\n\r\nx")
                                                     << false << 200 << QByteArray("x") << false;
        QTest::newRow("http/1.0 keep-alive") << QByteArray("HTTP/1.0 200 OK\r\nConnection: keep-alive\r\nContent-Length: 1\r\n\r\nx")
                                             << false << 200 << QByteArray("x") << true;
        QTest::newRow("body until close") << QByteArray("HTTP/1.1 200 OK\r\n\r\nthe rest")
                                          << true << 200 << QByteArray("the rest") << false;
        QTest::newRow("204 has no body") << QByteArray("HTTP/1.1 204 No Content\r\nContent-Length: 10\r\n\r\n")
                                         << false << 204 << QByteArray() << true;
    }

    void framings()
    {
        QFETCH(QByteArray, wire);
        QFETCH(bool, closeAtEnd);
        QFETCH(int, status);
        QFETCH(QByteArray, body);
        QFETCH(bool, keepAlive);
        for (bool byteByByte : { false, true }) {
            const Read read = readAll(wire, byteByByte, closeAtEnd);
            QVERIFY2(read.complete, byteByByte ? "byte by byte" : "in one piece");
            QCOMPARE(read.status, status);
            QCOMPARE(read.body, body);
            QCOMPARE(read.keepAlive, keepAlive);
        }
    }

    void incompleteAnswersAreNotComplete()
    {
        QVERIFY(!readAll("HTTP/1.1 200 OK\r\nContent-Length: 10\r\n\r\nshort", false).complete);
        QVERIFY(!readAll("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n5\r\nhel", false).complete);
        // A Content-Length body cut by the close stays incomplete: the caller reports a dropped connection.
        QVERIFY(!readAll("HTTP/1.1 200 OK\r\nContent-Length: 10\r\n\r\nshort", false, true).complete);
    }

    void headersAreKeptInOrderWithTheirCase()
    {
        const Read read = readAll("HTTP/1.1 200 OK\r\nX-RateLimit-Remaining: 7\r\nRetry-After:  3 \r\nContent-Length: 0\r\n\r\n", true);
        QCOMPARE(read.headers.size(), 3);
        QCOMPARE(headerValue(read.headers, "x-ratelimit-remaining"), QByteArray("7"));
        QCOMPARE(headerValue(read.headers, "retry-after"), QByteArray("3"));
    }

    void headAnswersHaveNoBody()
    {
        const Read read = readAll("HTTP/1.1 200 OK\r\nContent-Length: 99\r\n\r\n", false, false, true);
        QVERIFY(read.complete);
        QVERIFY(read.body.isEmpty());
    }

    void garbageIsAProtocolError()
    {
        QVERIFY(readAll("SSH-2.0-OpenSSH_9.2\r\n", false).failed);
        QVERIFY(readAll("HTTP/1.1 abc OK\r\n\r\n", false).failed);
        QVERIFY(readAll("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\n", false).failed);
        QVERIFY(readAll("HTTP/1.1 200 OK\r\nno colon here\r\n\r\n", false).failed);
    }

    void requestsGoOutInOneBufferWithComputedLength()
    {
        HttpRequest request;
        request.method = "POST";
        request.url = QUrl(QStringLiteral("http://127.0.0.1:8080/v1/people?dry_run=1&q=a%20b"));
        request.headers = { { "Authorization", "Bearer t" }, { "Content-Length", "999" } };
        request.body = R"([{"email":"ann@example.com"}])";
        const QByteArray wire = serializeRequest(request);
        QVERIFY(wire.startsWith("POST /v1/people?dry_run=1&q=a%20b HTTP/1.1\r\nHost: 127.0.0.1:8080\r\n"));
        QVERIFY(wire.contains("\r\nAuthorization: Bearer t\r\n"));
        QVERIFY(wire.contains("\r\nContent-Type: application/json\r\n"));
        QVERIFY(wire.contains(QByteArray("\r\nContent-Length: " + QByteArray::number(request.body.size()) + "\r\n")));
        QVERIFY(!wire.contains("999"));
        QVERIFY(wire.endsWith(QByteArray("\r\n\r\n" + request.body)));

        HttpRequest get;
        get.method = "GET";
        get.url = QUrl(QStringLiteral("https://api.example.com"));
        const QByteArray getWire = serializeRequest(get);
        QVERIFY(getWire.startsWith("GET / HTTP/1.1\r\nHost: api.example.com\r\n"));
        QVERIFY(!getWire.contains("Content-Length"));
    }

    void gzipAndDeflateBodiesDecode()
    {
        const QByteArray text = QByteArray("{\"results\":[]}").repeated(200);
        // qCompress writes a zlib stream behind a 4-byte length: the stream is what "deflate" names.
        const QByteArray zlibStream = qCompress(text).mid(4);
        auto decoded = decodeContent("deflate", zlibStream);
        QVERIFY(decoded);
        QCOMPARE(*decoded, text);
        QCOMPARE(*decodeContent("", text), text);
        auto broken = decodeContent("gzip", QByteArray("not gzip at all"));
        QVERIFY(!broken);
        QVERIFY(broken.error().message.contains(QLatin1String("gzip")));
    }
};

QTEST_GUILESS_MAIN(TestHttpWire)
#include "tst_httpwire.moc"
