#pragma once
// Reads one HTTP/1.1 response from bytes as they arrive off a socket, in any split: the status
// line, headers, and a body framed by Content-Length, chunked transfer coding, or the end of the
// connection. Interim 1xx answers are skipped. Pure: no sockets, no Qt Network, so every framing
// case is unit-tested byte by byte.
// Thread: any; one reader per response.

#include "connectors/http/httpmessage.h"

#include <QByteArray>
#include <QString>

namespace syncline::connectors::http {

class HttpResponseReader
{
public:
    // `headRequest`: the answer to a HEAD has headers only, whatever Content-Length says.
    explicit HttpResponseReader(bool headRequest = false);

    // Consumes what it can of `bytes`; returns false on a protocol error (see error()).
    bool feed(QByteArrayView bytes);
    // The peer closed the connection: completes a body framed by the connection's end.
    void closed();

    bool complete() const { return m_state == State::Done; }
    bool failed() const { return m_state == State::Failed; }
    // Whether any byte of a response arrived (a reused connection that closes before that was stale).
    bool started() const { return m_started; }
    QString error() const { return m_error; }
    // After complete(): whether the connection may carry the next request.
    bool keepAlive() const { return m_keepAlive; }
    // Bytes fed after the end of this response (a server must not send any; they are discarded).
    qsizetype surplus() const { return m_buffer.size(); }

    int status() const { return m_status; }
    const HeaderList &headers() const { return m_headers; }
    QByteArray takeBody() { return std::move(m_body); }

private:
    enum class State { StatusLine, Headers, Body, ChunkSize, ChunkData, ChunkDataEnd, Trailers, UntilClose, Done, Failed };

    bool step();
    bool takeLine(QByteArray &line);
    bool fail(const QString &message);
    bool startBody();
    void finish();

    State m_state = State::StatusLine;
    bool m_head = false;
    bool m_started = false;
    bool m_keepAlive = true;
    bool m_http10 = false;
    int m_status = 0;
    qint64 m_remaining = 0;
    HeaderList m_headers;
    QByteArray m_body;
    QByteArray m_buffer;
    QString m_error;
};

} // namespace syncline::connectors::http
