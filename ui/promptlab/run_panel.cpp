// RunPanel: a form over AbTestConfig, the run list (QTreeWidget, newest first) and the progress line.
#include "promptlab/run_panel.h"

#include <QApplication>
#include <QCheckBox>
#include <QClipboard>
#include <QComboBox>
#include <QDateTime>
#include <QDoubleSpinBox>
#include <QFormLayout>
#include <QGroupBox>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QLabel>
#include <QLineEdit>
#include <QListWidget>
#include <QLocale>
#include <QMenu>
#include <QProgressBar>
#include <QPushButton>
#include <QSpinBox>
#include <QStyle>
#include <QTreeWidget>
#include <QVBoxLayout>

#include "bridge/path_conversion.h"
#include "bridge/run_names.h"
#include "commands/ab_command_line.h"
#include "llm/endpoint_repository.h"
#include "promptlab/prompt_repository.h"
#include "promptlab/scorers_dialog.h"
#include "store/project.h"

namespace ts::ui {

namespace {

constexpr int kNameRole = Qt::UserRole;
constexpr int kRunIdRole = Qt::UserRole;

QString statusText(ts::RunStatus status)
{
    switch (status) {
    case ts::RunStatus::Pending:
        return RunPanel::tr("pending");
    case ts::RunStatus::Running:
        return RunPanel::tr("running");
    case ts::RunStatus::Succeeded:
        return RunPanel::tr("done");
    case ts::RunStatus::Failed:
        return RunPanel::tr("stopped with failures");
    case ts::RunStatus::Cancelled:
        return RunPanel::tr("cancelled");
    case ts::RunStatus::Interrupted:
        return RunPanel::tr("interrupted");
    }
    return {};
}

} // namespace

RunPanel::RunPanel(QWidget* parent)
    : QWidget(parent)
{
    setObjectName(QStringLiteral("runPanel"));
    auto* layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);

