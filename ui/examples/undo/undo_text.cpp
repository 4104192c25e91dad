// Undo-command labels: counts and field names for the Edit menu's Undo/Redo texts.
#include "examples/undo/undo_text.h"

#include <QCoreApplication>
#include <QLocale>

namespace ts::ui {

QString examplesCountText(qsizetype count)
{
    if (count == 1)
        return QCoreApplication::translate("UndoCommands", "1 example");
    return QCoreApplication::translate("UndoCommands", "%1 examples").arg(QLocale().toString(qint64(count)));
}

QString editLabel(const ts::Example& before, const ts::Example& after)
{
    int changed = 0;
    QString label;
    if (before.system() != after.system()) {
        ++changed;
        label = QCoreApplication::translate("UndoCommands", "Edit system prompt");
    }
    if (before.input() != after.input()) {
        ++changed;
        label = QCoreApplication::translate("UndoCommands", "Edit input");
    }
    if (before.output() != after.output()) {
        ++changed;
        label = QCoreApplication::translate("UndoCommands", "Edit ideal output");
    }
    if (before.split != after.split) {
        ++changed;
        label = QCoreApplication::translate("UndoCommands", "Change split");
    }
    if (before.tags != after.tags) {
        ++changed;
        label = QCoreApplication::translate("UndoCommands", "Edit tags");
    }
    if (changed != 1)
        label = QCoreApplication::translate("UndoCommands", "Edit example");
    return label;
}

} // namespace ts::ui
