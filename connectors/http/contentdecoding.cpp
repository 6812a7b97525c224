#include "connectors/http/contentdecoding.h"

#include <zlib.h>

namespace syncline::connectors::http {

namespace {

// windowBits: 15 + 32 reads a gzip or zlib header; -15 reads raw deflate (some servers send it
// for "deflate", although the name means zlib).
std::optional<QByteArray> inflateAll(const QByteArray &body, int windowBits)
{
    z_stream stream {};
    if (inflateInit2(&stream, windowBits) != Z_OK)
        return std::nullopt;
    QByteArray out;
    out.reserve(body.size() * 4);
    stream.next_in = reinterpret_cast<Bytef *>(const_cast<char *>(body.constData()));
    stream.avail_in = uInt(body.size());
    char chunk[64 * 1024];
    int status = Z_OK;
    while (status == Z_OK) {
        stream.next_out = reinterpret_cast<Bytef *>(chunk);
        stream.avail_out = sizeof chunk;
        status = inflate(&stream, Z_NO_FLUSH);
        if (status != Z_OK && status != Z_STREAM_END)
            break;
        out.append(chunk, qsizetype(sizeof chunk - stream.avail_out));
        if (status == Z_OK && stream.avail_in == 0 && stream.avail_out != 0)
            break; // input ended before the stream did
    }
    inflateEnd(&stream);
    if (status != Z_STREAM_END)
        return std::nullopt;
    return out;
}

} // namespace

engine::Result<QByteArray> decodeContent(QByteArrayView contentEncoding, const QByteArray &body)
{
    const QByteArray encoding = contentEncoding.toByteArray().trimmed().toLower();
    if (encoding.isEmpty() || encoding == "identity" || body.isEmpty())
        return body;
    if (encoding == "gzip" || encoding == "x-gzip" || encoding == "deflate") {
        if (auto decoded = inflateAll(body, 15 + 32))
            return *decoded;
        if (encoding == "deflate")
            if (auto decoded = inflateAll(body, -15))
                return *decoded;
    }
    return engine::fail(QStringLiteral("http.bad_encoding"),
                        QStringLiteral("the server's answer says Content-Encoding \"%1\" but its body does not decode as that")
                            .arg(QString::fromLatin1(encoding)),
                        true);
}

} // namespace syncline::connectors::http
