#pragma once
// The time source the scheduler and its tests share: "now" as a UTC instant. Passed in by the
// composition root (SystemClock) or by a test (a clock it moves by hand); never a global.
// Thread: implementations must be safe to call from any thread.

#include <QDateTime>

namespace syncline::engine::schedule {

class Clock
{
public:
    virtual ~Clock() = default;
    virtual QDateTime now() const = 0; // UTC
};

class SystemClock final : public Clock
{
public:
    QDateTime now() const override { return QDateTime::currentDateTimeUtc(); }
};

} // namespace syncline::engine::schedule
