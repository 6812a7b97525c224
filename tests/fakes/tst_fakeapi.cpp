// The fake HTTP API the delivery tests rely on: it keeps what it was sent, counts it, and
// injects each fault as declared, over real loopback sockets (raw, so nothing retries for us).
#include "tests/fakes/fakeapi.h"

#include <QElapsedTimer>
#include <QJsonArray>
#include <QJsonDocument>
#include <QProcess>
#include <QTcpSocket>
#include <QTest>

using namespace syncline::testfakes;

namespace {

struct RawReply
{
    int status = 0;           // 0: no status line came back
    QByteArray head;
    QByteArray body;
    bool closed = false;      // the server closed or reset the connection
    QAbstractSocket::SocketError error = QAbstractSocket::UnknownSocketError;
};

// A raw HTTP client connection; bytes past one reply stay for the next read.
struct Client
{
    QTcpSocket socket;
    QByteArray buffer;
};

// Sends `bytes` and reads one reply (Content-Length framed), waiting at most `ms`.
RawReply exchange(Client &client, const QByteArray &bytes, int ms = 3000)
{
    QTcpSocket &socket = client.socket;
    QByteArray &buffer = client.buffer;
    RawReply reply;
    if (!bytes.isEmpty()) {
        socket.write(bytes);
        socket.flush();
    }
    QElapsedTimer timer;
    timer.start();
    while (timer.elapsed() < ms) {
        const qsizetype headEnd = buffer.indexOf("\r\n\r\n");
        if (headEnd >= 0) {
            reply.head = buffer.left(headEnd);
            reply.status = reply.head.mid(9, 3).toInt();
            qsizetype length = 0;
            for (const QByteArray &line : reply.head.split('\n')) {
                if (line.toLower().startsWith("content-length:"))
                    length = line.mid(15).trimmed().toLongLong();
            }
            if (buffer.size() >= headEnd + 4 + length) {
                reply.body = buffer.mid(headEnd + 4, length);
                buffer.remove(0, headEnd + 4 + length);
                return reply;
            }
        }
        if (socket.state() != QAbstractSocket::ConnectedState && socket.bytesAvailable() == 0) {
            reply.closed = true;
            break;
        }
        if (!socket.waitForReadyRead(int(std::max<qint64>(1, ms - timer.elapsed())))) {
            if (socket.state() != QAbstractSocket::ConnectedState || socket.error() == QAbstractSocket::RemoteHostClosedError) {
                buffer += socket.readAll();
                reply.closed = true;
                reply.error = socket.error();
                if (buffer.startsWith("HTTP/1.1 "))
                    reply.status = buffer.mid(9, 3).toInt();
                reply.head = buffer;
                return reply;
            }
        }
        buffer += socket.readAll();
    }
    reply.head = buffer;
    return reply;
}

QByteArray post(const QByteArray &body, const QByteArray &path = "/people")
{
    return "POST " + path + " HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\nContent-Length: "
        + QByteArray::number(body.size()) + "\r\n\r\n" + body;
}

QByteArray del(const QByteArray &path) { return "DELETE " + path + " HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Length: 0\r\n\r\n"; }

bool connectTo(Client &client, const FakeApi &api)
{
    client.socket.connectToHost(QStringLiteral("127.0.0.1"), api.port());
    return client.socket.waitForConnected(3000);
}

QByteArray headerOf(const RawReply &reply, const QByteArray &name)
{
    for (const QByteArray &line : reply.head.split('\n')) {
        if (line.toLower().startsWith(QByteArray(name.toLower() + ':')))
            return line.mid(name.size() + 1).trimmed();
    }
    return {};
}

} // namespace

