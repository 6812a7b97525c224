#include "connectors/builtinconnectors.h"

namespace syncline::connectors {

void registerBuiltinConnectors()
{
}

} // namespace syncline::connectors
