// LineageView: a synthetic row's ancestry as a tree — the golden seed example (input and answer) at the root, then
// each evolution step nested under the one it evolved from, with its operation, round, the evolved instruction,
// the teacher's answer, the judge's quality, cost and tokens; the selected row is the deepest step, shown bold.
#pragma once

#include <optional>
#include <vector>

#include <QTreeWidget>

#include "store/example.h"
#include "synth/synthetic_row.h"

namespace ts::ui {

class LineageView final : public QTreeWidget
{
    Q_OBJECT

public:
    explicit LineageView(QWidget* parent = nullptr);

    // `steps`: the oldest ancestor first, the row itself last (SyntheticRowRepository::lineage).
    void showLineage(const std::optional<ts::Example>& seed, const std::vector<ts::synth::SyntheticRow>& steps);
    // A line in place of a lineage ("Select a row…", "Loading…", an error).
    void showNotice(const QString& text);
};

} // namespace ts::ui
