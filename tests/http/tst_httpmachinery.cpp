// The pieces of the HTTP machinery that need no server: the token bucket and how API headers
// tighten it, the per-account pool, response paths, backoff bounds, rates and durations, and the
// request templates. Time is passed in explicitly, so nothing here depends on the machine's speed.

#include "connectors/http/ratelimiter.h"
#include "connectors/http/ratelimiterpool.h"
#include "connectors/http/ratelimitheaders.h"
#include "connectors/http/requesttemplate.h"
#include "connectors/http/responsepath.h"
#include "connectors/http/retrypolicy.h"
#include "connectors/http/settingvalues.h"
#include "engine/connector/settingvalue.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QTest>
#include <QUrl>

using namespace std::chrono;
using namespace syncline::connectors::http;
using syncline::engine::connector::parseDuration;
using syncline::engine::connector::parseRate;

namespace {

QJsonValue parse(const char *json)
{
    const QJsonDocument document = QJsonDocument::fromJson(json);
    return document.isArray() ? QJsonValue(document.array()) : QJsonValue(document.object());
}

} // namespace

class TestHttpMachinery : public QObject
{
    Q_OBJECT

private slots:
    void theBucketPacesRequestsAtTheConfiguredRate()
    {
        RateLimiter limiter(20); // one request every 50 ms, paced a little under: every 51 ms
        const auto interval = nanoseconds(qint64(1e9 / (20 * RateLimiter::kPaceShare)));
        QVERIFY(interval > milliseconds(50) && interval < milliseconds(52));
        const auto t0 = RateLimiter::Clock::time_point {} + hours(1);
        QCOMPARE(limiter.tryAcquire(t0), milliseconds(0));
        QCOMPARE(limiter.tryAcquire(t0), ceil<milliseconds>(interval));
        QCOMPARE(limiter.tryAcquire(t0 + milliseconds(20)), ceil<milliseconds>(interval - milliseconds(20)));
        QCOMPARE(limiter.tryAcquire(t0 + interval), milliseconds(0));
        // Over 2 seconds, never more than the 40 the API allows, and no fewer than the pace's share.
        int granted = 0;
        for (int ms = 52; ms < 2052; ++ms)
            granted += limiter.tryAcquire(t0 + milliseconds(ms)) == milliseconds(0);
        QVERIFY2(granted <= 40 && granted >= int(40 * RateLimiter::kPaceShare), qPrintable(QString::number(granted)));
    }

    void aConfiguredRateIsNotPausedByAPerSecondWindowAtZero()
    {
        // The rounded Reset of a per-second window would idle up to a second per window; the pace
        // already keeps within it.
        RateLimiter limiter(20);
        const auto t0 = RateLimiter::Clock::time_point {} + hours(1);
        RateLimitHint hint;
        hint.remaining = 0;
        hint.reset = seconds(1);
        limiter.observe(hint, t0);
        QCOMPARE(limiter.tryAcquire(t0 + milliseconds(100)), milliseconds(0));
        // A Retry-After (a 429) still pauses it.
        hint.retryAfter = seconds(1);
        limiter.observe(hint, t0 + milliseconds(100));
        QCOMPARE(limiter.tryAcquire(t0 + milliseconds(200)), milliseconds(900));
    }

    void noConfiguredRateMeansNoWait()
    {
        RateLimiter limiter;
        const auto t0 = RateLimiter::Clock::time_point {} + hours(1);
        for (int i = 0; i < 100; ++i)
            QCOMPARE(limiter.tryAcquire(t0), milliseconds(0));
    }

    void retryAfterPausesEveryUserOfTheAccount()
    {
        RateLimiter limiter;
        const auto t0 = RateLimiter::Clock::time_point {} + hours(1);
        RateLimitHint hint;
        hint.retryAfter = seconds(2);
        limiter.observe(hint, t0);
        QCOMPARE(limiter.tryAcquire(t0 + milliseconds(500)), milliseconds(1500));
        QCOMPARE(limiter.tryAcquire(t0 + seconds(2)), milliseconds(0));
    }

    void remainingQuotaIsSpreadUntilTheReset()
    {
        RateLimiter limiter(100);
        const auto t0 = RateLimiter::Clock::time_point {} + hours(1);
        RateLimitHint hint;
        hint.remaining = 10;
        hint.reset = seconds(5); // 10 left for 5 s: one every 500 ms, slower than 100/s
        limiter.observe(hint, t0);
        QCOMPARE(limiter.currentInterval(t0), nanoseconds(milliseconds(500)));
        QCOMPARE(limiter.currentInterval(t0 + seconds(6)), nanoseconds(qint64(1e9 / (100 * RateLimiter::kPaceShare))));
        hint.remaining = 0;
        limiter.observe(hint, t0);
        QCOMPARE(limiter.tryAcquire(t0 + seconds(1)), milliseconds(4000));
    }

