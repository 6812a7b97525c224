#pragma once
// Undoes a response's Content-Encoding (gzip or deflate, which the transport asks for) with zlib.
// Thread: any; pure.

#include "engine/core/error.h"

#include <QByteArray>

namespace syncline::connectors::http {

// `body` decoded per `contentEncoding` ("gzip", "deflate", "identity" or empty); an error names the
// encoding when the bytes do not decode.
engine::Result<QByteArray> decodeContent(QByteArrayView contentEncoding, const QByteArray &body);

} // namespace syncline::connectors::http
