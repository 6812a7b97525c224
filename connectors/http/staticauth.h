#pragma once
// The credentials that never change during a run: none, a bearer token, an API key (in a named
// header or query parameter) and HTTP basic. See httpauth.h for the contract.

#include "connectors/http/httpauth.h"

namespace syncline::connectors::http {

class NoAuth final : public HttpAuth
{
public:
    void apply(HttpRequest &) const override { }
    QByteArray identity() const override { return {}; }
    QString schemeName() const override { return QStringLiteral("none"); }
};

// "Authorization: Bearer <token>".
class BearerTokenAuth final : public HttpAuth
{
public:
    explicit BearerTokenAuth(QString token)
        : m_token(std::move(token))
    { }
    void apply(HttpRequest &request) const override;
    QByteArray identity() const override { return m_token.toUtf8(); }
    QString schemeName() const override { return QStringLiteral("bearer token"); }

private:
    QString m_token;
};

// The key in header `headerName` (e.g. X-API-Key), or, when `queryName` is set, in that query parameter.
class ApiKeyAuth final : public HttpAuth
{
public:
    ApiKeyAuth(QString key, QByteArray headerName, QString queryName)
        : m_key(std::move(key))
        , m_headerName(std::move(headerName))
        , m_queryName(std::move(queryName))
    { }
    void apply(HttpRequest &request) const override;
    QByteArray identity() const override { return m_key.toUtf8(); }
    QString schemeName() const override { return QStringLiteral("API key"); }

private:
    QString m_key;
    QByteArray m_headerName;
    QString m_queryName;
};

// "Authorization: Basic base64(user:password)".
class BasicAuth final : public HttpAuth
{
public:
    BasicAuth(QString user, QString password)
        : m_user(std::move(user))
        , m_password(std::move(password))
    { }
    void apply(HttpRequest &request) const override;
    QByteArray identity() const override { return m_user.toUtf8(); }
    QString schemeName() const override { return QStringLiteral("basic"); }

private:
    QString m_user;
    QString m_password;
};

} // namespace syncline::connectors::http
