#pragma once
// How an HTTP connector proves who it is: a strategy applied to every request. Static schemes
// (bearer token, API key, basic) live in staticauth.h, the OAuth 2.0 refresh-token flow in
// oauth2refreshauth.h, and authFromDestination() (authfactory.h) picks one from a destination's
// settings and secrets. Every HTTP connector (generic and SaaS) reuses these.
// Thread: used by the run's thread only. Failure: refresh() reports an Error naming the token
// URL and status, never a secret.

#include "connectors/http/httpmessage.h"
#include "engine/core/diagnosticsink.h"
#include "engine/core/error.h"

#include <functional>

namespace syncline::connectors::http {

class HttpTransport;

class HttpAuth
{
public:
    virtual ~HttpAuth() = default;

    // Adds the credential to a request about to be sent (a header or a query parameter).
    virtual void apply(HttpRequest &request) const = 0;
    // What identifies the account, hashed into the rate limiter's key; never shown or stored.
    virtual QByteArray identity() const = 0;
    // A short name for messages: "bearer token", "API key", "basic", "OAuth 2.0", "none".
    virtual QString schemeName() const = 0;

    // Where warnings go (e.g. a rotated refresh token that could not be saved); may be null.
    virtual void setDiagnostics(engine::DiagnosticSink *sink) { Q_UNUSED(sink); }

    // Refreshable credentials (OAuth): a token is missing or about to expire.
    virtual bool canRefresh() const { return false; }
    virtual bool needsRefresh() const { return false; }
    // Bumps at each refresh; a request remembers the generation it was sent with.
    virtual int generation() const { return 0; }
    // A 401 answered a request sent with `generation`: the credential of that generation is spent.
    virtual void invalidate(int generation) { Q_UNUSED(generation); }
    // Gets a new credential through `transport`; `done` runs once, from the event loop.
    virtual void refresh(HttpTransport &transport, std::function<void(engine::Result<void>)> done)
    {
        Q_UNUSED(transport);
        done({});
    }
};

} // namespace syncline::connectors::http
