#include "tests/fakes/httprequestparser.h"

namespace syncline::testfakes {

QByteArray HttpRequest::header(const QByteArray &name) const
{
    for (const auto &[key, value] : headers) {
        if (key.compare(name, Qt::CaseInsensitive) == 0)
            return value;
    }
    return {};
}

QByteArray HttpRequest::path() const
{
    const qsizetype query = target.indexOf('?');
    return query < 0 ? target : target.left(query);
}

bool HttpRequest::keepAlive() const
{
    const QByteArray connection = header("Connection").toLower();
    if (version == "HTTP/1.0")
        return connection.contains("keep-alive");
    return !connection.contains("close");
}

namespace {

// Decodes a chunked body starting at `from`; returns the end offset, -1 when more bytes are
// needed, -2 on a malformed chunk.
qsizetype decodeChunked(const QByteArray &buffer, qsizetype from, QByteArray &body)
{
    qsizetype at = from;
    body.clear();
    for (;;) {
        const qsizetype lineEnd = buffer.indexOf("\r\n", at);
        if (lineEnd < 0)
            return -1;
        QByteArray sizeText = buffer.mid(at, lineEnd - at);
        const qsizetype extension = sizeText.indexOf(';');
        if (extension >= 0)
            sizeText.truncate(extension);
        bool ok = false;
        const qint64 size = sizeText.trimmed().toLongLong(&ok, 16);
        if (!ok || size < 0 || size > HttpRequestParser::maxBodyBytes)
            return -2;
        at = lineEnd + 2;
        if (size == 0) {
            // Trailers (ignored) end with an empty line.
            for (;;) {
                const qsizetype trailerEnd = buffer.indexOf("\r\n", at);
                if (trailerEnd < 0)
                    return -1;
                const bool empty = trailerEnd == at;
                at = trailerEnd + 2;
                if (empty)
                    return at;
            }
        }
        if (buffer.size() < at + size + 2)
            return -1;
        body.append(buffer.constData() + at, size);
        if (buffer.mid(at + size, 2) != "\r\n")
            return -2;
        at += size + 2;
    }
}

} // namespace

HttpRequestParser::Status HttpRequestParser::parse(QByteArray &buffer, HttpRequest &request, QString &error) const
{
    const qsizetype headerEnd = buffer.indexOf("\r\n\r\n");
    if (headerEnd < 0) {
        if (buffer.size() > maxHeaderBytes) {
            error = QStringLiteral("request headers exceed %1 bytes").arg(maxHeaderBytes);
            return Status::Error;
        }
        return Status::NeedMore;
    }
    HttpRequest parsed;
    const QList<QByteArray> lines = buffer.left(headerEnd).split('\n');
    const QList<QByteArray> requestLine = lines.value(0).trimmed().split(' ');
    if (requestLine.size() != 3 || !requestLine[2].startsWith("HTTP/1.")) {
        error = QStringLiteral("malformed request line: %1").arg(QString::fromLatin1(lines.value(0).left(200)));
        return Status::Error;
    }
    parsed.method = requestLine[0];
    parsed.target = requestLine[1];
    parsed.version = requestLine[2];
    for (qsizetype i = 1; i < lines.size(); ++i) {
        const QByteArray line = lines[i].trimmed();
        const qsizetype colon = line.indexOf(':');
        if (colon <= 0) {
            error = QStringLiteral("malformed header line: %1").arg(QString::fromLatin1(line.left(200)));
            return Status::Error;
        }
        parsed.headers.append({line.left(colon).trimmed(), line.mid(colon + 1).trimmed()});
    }
    const qsizetype bodyStart = headerEnd + 4;
    qsizetype end = bodyStart;
    if (parsed.header("Transfer-Encoding").toLower().contains("chunked")) {
        end = decodeChunked(buffer, bodyStart, parsed.body);
        if (end == -2) {
            error = QStringLiteral("malformed chunked body");
            return Status::Error;
        }
        if (end < 0)
            return Status::NeedMore;
    } else if (const QByteArray length = parsed.header("Content-Length"); !length.isEmpty()) {
        bool ok = false;
        const qint64 size = length.toLongLong(&ok);
        if (!ok || size < 0 || size > maxBodyBytes) {
            error = QStringLiteral("bad Content-Length: %1").arg(QString::fromLatin1(length));
            return Status::Error;
        }
        if (buffer.size() < bodyStart + size)
            return Status::NeedMore;
        parsed.body = buffer.mid(bodyStart, size);
        end = bodyStart + size;
    }
    buffer.remove(0, end);
    request = std::move(parsed);
    return Status::Complete;
}

} // namespace syncline::testfakes
