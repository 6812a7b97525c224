#pragma once
// Sends a set of request jobs with at most `concurrency` in flight (a sliding window: a new
// request starts as soon as one ends), paced by the account's RateLimiter, authenticated by the
// HttpAuth (refreshed before expiry and once after a 401), retried by the RetryPolicy. Jobs may
// submit further jobs while the window runs (e.g. the halves of a rejected batch).
// Every job ends exactly once: answered() with the final answer, or abandoned() with a reason
// (attempts exhausted, cancelled, the credential refused). run() blocks in a local event loop.
// Thread: the run's thread; cancellation may come from any thread and aborts requests in flight.

#include "connectors/http/httpauth.h"
#include "connectors/http/httpmessage.h"
#include "connectors/http/ratelimiter.h"
#include "connectors/http/retrypolicy.h"
#include "engine/core/cancellation.h"
#include "engine/core/error.h"

#include <deque>
#include <functional>
#include <memory>
#include <optional>
#include <random>
#include <vector>

class QEventLoop;
class QObject;

namespace syncline::connectors::http {

class HttpTransport;

class RequestWindow
{
public:
    struct Job
    {
        // The request without credentials; called again for every attempt.
        std::function<HttpRequest()> build;
        // An answer that is final for the window (not a 429, 401 or retryable status). Return an
        // empty string when done, or a reason to try again (counts as a failed attempt).
        std::function<QString(const HttpResponse &)> answered;
        // No answer will come: `reason` says why (for a person; no secret).
        std::function<void(const QString &reason)> abandoned;
        // Optional: a 429 that waiting cannot cure (e.g. a spent daily quota). Return why, and the
        // job is abandoned at once instead of waiting; empty: wait as usual.
        std::function<QString(const HttpResponse &)> hopelessRateLimit;
    };

    RequestWindow(HttpTransport &transport, HttpAuth &auth, RateLimiter &limiter, RetryPolicy policy, int concurrency);
    ~RequestWindow();

    // Queues a job; `urgent` puts it first (halves of a split batch go before new work).
    void submit(Job job, bool urgent = false);

    // Runs until every job ended. An Error when the run was cancelled ("http.cancelled") or the
    // credential was refused ("auth.refused", "auth.refresh"): queued jobs are abandoned with
    // its message, requests in flight still report their answers.
    engine::Result<void> run(const engine::CancellationToken &cancellation);

    // Counts for tests and diagnostics.
    int requestsSent() const { return m_sent; }

private:
    struct State;
    void pump();
    void send(const std::shared_ptr<State> &job);
    void onResponse(const std::shared_ptr<State> &job, const HttpResponse &response);
    void retryLater(const std::shared_ptr<State> &job, std::chrono::milliseconds delay);
    void failAttempt(
        const std::shared_ptr<State> &job, const QString &reason, std::optional<std::chrono::milliseconds> wait);
    void abandon(const std::shared_ptr<State> &job, const QString &reason);
    void stop(engine::Error error);
    void maybeFinish();

    HttpTransport &m_transport;
    HttpAuth &m_auth;
    RateLimiter &m_limiter;
    RetryPolicy m_policy;
    int m_concurrency;
    std::mt19937 m_random;

    std::deque<std::shared_ptr<State>> m_ready;
    std::vector<std::shared_ptr<State>> m_delayed;
    int m_inFlight = 0;
    int m_sent = 0;
    bool m_refreshing = false;
    bool m_pumpScheduled = false;
    std::optional<engine::Error> m_stopped;
    std::unique_ptr<QObject> m_context; // timers and queued calls; lives in the run's thread
    QEventLoop *m_loop = nullptr;
};

} // namespace syncline::connectors::http
