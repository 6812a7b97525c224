#pragma once

namespace syncline::ui {

// Lowers the calling thread's CPU priority (on Linux its nice value, +10) for long background
// work such as a plan or a send, so the GUI thread wins the CPU whenever it has something to do,
// even on a loaded two-core laptop. Threads the caller starts afterwards inherit it. It is not
// raised again (an unprivileged process cannot): call it only on threads of the background pool.
void lowerThreadPriority();

} // namespace syncline::ui
