#include "connectors/http/batchsettlement.h"

#include "engine/core/diagnosticsink.h"

#include <algorithm>

namespace syncline::connectors::http {

using engine::connector::RecordOutcome;

engine::Result<void> BatchSettlement::checkReachable(const QString &destination) const
{
    if (m_unreachable.isEmpty())
        return {};
    return engine::fail(QStringLiteral("http.unreachable"),
        QStringLiteral("Destination '%1' stopped the run: the previous batch got no answer (%2); the rows not "
                       "sent yet go out with the next run")
            .arg(destination, m_unreachable));
}

engine::Result<std::vector<RecordOutcome>> BatchSettlement::settle(const QString &destination,
    const engine::Result<void> &ran, int answered, std::vector<RecordOutcome> outcomes,
    engine::DiagnosticSink *diagnostics, const Explain &explain)
{
    if (!ran && answered == 0) {
        // Nothing was acknowledged or refused: the whole batch failed (cancelled, credential refused).
        if (explain)
            return std::unexpected(explain(ran.error()));
        engine::Error error = ran.error();
        error.message = QStringLiteral("Destination '%1': %2").arg(destination, error.message);
        return std::unexpected(error);
    }
    if (!ran && diagnostics)
        diagnostics->report(engine::Severity::Warning, QStringLiteral("destination '%1'").arg(destination),
            explain ? explain(ran.error()).message : ran.error().message);
    const bool noneGotThrough = std::all_of(outcomes.begin(), outcomes.end(),
        [](const RecordOutcome &outcome) { return !outcome.accepted && outcome.retryable; });
    if (!outcomes.empty() && noneGotThrough && answered == 0)
        m_unreachable = outcomes.front().error;
    return outcomes;
}

} // namespace syncline::connectors::http
