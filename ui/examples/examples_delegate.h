// ExamplesDelegate: in-table editors for the examples view (split combo; text edits that only commit real changes).
#pragma once

#include <QStyledItemDelegate>

namespace ts::ui {

class ExamplesDelegate final : public QStyledItemDelegate
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(ExamplesDelegate)

public:
    explicit ExamplesDelegate(QObject* parent = nullptr);

    QWidget* createEditor(QWidget* parent, const QStyleOptionViewItem& option, const QModelIndex& index) const override;
    void setEditorData(QWidget* editor, const QModelIndex& index) const override;
    void setModelData(QWidget* editor, QAbstractItemModel* model, const QModelIndex& index) const override;
};

} // namespace ts::ui
