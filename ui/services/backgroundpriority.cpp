#include "ui/services/backgroundpriority.h"

#include <QThread>

#include <cerrno>

#ifdef Q_OS_LINUX
#include <sys/resource.h>
#include <sys/syscall.h>
#include <unistd.h>
#endif

namespace syncline::ui {

void lowerThreadPriority()
{
#ifdef Q_OS_LINUX
    // Linux schedules threads as tasks: the nice value of one thread id applies to that thread only.
    const auto tid = id_t(syscall(SYS_gettid));
    errno = 0;
    const int current = getpriority(PRIO_PROCESS, tid);
    if (errno == 0 && current < 10)
        (void)setpriority(PRIO_PROCESS, tid, 10);
#else
    QThread::currentThread()->setPriority(QThread::LowPriority);
#endif
}

} // namespace syncline::ui
