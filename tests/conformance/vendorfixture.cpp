#include "tests/conformance/vendorfixture.h"

namespace syncline::conformance {

std::vector<std::pair<QString, FixtureFactory>> &registeredVendors()
{
    static std::vector<std::pair<QString, FixtureFactory>> vendors; // filled before main() by each fixture
    return vendors;
}

} // namespace syncline::conformance
