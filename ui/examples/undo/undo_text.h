// Undo-command labels shared by the commands (counts, field names), translated in one context.
#pragma once

#include <QString>

#include "store/example.h"

namespace ts::ui {

// "1 example" / "12 examples", locale-formatted.
QString examplesCountText(qsizetype count);
// What an edit of one example changed, e.g. "Edit input", for the Edit menu.
QString editLabel(const ts::Example& before, const ts::Example& after);

} // namespace ts::ui
