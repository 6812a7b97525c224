#pragma once
// Mailchimp's limit of 10 simultaneous connections per user, kept across every run of this
// process: a counting budget per account (API host + a hash of the key) that a deliver() takes
// slots from before it sends and gives back when it ends. A deliver() gets what is free (at most
// what it asks for), or waits until a slot is free, checking cancellation while it waits.
// Created once per connector registry (captured by the type's factory); no global instance.
// Thread-safe.

#include "engine/core/cancellation.h"

#include <QString>

#include <condition_variable>
#include <map>
#include <mutex>

namespace syncline::connectors::mailchimp {

class MailchimpConnectionBudget
{
public:
    explicit MailchimpConnectionBudget(int perAccount = 10)
        : m_perAccount(perAccount)
    { }

    // Slots taken for `account` (>= 1), or 0 when cancelled while waiting.
    int acquire(const QString &account, int wanted, const engine::CancellationToken &cancellation);
    void release(const QString &account, int count);
    int inUse(const QString &account) const;

    // Holds the slots of one deliver(); gives them back when it goes.
    class Lease
    {
    public:
        Lease(MailchimpConnectionBudget &budget, QString account, int granted)
            : m_budget(budget), m_account(std::move(account)), m_granted(granted)
        { }
        ~Lease() { m_budget.release(m_account, m_granted); }
        Lease(const Lease &) = delete;
        Lease &operator=(const Lease &) = delete;
        int granted() const { return m_granted; }

    private:
        MailchimpConnectionBudget &m_budget;
        QString m_account;
        int m_granted;
    };

private:
    int m_perAccount;
    mutable std::mutex m_mutex;
    std::condition_variable m_freed;
    std::map<QString, int> m_inUse;
};

} // namespace syncline::connectors::mailchimp
