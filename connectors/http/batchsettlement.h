#pragma once
// What an HTTP connector's deliver() makes of one RequestWindow run, the same for every connector:
// a run nothing answered fails the batch; a run cut short but partly answered warns and returns
// the outcomes; and a batch none of whose records got through (no answer at all) makes the next
// deliver() fail with http.unreachable, so the runner stops instead of sending batch after batch
// into an API that is down. Thread: the run's (one per connector instance).

#include "engine/connector/connector.h"
#include "engine/core/error.h"

#include <QString>

#include <functional>
#include <vector>

namespace syncline::connectors::http {

class BatchSettlement
{
public:
    // Turns an error into the message the user sees; by default "Destination '<name>': <message>".
    using Explain = std::function<engine::Error(engine::Error)>;

    // http.unreachable when the previous batch got no answer at all; call first in deliver().
    engine::Result<void> checkReachable(const QString &destination) const;
    // `ran` is RequestWindow::run()'s result, `answered` the records the API accepted or refused.
    engine::Result<std::vector<engine::connector::RecordOutcome>> settle(const QString &destination,
        const engine::Result<void> &ran, int answered, std::vector<engine::connector::RecordOutcome> outcomes,
        engine::DiagnosticSink *diagnostics, const Explain &explain = {});

private:
    QString m_unreachable; // set when a whole batch got no answer: the run stops at the next one
};

} // namespace syncline::connectors::http
