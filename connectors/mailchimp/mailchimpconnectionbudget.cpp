#include "connectors/mailchimp/mailchimpconnectionbudget.h"

#include <algorithm>
#include <chrono>

namespace syncline::connectors::mailchimp {

int MailchimpConnectionBudget::acquire(const QString &account, int wanted, const engine::CancellationToken &cancellation)
{
    std::unique_lock lock(m_mutex);
    for (;;) {
        int &used = m_inUse[account];
        const int free = m_perAccount - used;
        if (free > 0) {
            const int taken = std::clamp(wanted, 1, free);
            used += taken;
            return taken;
        }
        if (cancellation.isCancelled())
            return 0;
        // Woken by a release, or every 100 ms to look at the cancellation token.
        m_freed.wait_for(lock, std::chrono::milliseconds(100));
    }
}

void MailchimpConnectionBudget::release(const QString &account, int count)
{
    if (count <= 0)
        return;
    {
        std::lock_guard lock(m_mutex);
        int &used = m_inUse[account];
        used = std::max(0, used - count);
    }
    m_freed.notify_all();
}

int MailchimpConnectionBudget::inUse(const QString &account) const
{
    std::lock_guard lock(m_mutex);
    const auto found = m_inUse.find(account);
    return found == m_inUse.end() ? 0 : found->second;
}

} // namespace syncline::connectors::mailchimp
