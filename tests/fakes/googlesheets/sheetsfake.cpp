#include "tests/fakes/googlesheets/sheetsfake.h"

namespace syncline::testfakes::googlesheets {

SheetsFake::SheetsFake(SheetsFakeConfig config)
    : m_state(std::make_unique<SheetsFakeState>(std::move(config)))
    , m_host([state = m_state.get()](const HttpRequest &request) { return state->handle(request); })
{ }

} // namespace syncline::testfakes::googlesheets