class TestFakeApi : public QObject
{
    Q_OBJECT
private slots:
    void upsertsAndDeletesKeepTheStateAndCountDuplicates();
    void oneKeepAliveConnectionServesPipelinedAndChunkedRequests();
    void scriptedFaultsAnswerAsDeclared();
    void lostAckAppliesTheWriteAndDropsTheConnection();
    void noReplyLeavesTheClientWaiting();
    void rejectedRecordsFailTheWholeBatchOrOnlyThemselves();
    void rateLimitAnswers429WithRetryAfterAndRateLimitHeaders();
    void randomFaultsStrikeAboutTheConfiguredShare();
    void latencyDelaysEveryReply();
    void aRepeatedIdempotencyKeyGetsTheFirstAnswerAndWritesNothing();
    void theProcessPrintsItsPortAndServesWithItsFlags();
};

void TestFakeApi::upsertsAndDeletesKeepTheStateAndCountDuplicates()
{
    FakeApi api;
    QVERIFY(api.start());
    Client socket;
    QVERIFY(connectTo(socket, api));
    RawReply reply = exchange(socket, post(R"([{"id":1,"name":"ann"},{"id":"a@b.com","name":"bob"}])"));
    QCOMPARE(reply.status, 200);
    QCOMPARE(QJsonDocument::fromJson(reply.body).object().value(QStringLiteral("n")).toInt(), 2);
    reply = exchange(socket, post(R"({"id":1,"name":"ann v2"})"));
    QCOMPARE(reply.status, 200);
    reply = exchange(socket, del("/people/a%40b.com"));
    QCOMPARE(reply.status, 200);
    reply = exchange(socket, del("/people/nobody"));
    QCOMPARE(reply.status, 404);

    const auto records = api.records();
    QCOMPARE(records.size(), 1);
    QCOMPARE(records.value(QStringLiteral("1")).value(QStringLiteral("name")).toString(), QStringLiteral("ann v2"));
    const FakeApiCounters counters = api.counters();
    QCOMPARE(counters.requests, 4);
    QCOMPARE(counters.writeRequests, 4);
    QCOMPARE(counters.upsertsApplied, 3);
    QCOMPARE(counters.deletesApplied, 1);
    QCOMPARE(counters.duplicates, 1);
    QCOMPARE(counters.status(200), 3);
    QCOMPARE(counters.status(404), 1);
    QCOMPARE(api.upsertsPerKey().value(QStringLiteral("1")), 2);
    const auto log = api.requests();
    QCOMPARE(log.size(), 4);
    QCOMPARE(log.at(2).method, QByteArray("DELETE"));
    QCOMPARE(log.at(2).path, QByteArray("/people/a%40b.com"));
    QCOMPARE(log.at(0).header("content-type"), QByteArray("application/json"));

    // Control paths are not counted.
    reply = exchange(socket, "GET /_fake/stats HTTP/1.1\r\nHost: x\r\n\r\n");
    QCOMPARE(reply.status, 200);
    QCOMPARE(QJsonDocument::fromJson(reply.body).object().value(QStringLiteral("duplicates")).toInt(), 1);
    QCOMPARE(api.counters().requests, 4);
}

void TestFakeApi::oneKeepAliveConnectionServesPipelinedAndChunkedRequests()
{
    FakeApi api;
    QVERIFY(api.start());
    Client socket;
    QVERIFY(connectTo(socket, api));
    const QByteArray chunked = "POST /people HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n"
                               "5\r\n[{\"id\r\n"
                               "f;ext=1\r\n\":7,\"name\":\"c\"}\r\n"
                               "1\r\n]\r\n"
                               "0\r\n\r\n";
    // Two requests in one write; the second arrives while the first is being answered.
    RawReply first = exchange(socket, chunked + post(R"([{"id":8}])"));
    QCOMPARE(first.status, 200);
    RawReply second = exchange(socket, QByteArray());
    QCOMPARE(second.status, 200);
    QCOMPARE(socket.socket.state(), QAbstractSocket::ConnectedState);
    QCOMPARE(api.records().value(QStringLiteral("7")).value(QStringLiteral("name")).toString(), QStringLiteral("c"));
    QVERIFY(api.records().contains(QStringLiteral("8")));
    QCOMPARE(api.requests().at(0).body, QByteArray(R"([{"id":7,"name":"c"}])"));

    RawReply closing = exchange(socket, "GET /people/7 HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n");
    QCOMPARE(closing.status, 200);
    socket.socket.waitForDisconnected(2000);
    QCOMPARE(socket.socket.state(), QAbstractSocket::UnconnectedState);
}

