#pragma once
// Where the engine reports what a person may want to know (warnings, progress notes)
// without deciding how to show it. The CLI prints to stderr; the UI shows a panel.
// Implementations must be thread-safe: the engine reports from worker threads.

#include <QString>

namespace syncline::engine {

enum class Severity { Info, Warning, Error };

class DiagnosticSink
{
public:
    virtual ~DiagnosticSink() = default;
    virtual void report(Severity severity, const QString &where, const QString &message) = 0;
};

// Drops everything: for callers with nothing to show.
class NullDiagnosticSink final : public DiagnosticSink
{
public:
    void report(Severity, const QString &, const QString &) override {}
};

} // namespace syncline::engine
