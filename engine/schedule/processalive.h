#pragma once
// Whether a process id names a live process on this machine (a lease's holder). Errs towards
// "alive" when it cannot tell, so a lease is never taken from a process that still runs.

#include <QtGlobal>

namespace syncline::engine::schedule {

bool processExists(qint64 pid);

} // namespace syncline::engine::schedule