    void aPerSecondWindowIsNotSpreadButPausesAtZero()
    {
        RateLimiter limiter;
        const auto t0 = RateLimiter::Clock::time_point {} + hours(1);
        RateLimitHint hint;
        hint.remaining = 2;
        hint.reset = seconds(1);
        limiter.observe(hint, t0);
        QCOMPARE(limiter.tryAcquire(t0), milliseconds(0));
        QCOMPARE(limiter.tryAcquire(t0), milliseconds(0));
        hint.remaining = 0;
        limiter.observe(hint, t0);
        QCOMPARE(limiter.tryAcquire(t0 + milliseconds(100)), milliseconds(900));
    }

    void rateLimitHeadersAreRead()
    {
        const QDateTime now(QDate(2026, 12, 1), QTime(12, 0, 0), Qt::UTC);
        auto hint = parseRateLimitHeaders({ { "Retry-After", "7" }, { "RateLimit-Limit", "100" },
                                              { "RateLimit-Remaining", "3" }, { "RateLimit-Reset", "12" } },
            now);
        QCOMPARE(hint.retryAfter, std::optional(milliseconds(7000)));
        QCOMPARE(hint.limit, std::optional(100.0));
        QCOMPARE(hint.remaining, std::optional(3.0));
        QCOMPARE(hint.reset, std::optional(milliseconds(12000)));

        hint = parseRateLimitHeaders(
            { { "retry-after", "Tue, 01 Dec 2026 12:00:30 GMT" }, { "X-RateLimit-Remaining", "0" },
                { "X-RateLimit-Reset", QByteArray::number(now.toSecsSinceEpoch() + 45) } },
            now);
        QCOMPARE(hint.retryAfter, std::optional(milliseconds(30000)));
        QCOMPARE(hint.remaining, std::optional(0.0));
        QCOMPARE(hint.reset, std::optional(milliseconds(45000)));
        QVERIFY(parseRateLimitHeaders({ { "Content-Type", "x" } }, now).empty());
        QVERIFY(!parseRetryAfter("soon", now));
    }

    void thePoolSharesOneLimiterPerAccount()
    {
        RateLimiterPool pool;
        const QUrl api(QStringLiteral("https://api.example.com/people"));
        const QUrl other(QStringLiteral("https://api.example.com/companies"));
        auto a = pool.limiterFor(RateLimiterPool::accountKey(api, "token-1"), 10);
        auto b = pool.limiterFor(RateLimiterPool::accountKey(other, "token-1"), 10);
        auto c = pool.limiterFor(RateLimiterPool::accountKey(api, "token-2"), 10);
        QCOMPARE(a.get(), b.get());
        QVERIFY(a.get() != c.get());
        QCOMPARE(pool.size(), 2);
        QVERIFY(!RateLimiterPool::accountKey(api, "token-1").contains(QStringLiteral("token")));
    }

    void responsePathsFindValuesPerRecord()
    {
        QString error;
        auto aligned = ResponsePath::parse(QStringLiteral("results[].error"), &error);
        QVERIFY(aligned);
        auto values
            = aligned->valuesPerRecord(parse("{\"results\":[{\"error\":null},{\"error\":\"bad email\"},{}]}"), 3);
        QCOMPARE(errorText(values[0]), QString());
        QCOMPARE(errorText(values[1]), QStringLiteral("bad email"));
        QCOMPARE(errorText(values[2]), QString());

        auto indexed = ResponsePath::parse(QStringLiteral("errors[#index].message"), &error);
        QVERIFY(indexed);
        values = indexed->valuesPerRecord(parse("{\"errors\":[{\"index\":2,\"message\":\"no\"},{\"index\":9,"
                                                "\"message\":\"out\"},{\"index\":2,\"message\":\"twice\"}]}"),
            3);
        QCOMPARE(errorText(values[0]), QString());
        QCOMPARE(errorText(values[2]), QStringLiteral("no; twice"));

        auto root = ResponsePath::parse(QStringLiteral("[].id"), &error);
        QVERIFY(root);
        values = root->valuesPerRecord(parse("[{\"id\":17},{\"id\":\"abc\"}]"), 2);
        QCOMPARE(idText(values[0]), QStringLiteral("17"));
        QCOMPARE(idText(values[1]), QStringLiteral("abc"));

        auto whole = ResponsePath::parse(QStringLiteral("data.id"), &error);
        QVERIFY(whole);
        values = whole->valuesPerRecord(parse("{\"data\":{\"id\":\"x1\"}}"), 1);
        QCOMPARE(idText(values[0]), QStringLiteral("x1"));

        QVERIFY(!ResponsePath::parse(QStringLiteral("results[[x"), &error));
        QVERIFY(error.contains(QStringLiteral("results[[x")));
    }

    void theApiMessageIsTakenFromTheBody()
    {
        QCOMPARE(responseMessage("{\"message\":\"email is invalid\"}"), QStringLiteral("email is invalid"));
        QCOMPARE(responseMessage("{\"error\":{\"message\":\"quota\"}}"), QStringLiteral("quota"));
        QCOMPARE(responseMessage("{\"errors\":[{\"message\":\"first\"}]}"), QStringLiteral("first"));
        QCOMPARE(responseMessage("plain   text"), QStringLiteral("plain text"));
    }