void TestFakeApi::scriptedFaultsAnswerAsDeclared()
{
    FakeApiConfig config;
    config.retryAfterSeconds = 3;
    FakeApi api(config);
    QVERIFY(api.start());
    api.scriptFaults({Fault::TooManyRequests, Fault::InternalError, Fault::BadGateway, Fault::Unavailable, Fault::MalformedJson,
                      Fault::ResetMidResponse});
    Client socket;
    QVERIFY(connectTo(socket, api));
    RawReply reply = exchange(socket, post(R"([{"id":1}])"));
    QCOMPARE(reply.status, 429);
    QCOMPARE(headerOf(reply, "Retry-After"), QByteArray("3"));
    QCOMPARE(exchange(socket, post(R"([{"id":1}])")).status, 500);
    QCOMPARE(exchange(socket, post(R"([{"id":1}])")).status, 502);
    QCOMPARE(exchange(socket, post(R"([{"id":1}])")).status, 503);
    QVERIFY(api.records().isEmpty());
    reply = exchange(socket, post(R"([{"id":1}])"));
    QCOMPARE(reply.status, 200);
    QVERIFY(QJsonDocument::fromJson(reply.body).isNull()); // not JSON
    QCOMPARE(api.records().size(), 1);                      // but applied
    reply = exchange(socket, post(R"([{"id":2}])"));
    QVERIFY(reply.closed);
    QVERIFY(reply.body.isEmpty());
    QVERIFY(!api.records().contains(QStringLiteral("2")));  // a reset applies nothing

    const FakeApiCounters counters = api.counters();
    QCOMPARE(counters.requests, 6);
    for (Fault fault : {Fault::TooManyRequests, Fault::InternalError, Fault::BadGateway, Fault::Unavailable, Fault::MalformedJson,
                        Fault::ResetMidResponse})
        QCOMPARE(counters.fault(fault), 1);
    QCOMPARE(counters.status(200), 1);
    QCOMPARE(counters.upsertsApplied, 1);
    // The script is used up: the next request succeeds on a new connection.
    Client again;
    QVERIFY(connectTo(again, api));
    QCOMPARE(exchange(again, post(R"([{"id":2}])")).status, 200);
}

void TestFakeApi::lostAckAppliesTheWriteAndDropsTheConnection()
{
    FakeApi api;
    QVERIFY(api.start());
    api.scriptFaults({Fault::LostAck});
    Client socket;
    QVERIFY(connectTo(socket, api));
    RawReply reply = exchange(socket, post(R"([{"id":1},{"id":2}])"));
    QVERIFY(reply.closed);
    QCOMPARE(reply.status, 0);
    QCOMPARE(api.records().size(), 2);
    QCOMPARE(api.lostAckKeys(), (QSet<QString>{QStringLiteral("1"), QStringLiteral("2")}));
    QCOMPARE(api.counters().lostAckRecords, 2);
    // The client resends: the fake counts the duplicates.
    Client retry;
    QVERIFY(connectTo(retry, api));
    QCOMPARE(exchange(retry, post(R"([{"id":1},{"id":2}])")).status, 200);
    QCOMPARE(api.counters().duplicates, 2);
    QCOMPARE(api.records().size(), 2);
}

