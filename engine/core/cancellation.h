#pragma once
// A cancellation request shared between the thread that asks and the thread that works.
// Thread-safe: cancel() may be called from any thread; loops poll isCancelled() per batch,
// and blocking calls register a callback (e.g. SQLCancel) that cancel() invokes once.

#include <atomic>
#include <functional>
#include <memory>
#include <mutex>
#include <vector>

namespace syncline::engine {

class CancellationToken
{
public:
    CancellationToken() : m_state(std::make_shared<State>()) {}

    void cancel() const
    {
        std::vector<std::function<void()>> callbacks;
        {
            std::lock_guard lock(m_state->mutex);
            if (m_state->cancelled.exchange(true))
                return;
            callbacks.swap(m_state->callbacks);
        }
        for (auto &callback : callbacks)
            callback();
    }

    bool isCancelled() const { return m_state->cancelled.load(std::memory_order_relaxed); }

    // Runs `callback` on cancel(), or at once when already cancelled. The returned guard
    // unregisters it when destroyed, so a callback never outlives the handle it cancels.
    class Registration
    {
    public:
        Registration() = default;
        Registration(const Registration &) = delete;
        Registration &operator=(const Registration &) = delete;
        Registration(Registration &&other) noexcept : m_unregister(std::move(other.m_unregister)) { other.m_unregister = nullptr; }
        Registration &operator=(Registration &&other) noexcept
        {
            reset();
            m_unregister = std::move(other.m_unregister);
            other.m_unregister = nullptr;
            return *this;
        }
        ~Registration() { reset(); }
        void reset()
        {
            if (m_unregister)
                m_unregister();
            m_unregister = nullptr;
        }

    private:
        friend class CancellationToken;
        std::function<void()> m_unregister;
    };

    [[nodiscard]] Registration onCancel(std::function<void()> callback) const
    {
        Registration registration;
        {
            std::lock_guard lock(m_state->mutex);
            if (!m_state->cancelled) {
                const size_t slot = m_state->callbacks.size();
                m_state->callbacks.push_back(std::move(callback));
                std::weak_ptr<State> weak = m_state;
                registration.m_unregister = [weak, slot] {
                    if (auto state = weak.lock()) {
                        std::lock_guard lock(state->mutex);
                        if (slot < state->callbacks.size())
                            state->callbacks[slot] = [] {};
                    }
                };
                return registration;
            }
        }
        callback();
        return registration;
    }

private:
    struct State
    {
        std::atomic_bool cancelled{false};
        std::mutex mutex;
        std::vector<std::function<void()>> callbacks;
    };
    std::shared_ptr<State> m_state;
};

} // namespace syncline::engine
