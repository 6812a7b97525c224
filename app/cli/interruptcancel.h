#pragma once
// Ctrl-C (SIGINT) and SIGTERM as a cancellation, so `run`, `apply` and `plan` stop the way the
// app's Stop button does: the batch in flight finishes and is recorded, nothing else is sent,
// and the run ends "cancelled" (exit 6). A second signal stops the process at once; that is a
// crash as far as the engine is concerned, and the next run resends what was in flight.
// Signals are handled by a thread that waits for them (sigwait), not in a signal handler, since
// cancelling takes locks and calls into the ODBC driver.
// Use: construct once, early in a command, before the engine starts threads (they inherit the
// blocked signal mask); pass token() to the engine.

#include "engine/core/cancellation.h"

namespace syncline::cli {

class InterruptCancel
{
public:
    InterruptCancel();
    const engine::CancellationToken &token() const { return m_token; }

private:
    engine::CancellationToken m_token;
};

} // namespace syncline::cli
