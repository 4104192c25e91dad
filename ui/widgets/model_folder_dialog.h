// chooseModelFolder: asks for a Hugging Face model folder by its config.json (through the Dialogs seam, so tests
// can script it); used by the Training page's model picker and the Prompt lab's local endpoints.
#pragma once

#include <QString>

class QWidget;

namespace ts::ui {

// The folder (cleaned path), or "" when the user cancels. `start`: where the dialog opens ("" = home).
QString chooseModelFolder(QWidget* parent, const QString& start);

} // namespace ts::ui
