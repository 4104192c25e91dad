// ExamplesDelegate: in-table editors for the examples view (split combo; text edits that only commit real changes)
// and the search text highlighted in the cells that match it.
#pragma once

#include <QStyledItemDelegate>

namespace ts::ui {

class ExamplesDelegate final : public QStyledItemDelegate
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(ExamplesDelegate)

public:
    explicit ExamplesDelegate(QObject* parent = nullptr);

    void paint(QPainter* painter, const QStyleOptionViewItem& option, const QModelIndex& index) const override;
    // Where `needle` occurs in `text`, case-insensitively as the search matches (ASCII): start positions.
    static QList<int> matchPositions(const QString& text, const QString& needle);

    QWidget* createEditor(QWidget* parent, const QStyleOptionViewItem& option, const QModelIndex& index) const override;
    void setEditorData(QWidget* editor, const QModelIndex& index) const override;
    void setModelData(QWidget* editor, QAbstractItemModel* model, const QModelIndex& index) const override;
};

} // namespace ts::ui
