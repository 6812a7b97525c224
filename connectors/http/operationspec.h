#pragma once
// How one operation (upsert, insert, update, delete, clear) becomes HTTP requests: method, path,
// extra headers, body, which statuses mean success, and where per-record errors and ids are in
// the answer. Defaults (no `operations:` setting): upsert/insert/update/clear POST base_url with
// the batch's payloads as a JSON array (one object when batch_size is 1); delete sends
// DELETE base_url/<match value, URL-encoded>; any 2xx is success (for delete, 404 and 410 too:
// the record is gone). Parsed from the `operations:` setting (see parseOperations()).
// Thread: an immutable value once parsed (templates render per thread; see RequestTemplate).

#include "connectors/http/requesttemplate.h"
#include "connectors/http/responsepath.h"
#include "engine/connector/connector.h"
#include "engine/core/error.h"

#include <QMap>
#include <QVariantMap>

#include <map>
#include <memory>
#include <optional>
#include <vector>

namespace syncline::connectors::http {

struct OperationSpec
{
    QByteArray method = "POST";
    std::optional<RequestTemplate> path; // appended to base_url; none: base_url itself
    bool defaultDeletePath = false; // base_url/<match value>
    QMap<QString, QString> headers; // added to the destination's headers
    std::optional<RequestTemplate> body; // none: the default JSON body
    bool sendsBody = true; // a default delete has no body
    std::vector<int> success; // empty: any 2xx
    std::optional<ResponsePath> errorsPath;
    std::optional<ResponsePath> idPath;

    // True when each request carries one record (the path names record fields, or the body is a
    // template without a {{#records}} section).
    bool perRecord() const;
    bool isSuccess(int status, engine::connector::Operation operation) const;
};

using OperationSpecs = std::map<engine::connector::Operation, std::shared_ptr<const OperationSpec>>;

// Builds the spec of every operation from the `operations:` setting (a map keyed by operation
// name; see the header comment of httpdestination.h for the shape). Operations without an entry
// get the defaults; upsert/insert/update/clear without overrides share one spec, so their records
// travel in the same requests. "http.settings" naming the destination and the key on a bad value.
engine::Result<OperationSpecs> parseOperations(const QString &destination, const QVariant &operations);

} // namespace syncline::connectors::http
