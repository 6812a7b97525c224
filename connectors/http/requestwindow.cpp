#include "connectors/http/requestwindow.h"

#include "connectors/http/httptransport.h"
#include "connectors/http/ratelimitheaders.h"

#include <QDateTime>
#include <QEventLoop>
#include <QObject>
#include <QTimer>

#include <algorithm>
#include <mutex>

namespace syncline::connectors::http {

using namespace std::chrono;

struct RequestWindow::State
{
    Job job;
    int failures = 0; // failed attempts (429s and auth refreshes do not count)
    int rateLimited = 0; // 429 answers
    int authGeneration = 0; // the credential generation the last attempt carried
    bool retriedAfter401 = false;
    bool ended = false;
};

RequestWindow::RequestWindow(
    HttpTransport &transport, HttpAuth &auth, RateLimiter &limiter, RetryPolicy policy, int concurrency)
    : m_transport(transport)
    , m_auth(auth)
    , m_limiter(limiter)
    , m_policy(policy)
    , m_concurrency(std::max(1, concurrency))
    , m_random(std::random_device {}())
    , m_context(std::make_unique<QObject>())
{ }

RequestWindow::~RequestWindow() = default;

void RequestWindow::submit(Job job, bool urgent)
{
    auto state = std::make_shared<State>();
    state->job = std::move(job);
    if (m_stopped) {
        abandon(state, m_stopped->message);
        return;
    }
    if (urgent)
        m_ready.push_front(std::move(state));
    else
        m_ready.push_back(std::move(state));
    if (m_loop)
        pump();
}

engine::Result<void> RequestWindow::run(const engine::CancellationToken &cancellation)
{
    QEventLoop loop;
    m_loop = &loop;
    // cancel() may run on another thread, even while run() returns: it only posts to the context,
    // and only while the bridge still points at it.
    struct Bridge
    {
        std::mutex mutex;
        QObject *context = nullptr;
    };
    auto bridge = std::make_shared<Bridge>();
    bridge->context = m_context.get();
    auto registration = cancellation.onCancel([this, bridge] {
        std::lock_guard lock(bridge->mutex);
        if (!bridge->context)
            return;
        QMetaObject::invokeMethod(
            bridge->context,
            [this] {
                if (!m_stopped || m_stopped->code != QLatin1String("http.cancelled"))
                    stop(engine::Error { QStringLiteral("http.cancelled"),
                        QStringLiteral("cancelled before the API answered; sent again by the next run"), true, {} });
                m_transport.abortAll();
            },
            Qt::QueuedConnection);
    });
    if (cancellation.isCancelled())
        stop(engine::Error { QStringLiteral("http.cancelled"),
            QStringLiteral("cancelled before the API answered; sent again by the next run"), true, {} });
    pump();
    if (!m_ready.empty() || !m_delayed.empty() || m_inFlight > 0 || m_refreshing)
        loop.exec();
    registration.reset();
    {
        std::lock_guard lock(bridge->mutex);
        bridge->context = nullptr;
    }
    m_loop = nullptr;
    if (m_stopped)
        return std::unexpected(*m_stopped);
    return {};
}

void RequestWindow::pump()
{
    while (!m_stopped && m_inFlight < m_concurrency && !m_ready.empty()) {
        if (m_auth.needsRefresh()) {
            if (m_refreshing)
                return;
            m_refreshing = true;
            m_auth.refresh(m_transport, [this](engine::Result<void> refreshed) {
                m_refreshing = false;
                if (!refreshed)
                    stop(refreshed.error());
                pump();
                maybeFinish();
            });
            return;
        }
        const milliseconds wait = m_limiter.tryAcquire();
        if (wait > m_policy.maxRateLimitWait) {
            // A daily quota or a long Retry-After: better to end the run than to hold it for hours.
            stop(engine::Error { QStringLiteral("http.rate_limited"),
                QStringLiteral("the API's rate limit allows the next request in %1 s; the rows are sent again by "
                               "the next run")
                    .arg(wait.count() / 1000),
                true, {} });
            return;
        }
        if (wait > milliseconds(0)) {
            if (!m_pumpScheduled) {
                m_pumpScheduled = true;
                QTimer::singleShot(wait, Qt::PreciseTimer, m_context.get(), [this] {
                    m_pumpScheduled = false;
                    pump();
                });
            }
            return;
        }
        auto job = m_ready.front();
        m_ready.pop_front();
        send(job);
    }
    maybeFinish();
}

void RequestWindow::send(const std::shared_ptr<State> &job)
{
    HttpRequest request = job->job.build();
    m_auth.apply(request);
    job->authGeneration = m_auth.generation();
    ++m_inFlight;
    ++m_sent;
    m_transport.send(request, [this, job](const HttpResponse &response) {
        --m_inFlight;
        onResponse(job, response);
        pump();
    });
}

void RequestWindow::onResponse(const std::shared_ptr<State> &job, const HttpResponse &response)
{
    if (response.answered())
        m_limiter.observe(parseRateLimitHeaders(response.headers, QDateTime::currentDateTimeUtc()));
    if (response.end == HttpResponse::End::Cancelled) {
        abandon(job, QStringLiteral("cancelled before the API answered; sent again by the next run"));
        return;
    }
    if (response.end == HttpResponse::End::TlsRefused) {
        const QString message = QStringLiteral("the TLS certificate of %1 is not trusted (%2); Syncline always "
                                               "verifies certificates: add the issuing CA to the system's trust store")
                                    .arg(response.host, response.transportError);
        stop(engine::Error { QStringLiteral("http.tls"), message, false, {} });
        abandon(job, message);
        return;
    }
    if (response.answered() && response.status == 401) {
        if (m_auth.canRefresh() && !job->retriedAfter401 && !m_stopped) {
            job->retriedAfter401 = true;
            m_auth.invalidate(job->authGeneration);
            m_ready.push_front(job);
            return;
        }
        const QString message = QStringLiteral("the API refused the %1 credential (HTTP 401); check the destination's "
                                               "secrets, then run again")
                                    .arg(m_auth.schemeName());
        stop(engine::Error { QStringLiteral("auth.refused"), message, false,
            { { QStringLiteral("http_status"), QStringLiteral("401") } } });
        abandon(job, message);
        return;
    }
    if (m_stopped) {
        // No more attempts; an answer that arrived still counts (it may acknowledge records).
        if (response.answered() && !RetryPolicy::retryableAnswer(response) && response.status != 429) {
            const QString again = job->job.answered(response);
            if (again.isEmpty())
                job->ended = true;
            else
                abandon(job, again + QStringLiteral("; ") + m_stopped->message);
        } else {
            abandon(job, m_stopped->message);
        }
        return;
    }
    const auto retryAfter = parseRetryAfter(response.header("Retry-After"), QDateTime::currentDateTimeUtc());
    if (response.answered() && response.status == 429) {
        if (job->job.hopelessRateLimit) {
            if (const QString why = job->job.hopelessRateLimit(response); !why.isEmpty()) {
                abandon(job, why);
                return;
            }
        }
        ++job->rateLimited;
        if (job->rateLimited > m_policy.maxRateLimitedAnswers
            || (retryAfter && *retryAfter > m_policy.maxRateLimitWait)) {
            abandon(job,
                QStringLiteral("the API kept answering 429 (rate limited)%1; sent again by the next run")
                    .arg(retryAfter ? QStringLiteral(", asking to wait %1 s").arg(retryAfter->count() / 1000)
                                    : QString()));
            return;
        }
        // The limiter already pauses every request of the account for Retry-After; without one, back off.
        retryLater(job, retryAfter ? milliseconds(0) : m_policy.backoff(job->rateLimited, m_random));
        return;
    }
    if (RetryPolicy::retryableAnswer(response)) {
        failAttempt(job, response.summary(), retryAfter);
        return;
    }
    const QString again = job->job.answered(response);
    if (again.isEmpty())
        job->ended = true;
    else
        failAttempt(job, again, std::nullopt);
}

void RequestWindow::failAttempt(
    const std::shared_ptr<State> &job, const QString &reason, std::optional<milliseconds> wait)
{
    ++job->failures;
    if (job->failures >= m_policy.maxAttempts) {
        abandon(job,
            QStringLiteral("gave up after %1 attempts (%2); sent again by the next run")
                .arg(job->failures)
                .arg(reason));
        return;
    }
    retryLater(job, wait && *wait <= m_policy.maxDelay ? *wait : m_policy.backoff(job->failures, m_random));
}

void RequestWindow::retryLater(const std::shared_ptr<State> &job, milliseconds delay)
{
    if (delay <= milliseconds(0)) {
        m_ready.push_front(job);
        return;
    }
    m_delayed.push_back(job);
    QTimer::singleShot(delay, m_context.get(), [this, job] {
        auto it = std::find(m_delayed.begin(), m_delayed.end(), job);
        if (it == m_delayed.end())
            return; // abandoned meanwhile
        m_delayed.erase(it);
        m_ready.push_front(job);
        pump();
    });
}

void RequestWindow::abandon(const std::shared_ptr<State> &job, const QString &reason)
{
    if (job->ended)
        return;
    job->ended = true;
    job->job.abandoned(reason);
}

void RequestWindow::stop(engine::Error error)
{
    if (!m_stopped)
        m_stopped = std::move(error);
    auto ready = std::move(m_ready);
    auto delayed = std::move(m_delayed);
    m_ready.clear();
    m_delayed.clear();
    for (auto &job : ready)
        abandon(job, m_stopped->message);
    for (auto &job : delayed)
        abandon(job, m_stopped->message);
    maybeFinish();
}

void RequestWindow::maybeFinish()
{
    if (m_loop && m_loop->isRunning() && m_ready.empty() && m_delayed.empty() && m_inFlight == 0 && !m_refreshing)
        m_loop->quit();
}

} // namespace syncline::connectors::http
