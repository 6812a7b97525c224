#include "connectors/http/httpresponsereader.h"

namespace syncline::connectors::http {

namespace {

// A header section or chunk-size line longer than this is not HTTP we should keep reading.
constexpr qsizetype kMaxLine = 64 * 1024;
constexpr int kMaxHeaders = 500;

bool hasToken(const QByteArray &value, QByteArrayView token)
{
    for (const QByteArray &part : value.split(','))
        if (part.trimmed().compare(token, Qt::CaseInsensitive) == 0)
            return true;
    return false;
}

} // namespace

HttpResponseReader::HttpResponseReader(bool headRequest)
    : m_head(headRequest)
{ }

bool HttpResponseReader::fail(const QString &message)
{
    m_state = State::Failed;
    m_error = message;
    return false;
}

bool HttpResponseReader::takeLine(QByteArray &line)
{
    const qsizetype end = m_buffer.indexOf('\n');
    if (end < 0) {
        if (m_buffer.size() > kMaxLine)
            fail(QStringLiteral("the server sent a line longer than %1 bytes").arg(kMaxLine));
        return false;
    }
    line = m_buffer.left(end);
    if (line.endsWith('\r'))
        line.chop(1);
    m_buffer.remove(0, end + 1);
    return true;
}

bool HttpResponseReader::feed(QByteArrayView bytes)
{
    if (m_state == State::Failed)
        return false;
    if (!bytes.isEmpty())
        m_started = true;
    m_buffer.append(bytes);
    while (m_state != State::Done && m_state != State::Failed) {
        if (!step())
            break;
    }
    return m_state != State::Failed;
}

void HttpResponseReader::closed()
{
    if (m_state == State::UntilClose) {
        m_keepAlive = false;
        m_state = State::Done;
    }
}

void HttpResponseReader::finish()
{
    m_state = State::Done;
}

// One state transition; false when more bytes are needed (or on failure).
bool HttpResponseReader::step()
{
    QByteArray line;
    switch (m_state) {
    case State::StatusLine: {
        if (!takeLine(line))
            return false;
        if (line.isEmpty())
            return true; // tolerate a stray CRLF between responses
        // "HTTP/1.1 200 OK"
        const QList<QByteArray> parts = line.split(' ');
        if (parts.size() < 2 || !parts[0].startsWith("HTTP/1."))
            return fail(QStringLiteral("the server did not answer in HTTP/1.x (status line \"%1\")")
                            .arg(QString::fromLatin1(line.left(80))));
        bool ok = false;
        m_status = parts[1].toInt(&ok);
        if (!ok || m_status < 100 || m_status > 999)
            return fail(QStringLiteral("the server sent an invalid status \"%1\"").arg(QString::fromLatin1(parts[1].left(20))));
        m_http10 = parts[0] == "HTTP/1.0";
        m_headers.clear();
        m_state = State::Headers;
        return true;
    }
    case State::Headers: {
        if (!takeLine(line))
            return false;
        if (!line.isEmpty()) {
            const qsizetype colon = line.indexOf(':');
            if (colon <= 0)
                return fail(QStringLiteral("the server sent a malformed header line"));
            if (m_headers.size() >= kMaxHeaders)
                return fail(QStringLiteral("the server sent more than %1 headers").arg(kMaxHeaders));
            m_headers.append({ line.left(colon).trimmed(), line.mid(colon + 1).trimmed() });
            return true;
        }
        if (m_status >= 100 && m_status < 200) {
            m_state = State::StatusLine; // interim answer (100 Continue, 103 ...): the real one follows
            return true;
        }
        return startBody();
    }
    case State::Body: {
        const qsizetype take = qMin<qsizetype>(m_remaining, m_buffer.size());
        m_body.append(m_buffer.constData(), take);
        m_buffer.remove(0, take);
        m_remaining -= take;
        if (m_remaining > 0)
            return false;
        finish();
        return true;
    }
    case State::ChunkSize: {
        if (!takeLine(line))
            return false;
        const qsizetype extension = line.indexOf(';');
        const QByteArray size = (extension < 0 ? line : line.left(extension)).trimmed();
        bool ok = false;
        m_remaining = size.toLongLong(&ok, 16);
        if (!ok || m_remaining < 0)
            return fail(QStringLiteral("the server sent an invalid chunk size"));
        m_state = m_remaining == 0 ? State::Trailers : State::ChunkData;
        return true;
    }
    case State::ChunkData: {
        const qsizetype take = qMin<qsizetype>(m_remaining, m_buffer.size());
        m_body.append(m_buffer.constData(), take);
        m_buffer.remove(0, take);
        m_remaining -= take;
        if (m_remaining > 0)
            return false;
        m_state = State::ChunkDataEnd;
        return true;
    }
    case State::ChunkDataEnd: {
        if (!takeLine(line))
            return false;
        if (!line.isEmpty())
            return fail(QStringLiteral("the server sent a chunk longer than its declared size"));
        m_state = State::ChunkSize;
        return true;
    }
    case State::Trailers: {
        if (!takeLine(line))
            return false;
        if (line.isEmpty())
            finish();
        return true;
    }
    case State::UntilClose:
        m_body.append(m_buffer);
        m_buffer.clear();
        return false;
    case State::Done:
    case State::Failed:
        return false;
    }
    return false;
}

bool HttpResponseReader::startBody()
{
    const QByteArray connection = headerValue(m_headers, "Connection");
    m_keepAlive = m_http10 ? hasToken(connection, "keep-alive") : !hasToken(connection, "close");

    if (m_head || m_status == 204 || m_status == 304) {
        finish();
        return true;
    }
    if (hasToken(headerValue(m_headers, "Transfer-Encoding"), "chunked")) {
        m_state = State::ChunkSize;
        return true;
    }
    const QByteArray length = headerValue(m_headers, "Content-Length");
    if (!length.isEmpty()) {
        bool ok = false;
        m_remaining = length.trimmed().toLongLong(&ok);
        if (!ok || m_remaining < 0)
            return fail(QStringLiteral("the server sent an invalid Content-Length \"%1\"").arg(QString::fromLatin1(length.left(20))));
        m_body.reserve(m_remaining);
        m_state = State::Body;
        return true;
    }
    // No framing: the body ends with the connection.
    m_keepAlive = false;
    m_state = State::UntilClose;
    return true;
}

} // namespace syncline::connectors::http
