// ShortcutsDialog: every keyboard shortcut of a window, read from its QActions and QShortcuts when the dialog opens,
// so the list cannot drift from what the keys do.
#pragma once

#include <functional>

#include <QDialog>
#include <QList>

class QTreeWidget;

namespace ts::ui {

struct ShortcutEntry
{
    QString keys; // "Ctrl+Shift+Z, Ctrl+Y" (native text)
    QString what; // the action's text without mnemonics
    QString where; // the menu it is in, or the page it belongs to
};

// Every enabled-or-not QAction with a shortcut and every QShortcut under `window`, sorted by `where` then `what`.
// `whereOf` names the page (or area) a widget belongs to; "" when it is not on a page.
QList<ShortcutEntry> collectShortcuts(QWidget* window, const std::function<QString(const QWidget*)>& whereOf);

class ShortcutsDialog final : public QDialog
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(ShortcutsDialog)

public:
    ShortcutsDialog(const QList<ShortcutEntry>& entries, QWidget* parent = nullptr);
    QTreeWidget* table() const { return m_table; }

private:
    QTreeWidget* m_table = nullptr;
};

} // namespace ts::ui