    auto* setup = new QGroupBox(tr("New A/B test"), this);
    auto* form = new QFormLayout(setup);
    m_variants = new QListWidget(setup);
    m_variants->setObjectName(QStringLiteral("runVariantList"));
    m_variants->setToolTip(tr("Check the prompt variants to compare; the first checked one is the baseline the "
                              "others are compared with"));
    m_variants->setMaximumHeight(110);
    form->addRow(tr("&Variants:"), m_variants);
    m_split = new QComboBox(setup);
    m_split->setObjectName(QStringLiteral("runSplitCombo"));
    for (auto split : {ts::Split::Eval, ts::Split::Test, ts::Split::Train})
        m_split->addItem(fromStd(ts::splitName(split)), static_cast<int>(split));
    m_split->setToolTip(tr("The examples every variant answers (eval: keep test for the final evaluation)"));
    form->addRow(tr("S&plit:"), m_split);
    m_limit = new QSpinBox(setup);
    m_limit->setObjectName(QStringLiteral("runLimitSpin"));
    m_limit->setRange(0, 1000000);
    m_limit->setSpecialValueText(tr("all"));
    m_limit->setToolTip(tr("Only the first N examples of the split (by id), for a quick look; \"all\": every one"));
    form->addRow(tr("E&xamples:"), m_limit);
    m_repeats = new QSpinBox(setup);
    m_repeats->setObjectName(QStringLiteral("runRepeatsSpin"));
    m_repeats->setRange(1, 100);
    m_repeats->setToolTip(tr("Each example is asked this many times per variant (seed + repeat), to see how much "
                             "sampling varies"));
    form->addRow(tr("&Repeats:"), m_repeats);
    m_seed = new QSpinBox(setup);
    m_seed->setObjectName(QStringLiteral("runSeedSpin"));
    m_seed->setRange(0, 2147483647);
    m_seed->setToolTip(tr("Sent with each call where the API has one (OpenAI-compatible, local engine)"));
    form->addRow(tr("S&eed:"), m_seed);
    m_concurrency = new QSpinBox(setup);
    m_concurrency->setObjectName(QStringLiteral("runConcurrencySpin"));
    m_concurrency->setRange(1, 64);
    m_concurrency->setValue(4);
    m_concurrency->setToolTip(tr("Calls in flight at once (each endpoint also caps its own)"));
    form->addRow(tr("C&oncurrency:"), m_concurrency);
    auto* capRow = new QHBoxLayout();
    m_capCheck = new QCheckBox(tr("Stop at"), setup);
    m_capCheck->setObjectName(QStringLiteral("spendCapCheck"));
    m_cap = new QDoubleSpinBox(setup);
    m_cap->setObjectName(QStringLiteral("spendCapSpin"));
    m_cap->setRange(0.01, 100000);
    m_cap->setValue(1.0);
    m_cap->setPrefix(QStringLiteral("$"));
    m_cap->setEnabled(false);
    m_cap->setToolTip(tr("The run stops once its measured cost reaches this; resume it to continue"));
    capRow->addWidget(m_capCheck);
    capRow->addWidget(m_cap, 1);
    auto* capLabel = new QLabel(tr("Spend &cap:"), setup);
    capLabel->setBuddy(m_capCheck);
    form->addRow(capLabel, capRow);
    m_judge = new QComboBox(setup);
    m_judge->setObjectName(QStringLiteral("runJudgeCombo"));
    m_judge->setToolTip(tr("An endpoint that grades every answer 1–10 against the reference (score \"judge\")"));
    form->addRow(tr("&Judge:"), m_judge);
    m_pairwise = new QCheckBox(tr("Also &pairwise against the first variant"), setup);
    m_pairwise->setObjectName(QStringLiteral("pairwiseCheck"));
    m_pairwise->setToolTip(tr("The judge also compares each later variant's answer with the first's, in both orders "
                              "(position swap; inconsistent verdicts count as ties): score \"pairwise vs …\""));
    m_pairwise->setEnabled(false);
    form->addRow(QString(), m_pairwise);
    auto* scorers = new QPushButton(tr("Sc&orers…"), setup);
    scorers->setObjectName(QStringLiteral("scorersButton"));
    scorers->setToolTip(tr("How every answer is scored: the project's scorer list (exact match, regex, JSON "
                           "schema, field F1, length, …)"));
    connect(scorers, &QPushButton::clicked, this, [this] {
        ScorersDialog dialog(m_project, this);
        dialog.exec();
    });
    form->addRow(tr("Scoring:"), scorers);
    m_name = new QLineEdit(setup);
    m_name->setObjectName(QStringLiteral("abRunNameEdit"));
    m_name->setPlaceholderText(tr("optional"));
    form->addRow(tr("&Name:"), m_name);
    auto* buttons = new QHBoxLayout();
    m_start = new QPushButton(style()->standardIcon(QStyle::SP_MediaPlay), tr("&Start"), setup);
    m_start->setObjectName(QStringLiteral("startRunButton"));
    m_start->setToolTip(tr("Run the checked variants on the split (Ctrl+Return)"));
    m_cancel = new QPushButton(tr("&Cancel"), setup);
    m_cancel->setObjectName(QStringLiteral("cancelRunButton"));
    m_cancel->setToolTip(tr("Stop the run; the answers so far stay, and Resume continues it (Esc)"));
    m_copyCommand = new QPushButton(tr("Copy as Co&mmand"), setup);
    m_copyCommand->setObjectName(QStringLiteral("copyAbCommandButton"));
    m_copyCommand->setToolTip(tr("Copy the tunesmith-cli command that runs this A/B test headless, with these "
                                 "settings"));
    buttons->addWidget(m_start);
    buttons->addWidget(m_cancel);
    buttons->addWidget(m_copyCommand);
    form->addRow(buttons);
    layout->addWidget(setup);

    m_progress = new QProgressBar(this);
    m_progress->setObjectName(QStringLiteral("runProgress"));
    m_progress->setRange(0, 1);
    m_progress->setValue(0);
    layout->addWidget(m_progress);
    m_progressLabel = new QLabel(this);
    m_progressLabel->setObjectName(QStringLiteral("runProgressLabel"));
    m_progressLabel->setWordWrap(true);
    layout->addWidget(m_progressLabel);
    m_spend = new QLabel(this);
    m_spend->setObjectName(QStringLiteral("runSpendLabel"));
    layout->addWidget(m_spend);