void TestFakeApi::noReplyLeavesTheClientWaiting()
{
    FakeApi api;
    QVERIFY(api.start());
    api.scriptFaults({Fault::NoReply});
    Client socket;
    QVERIFY(connectTo(socket, api));
    RawReply reply = exchange(socket, post(R"([{"id":1}])"), 1500);
    QCOMPARE(reply.status, 0);
    QVERIFY(!reply.closed);
    QCOMPARE(socket.socket.state(), QAbstractSocket::ConnectedState);
    QVERIFY(api.records().isEmpty());
    QCOMPARE(api.counters().fault(Fault::NoReply), 1);
}

void TestFakeApi::rejectedRecordsFailTheWholeBatchOrOnlyThemselves()
{
    FakeApiConfig config;
    config.rejectRecord = [](const QJsonObject &record) { return record.value(QStringLiteral("email")).toString().contains(u'!'); };
    config.rejectStyle = RejectStyle::WholeBatch422;
    FakeApi api(config);
    QVERIFY(api.start());
    Client socket;
    QVERIFY(connectTo(socket, api));
    const QByteArray batch = R"([{"id":1,"email":"a@x"},{"id":2,"email":"bad!"},{"id":3,"email":"c@x"}])";
    RawReply reply = exchange(socket, post(batch));
    QCOMPARE(reply.status, 422);
    const QJsonArray errors = QJsonDocument::fromJson(reply.body).object().value(QStringLiteral("errors")).toArray();
    QCOMPARE(errors.size(), 1);
    QCOMPARE(errors.at(0).toObject().value(QStringLiteral("index")).toInt(), 1);
    QVERIFY(api.records().isEmpty());

    config.rejectStyle = RejectStyle::PerRecord207;
    api.setConfig(config);
    reply = exchange(socket, post(batch));
    QCOMPARE(reply.status, 207);
    const QJsonArray results = QJsonDocument::fromJson(reply.body).object().value(QStringLiteral("results")).toArray();
    QCOMPARE(results.size(), 3);
    QCOMPARE(results.at(1).toObject().value(QStringLiteral("ok")).toBool(), false);
    QCOMPARE(api.records().keys().size(), 2);
    QVERIFY(!api.records().contains(QStringLiteral("2")));
    QCOMPARE(api.counters().rejectedRecords, 2);
}

void TestFakeApi::rateLimitAnswers429WithRetryAfterAndRateLimitHeaders()
{
    FakeApiConfig config;
    config.rateLimitPerSecond = 5;
    FakeApi api(config);
    QVERIFY(api.start());
    Client socket;
    QVERIFY(connectTo(socket, api));
    int ok = 0;
    int limited = 0;
    QByteArray remainingSeen;
    for (int i = 0; i < 8; ++i) {
        const RawReply reply = exchange(socket, post(R"([{"id":1}])"));
        if (reply.status == 200) {
            ++ok;
            QCOMPARE(headerOf(reply, "RateLimit-Limit"), QByteArray("5"));
            remainingSeen = headerOf(reply, "RateLimit-Remaining");
        } else {
            QCOMPARE(reply.status, 429);
            QVERIFY(headerOf(reply, "Retry-After").toInt() >= 1);
            QCOMPARE(headerOf(reply, "RateLimit-Remaining"), QByteArray("0"));
            ++limited;
        }
    }
    // 8 quick requests straddle at most two 1-second windows: at most 10 pass, at least 5.
    QVERIFY(ok >= 5);
    QCOMPARE(ok + limited, 8);
    QCOMPARE(api.counters().rateLimited, qint64(limited));
    QCOMPARE(api.counters().status(429), qint64(limited));
    QVERIFY(!remainingSeen.isEmpty());
}

