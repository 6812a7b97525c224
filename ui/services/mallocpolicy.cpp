#include "ui/services/mallocpolicy.h"

#include <cstdlib> // defines __GLIBC__ where the C library is glibc

#if defined(__GLIBC__)
#include <malloc.h>
#endif

namespace syncline::ui {

void keepMallocFromStallingTheGui()
{
#if defined(__GLIBC__)
    static const bool applied = [] { return mallopt(M_MXFAST, 0) == 1; }();
    (void)applied;
#endif
}

} // namespace syncline::ui
