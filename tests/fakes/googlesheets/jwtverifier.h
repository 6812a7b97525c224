#pragma once
// The fake token endpoint's side of a service account's JWT bearer grant: checks an RS256
// assertion's signature with the service account's public key (OpenSSL EVP) and its claims as
// Google does (iss, aud, scope, iat, exp at most an hour later). Also makes throwaway RSA keys for
// tests. Thread: values; safe from any thread.

#include <QByteArray>
#include <QDateTime>
#include <QJsonObject>
#include <QString>

namespace syncline::testfakes::googlesheets {

struct RsaKeyPair
{
    QByteArray privatePem; // PKCS#8, as in a Google JSON key
    QByteArray publicPem; // SubjectPublicKeyInfo
};
// A fresh 2048-bit RSA key (OpenSSL); empty PEMs when OpenSSL fails.
RsaKeyPair generateRsaKey();

struct JwtExpectations
{
    QByteArray publicPem;
    QString issuer; // the service account's client_email
    QString audience; // Google checks https://oauth2.googleapis.com/token
    QString scope; // a scope the assertion must ask for
};

// Empty when `assertion` is valid at `now`, else why not (Google's words where it has them);
// `claims` receives the decoded claims when the signature checks out.
QString verifyAssertion(
    const QByteArray &assertion, const JwtExpectations &expected, const QDateTime &now, QJsonObject *claims = nullptr);

} // namespace syncline::testfakes::googlesheets
