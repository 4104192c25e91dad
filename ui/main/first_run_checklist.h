// FirstRunChecklist: the user's path through a project as five steps (curate → try prompts → train → evaluate →
// decide), each ticked from what the project holds (read off the GUI thread) and each a link to its page.
#pragma once

#include <array>

#include <QFrame>

#include "bridge/project_load.h"

class QLabel;

namespace ts {
class Project;
}

namespace ts::ui {

// What the checklist reads from a project.
struct ChecklistState
{
    qint64 curatedExamples = 0; // golden and imported (not synthetic)
    bool hasEvalExamples = false;
    bool abTestDone = false; // an A/B test run that finished
    bool trainingDone = false; // a training run that finished
    bool testSplitRunDone = false; // an A/B test run on the test split that finished
};

class FirstRunChecklist final : public QFrame
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(FirstRunChecklist)

public:
    static constexpr int kStepCount = 5;
    static constexpr qint64 kEnoughExamples = 20;

    // `pageOfStep`: the sidebar row each step links to.
    FirstRunChecklist(const std::array<int, kStepCount>& pageOfStep, QWidget* parent = nullptr);

    void setProject(ts::Project* project); // reads it again (also after refresh())
    void refresh();
    bool isLoading() const { return m_load.isLoading(); }
    bool stepDone(int step) const;
    QLabel* stepLabel(int step) const { return m_steps.at(static_cast<size_t>(step)); }

signals:
    void pageRequested(int page);

private:
    void showState(const ChecklistState& state);

    ts::Project* m_project = nullptr;
    std::array<int, kStepCount> m_pageOfStep;
    std::array<QLabel*, kStepCount> m_steps {};
    std::array<bool, kStepCount> m_done {};
    QLabel* m_summary = nullptr;
    ProjectLoad m_load {this};
};

} // namespace ts::ui
