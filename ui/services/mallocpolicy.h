#pragma once

namespace syncline::ui {

// Turns off glibc's fastbins for this process, once; harmless to call again and a no-op off glibc.
// Why: a key check or preview frees millions of small cells (psqlODBC rows, hash-set nodes) on
// pool threads. Fastbins park those frees, and the next large malloc in the same arena (often
// the GUI thread's) consolidates them all at once: 100-150 ms with the event loop frozen.
// Without fastbins each free coalesces as it happens, the per-thread tcache still serves small
// allocations, and a key check over a million rows costs about the same.
void keepMallocFromStallingTheGui();

} // namespace syncline::ui
