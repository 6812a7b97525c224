#include "app/cli/interruptcancel.h"

#include <csignal>
#include <cstdio>
#include <pthread.h>
#include <thread>
#include <unistd.h>

namespace syncline::cli {

InterruptCancel::InterruptCancel()
{
    sigset_t signals;
    sigemptyset(&signals);
    sigaddset(&signals, SIGINT);
    sigaddset(&signals, SIGTERM);
    pthread_sigmask(SIG_BLOCK, &signals, nullptr);
    // Detached: it holds its own copy of the token and lives until the process ends.
    std::thread([signals, token = m_token]() {
        for (int received = 0;; ++received) {
            int signal = 0;
            if (sigwait(&signals, &signal) != 0)
                return;
            if (received > 0) {
                static const char message[] = "syncline-cli: stopped; rows in flight are sent again by the next run\n";
                (void)!write(STDERR_FILENO, message, sizeof message - 1);
                _exit(128 + signal);
            }
            static const char message[] = "syncline-cli: cancelling; a batch already sent is recorded first (press Ctrl-C again to "
                                          "stop at once)\n";
            (void)!write(STDERR_FILENO, message, sizeof message - 1);
            token.cancel();
        }
    }).detach();
}

} // namespace syncline::cli
