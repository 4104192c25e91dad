// SyntheticReviewPanel: the review half of the Synthetic data page. A table of one evolve run's rows (instruction,
// output, operation, round, parent, quality, stage, reason, review) with filters; accept / reject / edit as undoable
// commands on the window's undo stack; bulk accept above a quality threshold; "reject all like this" by reason;
// promotion of the accepted rows to the training set (undoable); and the selected row's lineage tree (seed → each
// evolution step with its operation, the teacher's text and cost). Writes run off the GUI thread.
#pragma once

#include <vector>

#include <QWidget>

#include "synth/synthetic_row.h"

class QUndoStack;

namespace ts {
class Project;
}

namespace ts::ui {

class SyntheticReviewPanel final : public QWidget
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(SyntheticReviewPanel)

public:
    SyntheticReviewPanel(QUndoStack& undoStack, QWidget* parent = nullptr);
    ~SyntheticReviewPanel() override;

    void setProject(ts::Project* project); // nullptr: closed (the table empties)
    // Shows run `runId` (0: none), with the run's quality threshold as the bulk-accept default; clears the table.
    void showRun(qint64 runId, double qualityThreshold);
    // Rows of the shown run that are new or changed since the last call (matched by id), as the page's feed reads
    // them from the project file.
    void applyRows(const std::vector<ts::synth::SyntheticRow>& rows);

signals:
    // The user changed rows (review, text, promotion): the page refreshes its funnel.
    void rowsChanged();
    // A promotion or its undo changed the golden examples (the Golden examples page reloads).
    void examplesChanged();

private:
    class Private;
    Private* d;
};

} // namespace ts::ui
