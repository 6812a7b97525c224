#pragma once
// A fake Salesforce org on 127.0.0.1 for the connector and conformance tests, served from its own
// thread by the shared fake host (tests/fakes/fakehttphost.h). See fakesalesforcestate.h for
// what it does; the token endpoint is /services/oauth2/token on the same port, and token
// responses name the fake itself (or config.instanceUrl, e.g. a Prism proxy) as instance_url.
// Every accessor is thread-safe; the destructor stops the thread.

#include "tests/fakes/fakehttphost.h"
#include "tests/fakes/salesforce/fakesalesforcestate.h"

#include <memory>

namespace syncline::testfakes {

class FakeSalesforce
{
public:
    explicit FakeSalesforce(FakeSalesforceConfig config = {});
    FakeSalesforce(const FakeSalesforce &) = delete;
    FakeSalesforce &operator=(const FakeSalesforce &) = delete;

    bool start(quint16 port = 0, QString *error = nullptr);
    quint16 port() const { return m_host.port(); }
    QUrl url(const QString &path = {}) const { return m_host.url(path); } // http://127.0.0.1:<port><path>

    FakeSalesforceState &state() { return *m_state; }
    void setConfig(const FakeSalesforceConfig &config) { m_state->setConfig(config); }
    FakeSalesforceConfig config() const { return m_state->config(); }

    void expireTokens() { m_state->expireTokens(); }
    void failNextRequests(int count, int status, const QString &code, const QString &message)
    {
        m_state->failNextRequests(count, status, code, message);
    }
    QHash<QString, QJsonObject> records(const QString &object) const { return m_state->records(object); }
    // The record of `object` whose `field` equals `value` (ignoring case), or an empty object.
    QJsonObject recordBy(const QString &object, const QString &field, const QString &value) const;
    QList<FakeSalesforceRequest> requests() const { return m_state->requests(); }
    QList<FakeBulkJob> jobs() const { return m_state->jobs(); }
    FakeSalesforceCounters counters() const { return m_state->counters(); }

private:
    std::unique_ptr<FakeSalesforceState> m_state;
    FakeHttpHost m_host; // after m_state: stopped first
};

} // namespace syncline::testfakes
