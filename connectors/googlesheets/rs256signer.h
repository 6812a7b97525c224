#pragma once
// Signs bytes with RS256 (RSASSA-PKCS1-v1_5 over SHA-256), the signature of a Google service
// account's JWT assertion, through OpenSSL's EVP API; no cryptography is written here.
// Thread: a value; sign() may be called from any thread (the key is only read).
// Failure: "googlesheets.key" naming what is wrong with the key, never its content.

#include "engine/core/error.h"

#include <QByteArray>

#include <memory>

struct evp_pkey_st;

namespace syncline::connectors::googlesheets {

class Rs256Signer
{
public:
    // A PEM private key: PKCS#8 ("BEGIN PRIVATE KEY", what Google issues) or PKCS#1 RSA.
    static engine::Result<Rs256Signer> fromPem(const QByteArray &pem);

    engine::Result<QByteArray> sign(const QByteArray &data) const;

private:
    explicit Rs256Signer(std::shared_ptr<evp_pkey_st> key)
        : m_key(std::move(key))
    { }
    std::shared_ptr<evp_pkey_st> m_key;
};

// Base64url without padding (RFC 7515), as JWTs encode their parts.
QByteArray base64Url(const QByteArray &data);

} // namespace syncline::connectors::googlesheets
