#pragma once
// Incremental HTTP/1.1 request parser for the test fakes: Content-Length and chunked bodies.
// Pure value code, no sockets; one parser per connection, used from the server's thread only.

#include <QByteArray>
#include <QList>
#include <QPair>
#include <QString>

namespace syncline::testfakes {

struct HttpRequest
{
    QByteArray method;
    QByteArray target;   // path and query as sent, e.g. "/people/a%40b.com?x=1"
    QByteArray version;  // "HTTP/1.1"
    QList<QPair<QByteArray, QByteArray>> headers;
    QByteArray body;     // de-chunked

    QByteArray header(const QByteArray &name) const; // case-insensitive; empty when absent
    QByteArray path() const;                         // target without the query
    bool keepAlive() const;
};

class HttpRequestParser
{
public:
    enum class Status { NeedMore, Complete, Error };

    // Parses one request from the front of `buffer`; on Complete it is removed from `buffer`.
    // On Error, `error` says why (the server answers 400 and closes).
    Status parse(QByteArray &buffer, HttpRequest &request, QString &error) const;

    static constexpr qsizetype maxHeaderBytes = 64 * 1024;
    static constexpr qsizetype maxBodyBytes = 64 * 1024 * 1024;
};

} // namespace syncline::testfakes
