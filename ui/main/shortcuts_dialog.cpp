// ShortcutsDialog: QAction/QShortcut discovery (menus name the place of a menu action; the page of a widget names the
// place of the others) and a three-column read-only table.
#include "main/shortcuts_dialog.h"

#include <algorithm>
#include <functional>
#include <tuple>

#include <QAction>
#include <QDialogButtonBox>
#include <QHeaderView>
#include <QMenu>
#include <QRegularExpression>
#include <QShortcut>
#include <QTreeWidget>
#include <QVBoxLayout>

namespace ts::ui {

namespace {

QString plainText(QString text)
{
    text.remove(QRegularExpression(QStringLiteral("&(?!&)")));
    text.replace(QStringLiteral("&&"), QStringLiteral("&"));
    if (text.endsWith(QStringLiteral("…")))
        text.chop(1);
    return text.trimmed();
}

QString keysText(const QList<QKeySequence>& keys)
{
    QStringList parts;
    for (const QKeySequence& key : keys)
        if (!key.isEmpty())
            parts << key.toString(QKeySequence::NativeText);
    return parts.join(QStringLiteral(", "));
}

} // namespace

QList<ShortcutEntry> collectShortcuts(QWidget* window, const std::function<QString(const QWidget*)>& whereOf)
{
    QList<ShortcutEntry> entries;
    for (QAction* action : window->findChildren<QAction*>()) {
        const QString keys = keysText(action->shortcuts());
        if (keys.isEmpty() || action->isSeparator())
            continue;
        QString where;
        for (QObject* object : action->associatedObjects())
            if (auto* menu = qobject_cast<QMenu*>(object); menu && !menu->title().isEmpty()) {
                where = plainText(menu->title());
                break;
            }
        if (where.isEmpty())
            if (auto* widget = qobject_cast<QWidget*>(action->parent()))
                where = whereOf(widget);
        QString what = plainText(action->text());
        if (what.isEmpty())
            what = plainText(action->toolTip());
        entries.append({keys, what, where});
    }
    for (QShortcut* shortcut : window->findChildren<QShortcut*>()) {
        const QString keys = keysText(shortcut->keys());
        if (keys.isEmpty())
            continue;
        const auto* widget = qobject_cast<QWidget*>(shortcut->parent());
        const QString what
            = shortcut->whatsThis().isEmpty() ? plainText(shortcut->objectName()) : plainText(shortcut->whatsThis());
        entries.append({keys, what, widget ? whereOf(widget) : QString()});
    }
    std::sort(entries.begin(), entries.end(), [](const ShortcutEntry& a, const ShortcutEntry& b) {
        return std::tie(a.where, a.what) < std::tie(b.where, b.what);
    });
    return entries;
}

ShortcutsDialog::ShortcutsDialog(const QList<ShortcutEntry>& entries, QWidget* parent)
    : QDialog(parent)
{
    setObjectName(QStringLiteral("shortcutsDialog"));
    setWindowTitle(tr("Keyboard Shortcuts"));
    auto* layout = new QVBoxLayout(this);
    m_table = new QTreeWidget(this);
    m_table->setObjectName(QStringLiteral("shortcutsTable"));
    m_table->setHeaderLabels({tr("Keys"), tr("Does"), tr("Where")});
    m_table->setRootIsDecorated(false);
    m_table->setUniformRowHeights(true);
    m_table->setAlternatingRowColors(true);
    for (const ShortcutEntry& entry : entries)
        new QTreeWidgetItem(m_table, {entry.keys, entry.what, entry.where.isEmpty() ? tr("Everywhere") : entry.where});
    m_table->header()->setSectionResizeMode(0, QHeaderView::ResizeToContents);
    m_table->header()->setSectionResizeMode(1, QHeaderView::Stretch);
    m_table->header()->setSectionResizeMode(2, QHeaderView::ResizeToContents);
    m_table->header()->setStretchLastSection(false);
    layout->addWidget(m_table);
    auto* buttons = new QDialogButtonBox(QDialogButtonBox::Close, this);
    connect(buttons, &QDialogButtonBox::rejected, this, &QDialog::reject);
    layout->addWidget(buttons);
    resize(620, 520);
}

} // namespace ts::ui
