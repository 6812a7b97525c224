#include "connectors/googlesheets/rs256signer.h"

#include <openssl/bio.h>
#include <openssl/err.h>
#include <openssl/evp.h>
#include <openssl/pem.h>

namespace syncline::connectors::googlesheets {

namespace {

// OpenSSL's own words for the last failure (no key material in them).
QString opensslReason()
{
    const unsigned long code = ERR_get_error();
    ERR_clear_error();
    if (code == 0)
        return QStringLiteral("unknown reason");
    char text[256] = {};
    ERR_error_string_n(code, text, sizeof text);
    return QString::fromLatin1(text);
}

} // namespace

engine::Result<Rs256Signer> Rs256Signer::fromPem(const QByteArray &pem)
{
    std::unique_ptr<BIO, decltype(&BIO_free)> bio(BIO_new_mem_buf(pem.constData(), int(pem.size())), &BIO_free);
    if (!bio)
        return engine::fail(QStringLiteral("googlesheets.key"), QStringLiteral("OpenSSL could not allocate a buffer"));
    EVP_PKEY *key = PEM_read_bio_PrivateKey(bio.get(), nullptr, nullptr, nullptr);
    if (!key)
        return engine::fail(QStringLiteral("googlesheets.key"),
            QStringLiteral("the service account's private_key is not a PEM private key OpenSSL can read (%1); "
                           "download a new JSON key from the Google Cloud console")
                .arg(opensslReason()));
    std::shared_ptr<evp_pkey_st> owned(key, &EVP_PKEY_free);
    if (EVP_PKEY_get_base_id(key) != EVP_PKEY_RSA)
        return engine::fail(QStringLiteral("googlesheets.key"),
            QStringLiteral("the service account's private_key is not an RSA key; Google signs service account "
                           "assertions with RS256, so use the JSON key Google issued"));
    return Rs256Signer(std::move(owned));
}

engine::Result<QByteArray> Rs256Signer::sign(const QByteArray &data) const
{
    std::unique_ptr<EVP_MD_CTX, decltype(&EVP_MD_CTX_free)> context(EVP_MD_CTX_new(), &EVP_MD_CTX_free);
    size_t length = 0;
    if (!context || EVP_DigestSignInit(context.get(), nullptr, EVP_sha256(), nullptr, m_key.get()) != 1
        || EVP_DigestSign(context.get(), nullptr, &length, reinterpret_cast<const unsigned char *>(data.constData()),
               size_t(data.size()))
            != 1)
        return engine::fail(QStringLiteral("googlesheets.key"),
            QStringLiteral("OpenSSL could not sign the service account assertion (%1)").arg(opensslReason()));
    QByteArray signature(qsizetype(length), Qt::Uninitialized);
    if (EVP_DigestSign(context.get(), reinterpret_cast<unsigned char *>(signature.data()), &length,
            reinterpret_cast<const unsigned char *>(data.constData()), size_t(data.size()))
        != 1)
        return engine::fail(QStringLiteral("googlesheets.key"),
            QStringLiteral("OpenSSL could not sign the service account assertion (%1)").arg(opensslReason()));
    signature.resize(qsizetype(length));
    return signature;
}

QByteArray base64Url(const QByteArray &data)
{
    return data.toBase64(QByteArray::Base64UrlEncoding | QByteArray::OmitTrailingEquals);
}

} // namespace syncline::connectors::googlesheets