    void backoffGrowsWithJitterWithinBounds()
    {
        RetryPolicy policy;
        policy.baseDelay = milliseconds(100);
        policy.maxDelay = milliseconds(1000);
        std::mt19937 random(7);
        for (int i = 0; i < 50; ++i) {
            const auto first = policy.backoff(1, random);
            QVERIFY(first >= milliseconds(50) && first <= milliseconds(100));
            const auto third = policy.backoff(3, random);
            QVERIFY(third >= milliseconds(200) && third <= milliseconds(400));
            const auto late = policy.backoff(12, random);
            QVERIFY(late >= milliseconds(500) && late <= milliseconds(1000));
        }
    }

    void retryableAnswers()
    {
        syncline::connectors::http::HttpResponse response;
        for (int status : { 408, 500, 502, 503, 504 }) {
            response.status = status;
            QVERIFY2(RetryPolicy::retryableAnswer(response), qPrintable(QString::number(status)));
        }
        for (int status : { 200, 400, 404, 422, 501 }) {
            response.status = status;
            QVERIFY2(!RetryPolicy::retryableAnswer(response), qPrintable(QString::number(status)));
        }
        response.end = syncline::connectors::http::HttpResponse::End::TimedOut;
        QVERIFY(RetryPolicy::retryableAnswer(response));
        response.end = syncline::connectors::http::HttpResponse::End::Cancelled;
        QVERIFY(!RetryPolicy::retryableAnswer(response));
    }

    void ratesAndDurations()
    {
        QCOMPARE(parseRate(QStringLiteral("20/s")), std::optional(20.0));
        QCOMPARE(parseRate(QStringLiteral("600/min")), std::optional(10.0));
        QCOMPARE(parseRate(QStringLiteral("3600 / hour")), std::optional(1.0));
        QVERIFY(!parseRate(QStringLiteral("20")));
        QVERIFY(!parseRate(QStringLiteral("0/s")));
        QCOMPARE(parseDuration(QStringLiteral("30s")), std::optional(milliseconds(30000)));
        QCOMPARE(parseDuration(QStringLiteral("500ms")), std::optional(milliseconds(500)));
        QCOMPARE(parseDuration(QStringLiteral("2m")), std::optional(milliseconds(120000)));
        // A bare number is refused, as the YAML import refuses it: "45" could mean seconds or ms.
        QVERIFY(!parseDuration(QStringLiteral("45")));
        QVERIFY(!parseDuration(QStringLiteral("soon")));
    }

    void templatesEscapeForWhereTheyGo()
    {
        QString error;
        auto body
            = RequestTemplate::parse(QStringLiteral("[{{#records}}{\"n\":\"{{name}}\",\"age\":{{age}},\"ok\":{{ok}},"
                                                    "\"raw\":{{{_json}}}}{{^_last}},{{/_last}}{{/records}}]"),
                RequestTemplate::Escape::Json, &error);
        QVERIFY2(body, qPrintable(error));
        QVERIFY(body->iteratesRecords());
        TemplateRecord a { "{\"name\":\"Ann \\\"A\\\"\",\"age\":41,\"ok\":true}", "1", {}, QStringLiteral("upsert") };
        TemplateRecord b { "{\"name\":null,\"age\":7,\"ok\":false}", "2", {}, QStringLiteral("upsert") };
        const std::string rendered = body->render({ &a, &b });
        const QJsonDocument document = QJsonDocument::fromJson(QByteArray::fromStdString(rendered));
        QVERIFY2(document.isArray(), rendered.c_str());
        QCOMPARE(document.array().size(), 2);
        QCOMPARE(document.array().at(0).toObject().value(QStringLiteral("n")).toString(), QStringLiteral("Ann \"A\""));
        QCOMPARE(document.array().at(0).toObject().value(QStringLiteral("age")).toInt(), 41);
        QCOMPARE(document.array().at(0).toObject().value(QStringLiteral("ok")).toBool(), true);
        QCOMPARE(document.array().at(1).toObject().value(QStringLiteral("n")).toString(), QString());
        QCOMPARE(document.array()
                     .at(1)
                     .toObject()
                     .value(QStringLiteral("raw"))
                     .toObject()
                     .value(QStringLiteral("age"))
                     .toInt(),
            7);

        auto path = RequestTemplate::parse(QStringLiteral("/people/{{email}}"), RequestTemplate::Escape::Url, &error);
        QVERIFY(path && path->hasTags() && !path->iteratesRecords());
        TemplateRecord c { "{\"email\":\"ann+1@example.com/x\"}", "3", {}, QStringLiteral("update") };
        QCOMPARE(QString::fromStdString(path->render({ &c })), QStringLiteral("/people/ann%2B1%40example.com%2Fx"));

        QVERIFY(!RequestTemplate::parse(QStringLiteral("{{#records}}"), RequestTemplate::Escape::Json, &error));
        QVERIFY(!error.isEmpty());
    }
};

QTEST_GUILESS_MAIN(TestHttpMachinery)
#include "tst_httpmachinery.moc"