    auto* runsBox = new QGroupBox(tr("Runs"), this);
    auto* runsLayout = new QVBoxLayout(runsBox);
    m_runs = new QTreeWidget(runsBox);
    m_runs->setObjectName(QStringLiteral("abRunList"));
    m_runs->setHeaderLabels({tr("Run"), tr("Status"), tr("Started")});
    m_runs->setRootIsDecorated(false);
    m_runs->setUniformRowHeights(true);
    m_runs->header()->setSectionResizeMode(0, QHeaderView::Stretch);
    m_runs->header()->setStretchLastSection(false);
    m_runs->setToolTip(tr("A/B test runs of this project (also those run with tunesmith-cli ab); select one to see "
                          "its results"));
    runsLayout->addWidget(m_runs, 1);
    m_resume = new QPushButton(tr("&Resume"), runsBox);
    m_resume->setObjectName(QStringLiteral("resumeRunButton"));
    m_resume->setToolTip(tr("Continue the selected stopped run: the answered cells are kept, failed ones retried"));
    runsLayout->addWidget(m_resume);
    layout->addWidget(runsBox, 1);

    connect(m_capCheck, &QCheckBox::toggled, m_cap, &QWidget::setEnabled);
    connect(m_judge, &QComboBox::currentIndexChanged, this,
            [this] { m_pairwise->setEnabled(m_judge->isEnabled() && !m_judge->currentData().toString().isEmpty()); });
    connect(m_start, &QPushButton::clicked, this, &RunPanel::startRequested);
    connect(m_cancel, &QPushButton::clicked, this, &RunPanel::cancelRequested);
    connect(m_resume, &QPushButton::clicked, this, &RunPanel::resumeRequested);
    connect(m_copyCommand, &QPushButton::clicked, this, [this] {
        QString error;
        copyFormCommand(&error);
        if (!error.isEmpty())
            emit commandCopied(error);
    });
    m_runs->setContextMenuPolicy(Qt::CustomContextMenu);
    connect(m_runs, &QTreeWidget::customContextMenuRequested, this, &RunPanel::showRunMenu);
    connect(m_variants, &QListWidget::itemChanged, this, &RunPanel::configChanged);
    connect(m_runs, &QTreeWidget::currentItemChanged, this,
            [this](QTreeWidgetItem* item) { emit runSelected(item ? item->data(0, kRunIdRole).toLongLong() : 0); });
}

void RunPanel::setProject(ts::Project* project)
{
    m_project = project;
    m_givenNames.clear();
    m_runList.clear();
    m_runs->clear();
    m_variants->clear(); // the new project's variants start checked
    resetForm();
    m_progress->setRange(0, 1);
    m_progress->setValue(0);
    m_progressLabel->clear();
    m_spend->clear();
    reloadPrompts();
    reloadEndpoints();
}

void RunPanel::reloadPrompts()
{
    QStringList checked;
    for (int i = 0; i < m_variants->count(); ++i)
        if (m_variants->item(i)->checkState() == Qt::Checked)
            checked.append(m_variants->item(i)->data(kNameRole).toString());
    const bool first = m_variants->count() == 0;
    QSignalBlocker block(m_variants);
    m_variants->clear();
    if (!m_project)
        return;
    auto reader = m_project->viewReader();
    if (!reader)
        return;
    ts::PromptRepository repo(**reader);
    auto names = repo.names();
    if (!names)
        return;
    for (const std::string& n : *names) {
        auto latest = repo.latest(n);
        const QString name = fromStd(n);
        auto* item = new QListWidgetItem(
            QStringLiteral("%1 (v%2)").arg(name).arg(latest && *latest ? (*latest)->version : 0), m_variants);
        item->setData(kNameRole, name);
        item->setFlags(item->flags() | Qt::ItemIsUserCheckable);
        // At first every variant is checked: the usual A/B test compares them all.
        item->setCheckState(first || checked.contains(name) ? Qt::Checked : Qt::Unchecked);
    }
}

void RunPanel::reloadEndpoints()
{
    const QString current = m_judge->currentData().toString();
    m_judge->clear();
    m_judge->addItem(tr("(no judge)"), QString());
    if (!m_project)
        return;
    auto reader = m_project->viewReader();
    if (!reader)
        return;
    auto all = ts::EndpointRepository(**reader).all();
    if (all)
        for (const ts::Endpoint& e : *all)
            m_judge->addItem(fromStd(e.name), fromStd(e.name));
    m_judge->setCurrentIndex(std::max(0, m_judge->findData(current)));
}

