// LineageView: seed → evolution steps as nested tree items (see lineage_view.h).
#include "synth/lineage_view.h"

#include <QHeaderView>
#include <QLocale>

#include "bridge/path_conversion.h"

namespace ts::ui {

using ts::synth::SyntheticRow;

namespace {

constexpr qsizetype kShownChars = 240;

// A labelled text line: the start of the text in the cell, all of it in the tooltip.
QTreeWidgetItem* textItem(QTreeWidgetItem* parent, const QString& label, const std::string& text)
{
    auto* item = new QTreeWidgetItem(parent);
    QString shown = fromStd(text).simplified();
    if (shown.size() > kShownChars)
        shown = shown.left(kShownChars - 1) + QChar(0x2026);
    item->setText(0, label);
    item->setText(1, shown.isEmpty() ? LineageView::tr("(empty)") : shown);
    item->setToolTip(1, fromStd(text));
    return item;
}

QString stepSummary(const SyntheticRow& step)
{
    QStringList parts;
    parts << LineageView::tr("round %1").arg(step.round);
    if (step.quality)
        parts << LineageView::tr("quality %1").arg(QLocale().toString(*step.quality, 'f', 1));
    parts << (step.cost ? LineageView::tr("$%1").arg(QLocale().toString(*step.cost, 'f', 4))
                        : LineageView::tr("cost unknown"));
    parts << LineageView::tr("%1 tokens in, %2 out")
                 .arg(QLocale().toString(static_cast<qint64>(step.tokensIn)),
                      QLocale().toString(static_cast<qint64>(step.tokensOut)));
    return parts.join(QStringLiteral(" · "));
}

} // namespace

LineageView::LineageView(QWidget* parent)
    : QTreeWidget(parent)
{
    setColumnCount(2);
    setHeaderLabels({tr("Step"), tr("Text")});
    header()->setSectionResizeMode(0, QHeaderView::ResizeToContents);
    header()->setStretchLastSection(true);
    setSelectionMode(QAbstractItemView::NoSelection);
    setUniformRowHeights(true);
    showNotice(tr("Select a row to see where it came from."));
}

void LineageView::showNotice(const QString& text)
{
    clear();
    auto* item = new QTreeWidgetItem(this);
    item->setText(0, text);
    item->setFirstColumnSpanned(true);
    item->setFlags(Qt::ItemIsEnabled);
}

void LineageView::showLineage(const std::optional<ts::Example>& seed, const std::vector<SyntheticRow>& steps)
{
    clear();
    QTreeWidgetItem* parent = nullptr;
    if (!steps.empty() && steps.front().seedExampleId) {
        auto* root = new QTreeWidgetItem(this);
        root->setText(0, tr("Seed example #%1").arg(*steps.front().seedExampleId));
        if (seed) {
            root->setText(1, tr("golden, %1 split").arg(fromStd(std::string(ts::splitName(seed->split)))));
            textItem(root, tr("Input"), seed->input());
            textItem(root, tr("Answer"), seed->output());
        } else {
            root->setText(1, tr("deleted from the golden set"));
        }
        parent = root;
    }
    for (size_t i = 0; i < steps.size(); ++i) {
        const SyntheticRow& step = steps[i];
        auto* item = parent ? new QTreeWidgetItem(parent) : new QTreeWidgetItem(this);
        item->setText(
            0, tr("Step %1: %2").arg(i + 1).arg(fromStd(step.operation).replace(QLatin1Char('_'), QLatin1Char(' '))));
        item->setText(1, stepSummary(step));
        if (i + 1 == steps.size()) {
            QFont bold = item->font(0);
            bold.setBold(true);
            item->setFont(0, bold);
            item->setFont(1, bold);
        }
        textItem(item, tr("Instruction"), step.instruction);
        textItem(item, tr("Teacher's answer"), step.output);
        if (!step.reason.empty())
            textItem(item, tr("Reason"), step.reason);
        parent = item;
    }
    if (!topLevelItemCount())
        showNotice(tr("This row has no recorded lineage."));
    expandAll();
}

} // namespace ts::ui
