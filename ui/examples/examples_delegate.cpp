// ExamplesDelegate: a train/eval/test combo for Split; other columns use line edits that skip no-op commits.
#include "examples/examples_delegate.h"

#include <QApplication>
#include <QComboBox>
#include <QLineEdit>
#include <QPainter>
#include <QTextLayout>

#include "bridge/path_conversion.h"
#include "examples/examples_model.h"
#include "store/example.h"

namespace ts::ui {

ExamplesDelegate::ExamplesDelegate(QObject* parent)
    : QStyledItemDelegate(parent)
{ }

QList<int> ExamplesDelegate::matchPositions(const QString& text, const QString& needle)
{
    QList<int> positions;
    if (needle.isEmpty())
        return positions;
    for (qsizetype at = text.indexOf(needle, 0, Qt::CaseInsensitive); at >= 0;
         at = text.indexOf(needle, at + needle.size(), Qt::CaseInsensitive))
        positions.append(static_cast<int>(at));
    return positions;
}

void ExamplesDelegate::paint(QPainter* painter, const QStyleOptionViewItem& option, const QModelIndex& index) const
{
    const auto* model = qobject_cast<const ExamplesModel*>(index.model());
    const bool searched = index.column() == ExamplesModel::InputColumn || index.column() == ExamplesModel::OutputColumn;
    const QString needle = model && searched ? fromStd(model->query().text) : QString();
    QStyleOptionViewItem opt = option;
    initStyleOption(&opt, index);
    const QList<int> matches = matchPositions(opt.text, needle);
    if (matches.isEmpty()) {
        QStyledItemDelegate::paint(painter, option, index);
        return;
    }
    // The cell without its text, then the text with a marker behind each match.
    const QString text = opt.text;
    opt.text.clear();
    const QWidget* widget = opt.widget;
    QStyle* style = widget ? widget->style() : QApplication::style();
    style->drawControl(QStyle::CE_ItemViewItem, &opt, painter, widget);
    const QRect textRect = style->subElementRect(QStyle::SE_ItemViewItemText, &opt, widget).adjusted(3, 0, -3, 0);
    const QString shown = opt.fontMetrics.elidedText(text, opt.textElideMode, textRect.width());
    const bool selected = opt.state & QStyle::State_Selected;
    QTextCharFormat marked;
    marked.setBackground(QColor(255, 200, 40, selected ? 140 : 170));
    marked.setForeground(selected ? opt.palette.highlightedText() : QBrush(QColor(20, 20, 20)));
    QList<QTextLayout::FormatRange> ranges;
    for (int at : matchPositions(shown, needle))
        ranges.append({at, static_cast<int>(needle.size()), marked});
    QTextLayout layout(shown, opt.font);
    QTextOption textOption;
    textOption.setWrapMode(QTextOption::NoWrap);
    layout.setTextOption(textOption);
    layout.setFormats(ranges);
    layout.beginLayout();
    QTextLine line = layout.createLine();
    line.setLineWidth(textRect.width());
    layout.endLayout();
    painter->save();
    painter->setPen(opt.palette.color(opt.state & QStyle::State_Enabled ? QPalette::Normal : QPalette::Disabled,
                                      selected ? QPalette::HighlightedText : QPalette::Text));
    painter->setClipRect(textRect);
    const qreal y = textRect.top() + (textRect.height() - line.height()) / 2.0;
    layout.draw(painter, QPointF(textRect.left(), y));
    painter->restore();
}

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