void RunPanel::setVariantChecked(const QString& name, bool checked)
{
    for (int i = 0; i < m_variants->count(); ++i)
        if (m_variants->item(i)->data(kNameRole).toString() == name)
            m_variants->item(i)->setCheckState(checked ? Qt::Checked : Qt::Unchecked);
}

std::optional<ts::promptlab::AbTestConfig> RunPanel::config(QString* error) const
{
    ts::promptlab::AbTestConfig c;
    for (int i = 0; i < m_variants->count(); ++i)
        if (m_variants->item(i)->checkState() == Qt::Checked)
            c.variants.push_back(m_variants->item(i)->data(kNameRole).toString().toStdString());
    if (c.variants.empty()) {
        if (error)
            *error = tr("Check at least one prompt variant to run.");
        return std::nullopt;
    }
    c.split = static_cast<ts::Split>(m_split->currentData().toInt());
    c.repeats = m_repeats->value();
    c.seed = static_cast<uint64_t>(m_seed->value());
    c.concurrency = m_concurrency->value();
    if (m_capCheck->isChecked())
        c.spendCapUsd = m_cap->value();
    if (m_limit->value() > 0)
        c.limit = m_limit->value();
    c.judgeEndpoint = m_judge->currentData().toString().toStdString();
    c.pairwiseJudge = !c.judgeEndpoint.empty() && m_pairwise->isChecked();
    if (auto valid = ts::promptlab::validateAbTestConfig(c); !valid) {
        if (error)
            *error = fromStd(valid.error().message);
        return std::nullopt;
    }
    return c;
}

QString RunPanel::runName() const
{
    return m_name->text().trimmed();
}

void RunPanel::resetForm()
{
    const ts::promptlab::AbTestConfig defaults;
    m_split->setCurrentIndex(std::max(0, m_split->findData(static_cast<int>(defaults.split))));
    m_limit->setValue(0);
    m_repeats->setValue(defaults.repeats);
    m_seed->setValue(static_cast<int>(defaults.seed));
    m_concurrency->setValue(defaults.concurrency);
    m_capCheck->setChecked(false);
    m_cap->setValue(1.0);
    m_judge->setCurrentIndex(0);
    m_pairwise->setChecked(false);
    m_name->clear();
}

QStringList RunPanel::takenRunNames() const
{
    QStringList taken = m_givenNames;
    for (const ts::Run& run : m_runList)
        taken << fromStd(run.name);
    return taken;
}

QString RunPanel::nameFor(const ts::promptlab::AbTestConfig& config) const
{
    QStringList variants;
    for (const std::string& variant : config.variants)
        variants << fromStd(variant);
    return newRunName(runName(), QStringLiteral("ab"), variants.join(tr(" vs ")), static_cast<int>(m_runList.size()),
                      takenRunNames());
}

QString RunPanel::takeRunName(const ts::promptlab::AbTestConfig& config)
{
    const QString name = nameFor(config);
    m_givenNames << name;
    return name;
}

QString RunPanel::copyFormCommand(QString* error)
{
    QString why;
    const auto c = config(&why);
    if (!m_project || !c) {
        if (error)
            *error = m_project ? tr("Nothing copied: %1").arg(why) : tr("Open a project first.");
        return {};
    }
    const QString command = abCommandLine(fromPath(m_project->path()), *c, nameFor(*c));
    QApplication::clipboard()->setText(command);
    emit commandCopied(tr("Copied the command of this A/B test to the clipboard."));
    return command;
}

