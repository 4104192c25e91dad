// ExamplesDelegate: a train/eval/test combo for Split; other columns use line edits that skip no-op commits.
#include "examples/examples_delegate.h"

#include <QComboBox>
#include <QLineEdit>

#include "bridge/path_conversion.h"
#include "examples/examples_model.h"
#include "store/example.h"

namespace ts::ui {

ExamplesDelegate::ExamplesDelegate(QObject* parent)
    : QStyledItemDelegate(parent)
{ }

QWidget* ExamplesDelegate::createEditor(QWidget* parent, const QStyleOptionViewItem& option,
                                        const QModelIndex& index) const
{
    if (index.column() == ExamplesModel::SplitColumn) {
        auto* combo = new QComboBox(parent);
        combo->setObjectName(QStringLiteral("splitEditor"));
        for (auto split : {ts::Split::Train, ts::Split::Eval, ts::Split::Test})
            combo->addItem(fromStd(ts::splitName(split)));
        // Commit as soon as a split is picked.
        connect(combo, &QComboBox::activated, this, [this, combo] {
            emit const_cast<ExamplesDelegate*>(this)->commitData(combo);
            emit const_cast<ExamplesDelegate*>(this)->closeEditor(combo);
        });
        return combo;
    }
    return QStyledItemDelegate::createEditor(parent, option, index);
}

void ExamplesDelegate::setEditorData(QWidget* editor, const QModelIndex& index) const
{
    if (auto* combo = qobject_cast<QComboBox*>(editor)) {
        combo->setCurrentText(index.data(Qt::EditRole).toString());
        return;
    }
    QStyledItemDelegate::setEditorData(editor, index);
}

void ExamplesDelegate::setModelData(QWidget* editor, QAbstractItemModel* model, const QModelIndex& index) const
{
    if (auto* combo = qobject_cast<QComboBox*>(editor)) {
        if (combo->currentText() != index.data(Qt::EditRole).toString())
            model->setData(index, combo->currentText(), Qt::EditRole);
        return;
    }
    if (auto* line = qobject_cast<QLineEdit*>(editor)) {
        // Opening and closing an editor must not create an undo step (or flatten line breaks).
        if (line->text() != index.data(Qt::EditRole).toString())
            model->setData(index, line->text(), Qt::EditRole);
        return;
    }
    QStyledItemDelegate::setModelData(editor, model, index);
}

} // namespace ts::ui
