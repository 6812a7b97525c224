#include "ui/backgroundpool.h"

namespace syncline::ui {

QThreadPool &backgroundPool()
{
    static QThreadPool pool;
    static const bool configured = [] {
        pool.setMaxThreadCount(32);
        pool.setExpiryTimeout(30'000);
        return true;
    }();
    Q_UNUSED(configured);
    return pool;
}

} // namespace syncline::ui