QString RunPanel::copyRunCommand(qint64 runId, bool resume, QString* error)
{
    const ts::Run* run = nullptr;
    for (const ts::Run& r : m_runList)
        if (r.id == runId)
            run = &r;
    if (!m_project || !run) {
        if (error)
            *error = tr("Select a run first.");
        return {};
    }
    QString command;
    if (resume) {
        command = abResumeCommandLine(fromPath(m_project->path()), run->id);
    } else {
        auto stored = ts::promptlab::abTestConfigFromJson(nlohmann::json::parse(run->config, nullptr, false));
        if (!stored) {
            if (error)
                *error = tr("This run's settings cannot be read: %1").arg(fromStd(stored.error().message));
            return {};
        }
        stored->variantVersionIds.clear(); // the command names the variants; the CLI resolves them again
        command
            = abCommandLine(fromPath(m_project->path()), *stored, uniqueRunName(fromStd(run->name), takenRunNames()));
    }
    QApplication::clipboard()->setText(command);
    emit commandCopied(resume
                           ? tr("Copied the command that resumes \"%1\" to the clipboard.").arg(fromStd(run->name))
                           : tr("Copied the command that runs \"%1\" again to the clipboard.").arg(fromStd(run->name)));
    return command;
}

void RunPanel::showRunMenu(const QPoint& position)
{
    QTreeWidgetItem* item = m_runs->itemAt(position);
    if (!item)
        return;
    const qint64 runId = item->data(0, kRunIdRole).toLongLong();
    QMenu menu(this);
    QAction* copy = menu.addAction(tr("Copy as Command"), this, [this, runId] { copyRunCommand(runId); });
    copy->setObjectName(QStringLiteral("copyRunCommandAction"));
    for (const ts::Run& run : m_runList)
        if (run.id == runId && run.status != ts::RunStatus::Succeeded) {
            QAction* resume
                = menu.addAction(tr("Copy Resume Command"), this, [this, runId] { copyRunCommand(runId, true); });
            resume->setObjectName(QStringLiteral("copyResumeCommandAction"));
        }
    menu.exec(m_runs->viewport()->mapToGlobal(position));
}

void RunPanel::setRuns(const std::vector<ts::Run>& runs)
{
    const qint64 selected = selectedRunId();
    m_runList = runs;
    QSignalBlocker block(m_runs);
    m_runs->clear();
    QTreeWidgetItem* current = nullptr;
    for (const ts::Run& run : runs) {
        const QString name = run.name.empty() ? tr("Run %1").arg(run.id) : fromStd(run.name);
        const QString started = run.startedAt
            ? QLocale().toString(QDateTime::fromMSecsSinceEpoch(*run.startedAt), QLocale::ShortFormat)
            : QString();
        auto* item = new QTreeWidgetItem(m_runs, {name, statusText(run.status), started});
        item->setData(0, kRunIdRole, QVariant::fromValue<qint64>(run.id));
        if (!run.error.empty())
            item->setToolTip(1, fromStd(run.error));
        if (run.id == selected)
            current = item;
    }
    if (current)
        m_runs->setCurrentItem(current);
}

void RunPanel::selectRun(qint64 runId)
{
    for (int i = 0; i < m_runs->topLevelItemCount(); ++i)
        if (m_runs->topLevelItem(i)->data(0, kRunIdRole).toLongLong() == runId) {
            m_runs->setCurrentItem(m_runs->topLevelItem(i));
            return;
        }
}

const ts::Run* RunPanel::selectedRun() const
{
    const qint64 id = selectedRunId();
    for (const ts::Run& r : m_runList)
        if (r.id == id)
            return &r;
    return nullptr;
}

qint64 RunPanel::selectedRunId() const
{
    const QTreeWidgetItem* item = m_runs->currentItem();
    return item ? item->data(0, kRunIdRole).toLongLong() : 0;
}

void RunPanel::setRunning(bool running)
{
    for (QWidget* w : std::initializer_list<QWidget*> {m_variants, m_split, m_limit, m_repeats, m_seed, m_concurrency,
                                                       m_capCheck, m_judge, m_name})
        w->setEnabled(!running);
    m_cap->setEnabled(!running && m_capCheck->isChecked());
    m_pairwise->setEnabled(!running && !m_judge->currentData().toString().isEmpty());
    if (running) {
        m_progress->setRange(0, 0);
        m_progressLabel->setText(tr("Starting…"));
        m_spend->clear();
    }
}

void RunPanel::setProgress(qint64 done, qint64 total, const QString& message)
{
    if (total > 0) {
        m_progress->setRange(0, 1000);
        m_progress->setValue(static_cast<int>(1000 * done / total));
    }
    m_progressLabel->setText(message);
}

void RunPanel::setSpend(const QString& text)
{
    m_spend->setText(text);
}

} // namespace ts::ui
