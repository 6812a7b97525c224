#include "tests/fakes/googlesheets/jwtverifier.h"

#include <QJsonDocument>

#include <memory>
#include <openssl/bio.h>
#include <openssl/evp.h>
#include <openssl/pem.h>

namespace syncline::testfakes::googlesheets {

namespace {

QByteArray bioText(BIO *bio)
{
    char *data = nullptr;
    const long length = BIO_get_mem_data(bio, &data);
    return QByteArray(data, qsizetype(length));
}

QByteArray fromBase64Url(const QByteArray &text, bool *ok)
{
    const auto decoded = QByteArray::fromBase64Encoding(
        text, QByteArray::Base64UrlEncoding | QByteArray::OmitTrailingEquals | QByteArray::AbortOnBase64DecodingErrors);
    *ok = bool(decoded);
    return decoded.decoded;
}

bool verifySignature(const QByteArray &publicPem, const QByteArray &signed_, const QByteArray &signature)
{
    std::unique_ptr<BIO, decltype(&BIO_free)> bio(
        BIO_new_mem_buf(publicPem.constData(), int(publicPem.size())), &BIO_free);
    std::unique_ptr<EVP_PKEY, decltype(&EVP_PKEY_free)> key(
        PEM_read_bio_PUBKEY(bio.get(), nullptr, nullptr, nullptr), &EVP_PKEY_free);
    if (!key)
        return false;
    std::unique_ptr<EVP_MD_CTX, decltype(&EVP_MD_CTX_free)> context(EVP_MD_CTX_new(), &EVP_MD_CTX_free);
    return context && EVP_DigestVerifyInit(context.get(), nullptr, EVP_sha256(), nullptr, key.get()) == 1
        && EVP_DigestVerify(context.get(), reinterpret_cast<const unsigned char *>(signature.constData()),
               size_t(signature.size()), reinterpret_cast<const unsigned char *>(signed_.constData()),
               size_t(signed_.size()))
        == 1;
}

} // namespace

RsaKeyPair generateRsaKey()
{
    RsaKeyPair pair;
    std::unique_ptr<EVP_PKEY, decltype(&EVP_PKEY_free)> key(EVP_RSA_gen(2048), &EVP_PKEY_free);
    if (!key)
        return pair;
    std::unique_ptr<BIO, decltype(&BIO_free)> privateBio(BIO_new(BIO_s_mem()), &BIO_free);
    std::unique_ptr<BIO, decltype(&BIO_free)> publicBio(BIO_new(BIO_s_mem()), &BIO_free);
    if (PEM_write_bio_PrivateKey(privateBio.get(), key.get(), nullptr, nullptr, 0, nullptr, nullptr) != 1
        || PEM_write_bio_PUBKEY(publicBio.get(), key.get()) != 1)
        return pair;
    pair.privatePem = bioText(privateBio.get());
    pair.publicPem = bioText(publicBio.get());
    return pair;
}

QString verifyAssertion(
    const QByteArray &assertion, const JwtExpectations &expected, const QDateTime &now, QJsonObject *claims)
{
    const QList<QByteArray> parts = assertion.split('.');
    if (parts.size() != 3)
        return QStringLiteral("Invalid JWT: not three parts");
    bool headerOk = false, claimsOk = false, signatureOk = false;
    const QJsonObject header = QJsonDocument::fromJson(fromBase64Url(parts[0], &headerOk)).object();
    const QJsonObject body = QJsonDocument::fromJson(fromBase64Url(parts[1], &claimsOk)).object();
    const QByteArray signature = fromBase64Url(parts[2], &signatureOk);
    if (!headerOk || !claimsOk || !signatureOk || header.isEmpty() || body.isEmpty())
        return QStringLiteral("Invalid JWT: not base64url JSON");
    if (header.value(QStringLiteral("alg")).toString() != QLatin1String("RS256"))
        return QStringLiteral("Invalid JWT: alg must be RS256");
    if (!verifySignature(expected.publicPem, parts[0] + '.' + parts[1], signature))
        return QStringLiteral("Invalid JWT Signature.");
    if (claims)
        *claims = body;
    if (body.value(QStringLiteral("iss")).toString() != expected.issuer)
        return QStringLiteral("Invalid issuer: %1").arg(body.value(QStringLiteral("iss")).toString());
    if (body.value(QStringLiteral("aud")).toString() != expected.audience)
        return QStringLiteral("Invalid JWT: Token must be a short-lived token (60 minutes) and in a reasonable "
                              "timeframe. Check your iat and exp values in the JWT claim. (aud %1)")
            .arg(body.value(QStringLiteral("aud")).toString());
    const QStringList scopes
        = body.value(QStringLiteral("scope")).toString().split(QLatin1Char(' '), Qt::SkipEmptyParts);
    if (!expected.scope.isEmpty() && !scopes.contains(expected.scope))
        return QStringLiteral("Invalid OAuth scope or ID token audience provided.");
    const qint64 issued = body.value(QStringLiteral("iat")).toInteger(-1);
    const qint64 expires = body.value(QStringLiteral("exp")).toInteger(-1);
    const qint64 at = now.toSecsSinceEpoch();
    if (issued < 0 || expires < 0 || expires <= at || issued > at + 60 || expires - issued > 3600)
        return QStringLiteral("Invalid JWT: Token must be a short-lived token (60 minutes) and in a reasonable "
                              "timeframe. Check your iat and exp values in the JWT claim.");
    return {};
}

} // namespace syncline::testfakes::googlesheets
