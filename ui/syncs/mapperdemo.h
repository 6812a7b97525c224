#pragma once

namespace syncline::ui {

class MappingDocument;

// Fills `document` with the demo warehouse's customers columns, three sample rows and a
// CRM-like "contacts" object (typed fields, an identifier, a read-only field), for the
// screenshot tour and tests. With `mapSome`, auto-maps and adds a template and a constant,
// leaving one type mismatch to show a warning. The undo stack is cleared afterwards.
void fillDemoMapper(MappingDocument *document, bool mapSome = true);

} // namespace syncline::ui