void TestFakeApi::randomFaultsStrikeAboutTheConfiguredShare()
{
    FakeApiConfig config;
    config.randomFaultRate = 0.1;
    config.randomFaults = {Fault::InternalError, Fault::Unavailable};
    config.seed = 7;
    FakeApi api(config);
    QVERIFY(api.start());
    Client socket;
    QVERIFY(connectTo(socket, api));
    int failed = 0;
    for (int i = 0; i < 1000; ++i) {
        const int status = exchange(socket, post(R"([{"id":1}])")).status;
        QVERIFY(status == 200 || status == 500 || status == 503);
        failed += status != 200;
    }
    QVERIFY2(failed > 60 && failed < 140, qPrintable(QString::number(failed)));
    QCOMPARE(api.counters().fault(Fault::InternalError) + api.counters().fault(Fault::Unavailable), qint64(failed));
}

void TestFakeApi::latencyDelaysEveryReply()
{
    FakeApiConfig config;
    config.latencyMs = 300;
    FakeApi api(config);
    QVERIFY(api.start());
    Client socket;
    QVERIFY(connectTo(socket, api));
    QElapsedTimer timer;
    timer.start();
    QCOMPARE(exchange(socket, post(R"([{"id":1}])")).status, 200);
    QVERIFY(timer.elapsed() >= 290); // a lower bound only: no timing upper bound in tests
}

void TestFakeApi::aRepeatedIdempotencyKeyGetsTheFirstAnswerAndWritesNothing()
{
    FakeApiConfig config;
    config.honourIdempotencyKeys = true;
    FakeApi api(config);
    QVERIFY(api.start());
    api.scriptFaults({Fault::LostAck});
    const QByteArray body = R"([{"id":1},{"id":2}])";
    const QByteArray keyed = "POST /people HTTP/1.1\r\nHost: x\r\nIdempotency-Key: k1\r\nContent-Length: "
        + QByteArray::number(body.size()) + "\r\n\r\n" + body;
    Client first;
    QVERIFY(connectTo(first, api));
    QVERIFY(exchange(first, keyed).closed); // written, acknowledgement lost
    Client second;
    QVERIFY(connectTo(second, api));
    RawReply replay = exchange(second, keyed);
    QCOMPARE(replay.status, 200);
    QCOMPARE(api.counters().idempotentReplays, 1);
    QCOMPARE(api.counters().upsertsApplied, 2);
    QCOMPARE(api.counters().duplicates, 0);
    // Without the key, the same body is a new write.
    QCOMPARE(exchange(second, post(body)).status, 200);
    QCOMPARE(api.counters().duplicates, 2);
}

void TestFakeApi::theProcessPrintsItsPortAndServesWithItsFlags()
{
    QProcess process;
    process.start(QStringLiteral(SYNCLINE_BINARY_DIR "/tests/fakes/syncline-fakeapi"),
                  {QStringLiteral("--fault-rate"), QStringLiteral("1"), QStringLiteral("--faults"), QStringLiteral("503"),
                   QStringLiteral("--match-field"), QStringLiteral("email")});
    QVERIFY2(process.waitForStarted(), "syncline-fakeapi is not built");
    QVERIFY(process.waitForReadyRead(5000));
    const QByteArray line = process.readLine().trimmed();
    QVERIFY2(line.startsWith("port "), line.constData());
    const quint16 port = quint16(line.mid(5).toUInt());
    QVERIFY(port > 0);

    Client client;
    client.socket.connectToHost(QStringLiteral("127.0.0.1"), port);
    QVERIFY(client.socket.waitForConnected(3000));
    QCOMPARE(exchange(client, post(R"([{"email":"a@x"}])")).status, 503);
    RawReply stats = exchange(client, "GET /_fake/stats HTTP/1.1\r\nHost: x\r\n\r\n");
    QCOMPARE(stats.status, 200);
    const QJsonObject counters = QJsonDocument::fromJson(stats.body).object();
    QCOMPARE(counters.value(QStringLiteral("faults")).toObject().value(QStringLiteral("503")).toInt(), 1);
    QCOMPARE(counters.value(QStringLiteral("records")).toInt(), 0);
    process.kill();
    process.waitForFinished();
}

QTEST_GUILESS_MAIN(TestFakeApi)
#include "tst_fakeapi.moc"
