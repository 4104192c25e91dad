// FirstRunChecklist: one read-only pass over examples and runs on the work pool, shown as ticked links.
#include "main/first_run_checklist.h"

#include <QLabel>
#include <QVBoxLayout>

#include <nlohmann/json.hpp>

#include "store/example_repository.h"
#include "store/project.h"
#include "store/run_repository.h"

namespace ts::ui {

namespace {

ts::Expected<ChecklistState> readChecklistState(ts::Database& db)
{
    ChecklistState state;
    ts::ExampleRepository examples(db);
    auto total = examples.count();
    if (!total)
        return total.error();
    ts::ExampleQuery synthetic;
    synthetic.source = ts::Source::Synthetic;
    auto syntheticIds = examples.queryIds(synthetic);
    if (!syntheticIds)
        return syntheticIds.error();
    state.curatedExamples = *total - static_cast<qint64>(syntheticIds->size());
    ts::ExampleQuery eval;
    eval.split = ts::Split::Eval;
    auto evalIds = examples.queryIds(eval);
    if (!evalIds)
        return evalIds.error();
    state.hasEvalExamples = !evalIds->empty();

    auto runs = ts::RunRepository(db).list();
    if (!runs)
        return runs.error();
    for (const ts::Run& run : *runs) {
        if (run.status != ts::RunStatus::Succeeded)
            continue;
        if (run.kind == "train")
            state.trainingDone = true;
        if (run.kind == "ab_test") {
            state.abTestDone = true;
            const auto config = nlohmann::json::parse(run.config, nullptr, false);
            if (config.is_object() && config.value("split", std::string()) == "test")
                state.testSplitRunDone = true;
        }
    }
    return state;
}

} // namespace

FirstRunChecklist::FirstRunChecklist(const std::array<int, kStepCount>& pageOfStep, QWidget* parent)
    : QFrame(parent)
    , m_pageOfStep(pageOfStep)
{
    setObjectName(QStringLiteral("firstRunChecklist"));
    setFrameShape(QFrame::StyledPanel);
    auto* layout = new QVBoxLayout(this);
    layout->setContentsMargins(8, 6, 8, 8);
    layout->setSpacing(4);
    auto* title = new QLabel(tr("Getting started"), this);
    QFont bold = title->font();
    bold.setBold(true);
    title->setFont(bold);
    layout->addWidget(title);
    for (int i = 0; i < kStepCount; ++i) {
        auto* step = new QLabel(this);
        step->setObjectName(QStringLiteral("checklistStep%1").arg(i));
        step->setWordWrap(true);
        step->setTextFormat(Qt::RichText);
        step->setTextInteractionFlags(Qt::LinksAccessibleByMouse | Qt::LinksAccessibleByKeyboard);
        connect(step, &QLabel::linkActivated, this, [this, i] { emit pageRequested(m_pageOfStep.at(i)); });
        layout->addWidget(step);
        m_steps.at(static_cast<size_t>(i)) = step;
    }
    m_summary = new QLabel(this);
    m_summary->setObjectName(QStringLiteral("checklistSummary"));
    m_summary->setWordWrap(true);
    m_summary->setForegroundRole(QPalette::PlaceholderText);
    layout->addWidget(m_summary);
    showState(ChecklistState {});
}

void FirstRunChecklist::setProject(ts::Project* project)
{
    m_project = project;
    refresh();
}

void FirstRunChecklist::refresh()
{
    if (!m_project) {
        m_load.cancel();
        showState(ChecklistState {});
        return;
    }
    m_load.start<ChecklistState>(
        m_project->path(), [](ts::Database& reader) { return readChecklistState(reader); },
        [this](ts::Expected<ChecklistState>& state) {
            if (state)
                showState(*state);
            else
                m_summary->setText(
                    tr("Cannot read the project: %1").arg(QString::fromStdString(state.error().message)));
        });
}

bool FirstRunChecklist::stepDone(int step) const
{
    return m_done.at(static_cast<size_t>(step));
}

void FirstRunChecklist::showState(const ChecklistState& s)
{
    struct Step
    {
        bool done;
        QString link;
        QString detail;
    };
    const std::array<Step, kStepCount> steps {{
        {s.curatedExamples >= kEnoughExamples && s.hasEvalExamples, tr("Curate examples"),
         s.curatedExamples >= kEnoughExamples
             ? (s.hasEvalExamples ? tr("%1 examples").arg(s.curatedExamples) : tr("put some in the eval split"))
             : tr("%1 of %2 examples").arg(s.curatedExamples).arg(kEnoughExamples)},
        {s.abTestDone, tr("Try prompts"), s.abTestDone ? tr("an A/B test ran") : tr("run an A/B test")},
        {s.trainingDone, tr("Train"), s.trainingDone ? tr("a run finished") : tr("fine-tune a small model")},
        {s.testSplitRunDone, tr("Evaluate"),
         s.testSplitRunDone ? tr("a run on the test split") : tr("A/B test on the test split")},
        {false, tr("Decide"), tr("compare cost and quality (page not built yet)")},
    }};
    int done = 0;
    for (int i = 0; i < kStepCount; ++i) {
        const Step& step = steps.at(static_cast<size_t>(i));
        m_done.at(static_cast<size_t>(i)) = step.done;
        done += step.done ? 1 : 0;
        m_steps.at(static_cast<size_t>(i))
            ->setText(QStringLiteral("%1 <a href=\"page\">%2</a><br><small>%3</small>")
                          .arg(step.done ? QStringLiteral("&#x2611;") : QStringLiteral("&#x2610;"),
                               step.link.toHtmlEscaped(), step.detail.toHtmlEscaped()));
        m_steps.at(static_cast<size_t>(i))->setToolTip(step.done ? tr("Done") : tr("Not done yet"));
    }
    m_summary->setText(done == 1 ? tr("1 of 5 steps done") : tr("%1 of 5 steps done").arg(done));
}

} // namespace ts::ui
