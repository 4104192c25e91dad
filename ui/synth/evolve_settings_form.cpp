// EvolveSettingsForm: group boxes of form rows, like the Prompt lab's run panel; every spin box and combo is left
// to the application's WheelGuard (the wheel scrolls the form unless the field has focus).
#include "synth/evolve_settings_form.h"

#include <QCheckBox>
#include <QComboBox>
#include <QDoubleSpinBox>
#include <QFormLayout>
#include <QGridLayout>
#include <QGroupBox>
#include <QHBoxLayout>
#include <QLabel>
#include <QLineEdit>
#include <QPushButton>
#include <QSpinBox>
#include <QVBoxLayout>

#include "bridge/path_conversion.h"
#include "store/example.h"

namespace ts::ui {

namespace {

QString operationLabel(ts::synth::EvolOperation op)
{
    switch (op) {
    case ts::synth::EvolOperation::AddConstraints:
        return EvolveSettingsForm::tr("Constraints");
    case ts::synth::EvolOperation::Deepen:
        return EvolveSettingsForm::tr("Deepen");
    case ts::synth::EvolOperation::Concretize:
        return EvolveSettingsForm::tr("Concretize");
    case ts::synth::EvolOperation::IncreaseReasoning:
        return EvolveSettingsForm::tr("Reasoning");
    case ts::synth::EvolOperation::ComplicateInput:
        return EvolveSettingsForm::tr("Harder input");
    case ts::synth::EvolOperation::Breadth:
        return EvolveSettingsForm::tr("Breadth");
    }
    return {};
}

QString operationTip(ts::synth::EvolOperation op)
{
    switch (op) {
    case ts::synth::EvolOperation::AddConstraints:
        return EvolveSettingsForm::tr("In depth: the teacher adds one more requirement or constraint");
    case ts::synth::EvolOperation::Deepen:
        return EvolveSettingsForm::tr("In depth: the same question asked in more depth and breadth");
    case ts::synth::EvolOperation::Concretize:
        return EvolveSettingsForm::tr("In depth: general concepts replaced by specific ones");
    case ts::synth::EvolOperation::IncreaseReasoning:
        return EvolveSettingsForm::tr("In depth: a task that needs several explicit steps of reasoning");
    case ts::synth::EvolOperation::ComplicateInput:
        return EvolveSettingsForm::tr("In depth: harder input data (a table, code, a longer text) in the instruction");
    case ts::synth::EvolOperation::Breadth:
        return EvolveSettingsForm::tr("In breadth: a new, rarer instruction of the same domain and length");
    }
    return {};
}

void reselect(QComboBox* combo, const QString& data)
{
    combo->setCurrentIndex(std::max(0, combo->findData(data)));
}

} // namespace

EvolveSettingsForm::EvolveSettingsForm(QWidget* parent)
    : QWidget(parent)
{
    setObjectName(QStringLiteral("evolveSettingsForm"));
    auto* layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);

    auto* sources = new QGroupBox(tr("Seeds and models"), this);
    auto* form = new QFormLayout(sources);
    m_split = new QComboBox(sources);
    m_split->setObjectName(QStringLiteral("evolveSeedSplitCombo"));
    for (auto split : {ts::Split::Train, ts::Split::Eval, ts::Split::Test})
        m_split->addItem(fromStd(ts::splitName(split)), fromStd(ts::splitName(split)));
    m_split->setToolTip(tr("The golden examples the run evolves (train: eval and test rows should stay unseen)"));
    form->addRow(tr("Seed &split:"), m_split);
    m_tag = new QComboBox(sources);
    m_tag->setObjectName(QStringLiteral("evolveSeedTagCombo"));
    m_tag->setToolTip(tr("Only the seed rows carrying this tag"));
    form->addRow(tr("Seed t&ag:"), m_tag);
    m_teacher = new QComboBox(sources);
    m_teacher->setObjectName(QStringLiteral("evolveTeacherCombo"));
    m_teacher->setToolTip(tr("The endpoint that rewrites the instructions and answers them (manage endpoints in the "
                             "Prompt lab)"));
    form->addRow(tr("&Teacher:"), m_teacher);
    m_judge = new QComboBox(sources);
    m_judge->setObjectName(QStringLiteral("evolveJudgeCombo"));
    m_judge->setToolTip(tr("The endpoint that rates each unique row 1–10 and checks information gain"));
    form->addRow(tr("&Judge:"), m_judge);
    m_answerPrompt = new QComboBox(sources);
    m_answerPrompt->setObjectName(QStringLiteral("evolveAnswerPromptCombo"));
    m_answerPrompt->setToolTip(tr("The Prompt lab variant (system prompt, few-shot rows, format) the teacher answers "
                                  "the evolved instructions with; none: the instruction alone"));
    form->addRow(tr("Answer &prompt:"), m_answerPrompt);
    layout->addWidget(sources);

    auto* operations = new QGroupBox(tr("Operations (weights)"), this);
    auto* grid = new QGridLayout(operations);
    for (size_t i = 0; i < ts::synth::kEvolOperations.size(); ++i) {
        const auto op = ts::synth::kEvolOperations[i];
        auto* spin = new QDoubleSpinBox(operations);
        spin->setObjectName(QStringLiteral("evolveWeightSpin_%1").arg(fromStd(ts::synth::evolOperationName(op))));
        spin->setRange(0, 100);
        spin->setDecimals(1);
        spin->setSingleStep(0.5);
        spin->setMaximumWidth(72);
        spin->setToolTip(operationTip(op) + tr(" (0: never)"));
        auto* label = new QLabel(operationLabel(op), operations);
        label->setBuddy(spin);
        label->setToolTip(spin->toolTip());
        const int row = static_cast<int>(i) / 2;
        const int column = static_cast<int>(i) % 2 * 2;
        grid->addWidget(label, row, column);
        grid->addWidget(spin, row, column + 1);
        m_weights[i] = spin;
    }
    auto* templates = new QPushButton(tr("&Edit Templates…"), operations);
    templates->setObjectName(QStringLiteral("editTemplatesButton"));
    templates->setToolTip(tr("The teacher prompts of the operations, as this project keeps them (versioned)"));
    grid->addWidget(templates, 3, 0, 1, 4, Qt::AlignLeft);
    connect(templates, &QPushButton::clicked, this, &EvolveSettingsForm::editTemplatesRequested);
    layout->addWidget(operations);

    auto* shape = new QGroupBox(tr("Run"), this);
    auto* shapeForm = new QFormLayout(shape);
    m_rounds = new QSpinBox(shape);
    m_rounds->setObjectName(QStringLiteral("evolveRoundsSpin"));
    m_rounds->setRange(1, 20);
    m_rounds->setToolTip(tr("Evolution depth: round r rewrites what round r − 1 made"));
    shapeForm->addRow(tr("&Rounds:"), m_rounds);
    m_target = new QSpinBox(shape);
    m_target->setObjectName(QStringLiteral("evolveTargetSpin"));
    m_target->setRange(1, 1000000);
    m_target->setToolTip(tr("Rows wanted after every filter; a third more candidates are planned, as some fail"));
    shapeForm->addRow(tr("Tar&get rows:"), m_target);
    m_concurrency = new QSpinBox(shape);
    m_concurrency->setObjectName(QStringLiteral("evolveConcurrencySpin"));
    m_concurrency->setRange(1, 256);
    m_concurrency->setToolTip(tr("Teacher calls in flight at once (each endpoint also caps its own)"));
    shapeForm->addRow(tr("C&oncurrency:"), m_concurrency);
    m_seed = new QSpinBox(shape);
    m_seed->setObjectName(QStringLiteral("evolveSeedSpin"));
    m_seed->setRange(0, 2147483647);
    m_seed->setToolTip(tr("Which operation each candidate gets: the same seed draws the same operations"));
    shapeForm->addRow(tr("S&eed:"), m_seed);
    auto* capRow = new QHBoxLayout();
    m_capCheck = new QCheckBox(tr("Stop at"), shape);
    m_capCheck->setObjectName(QStringLiteral("evolveSpendCapCheck"));
    m_cap = new QDoubleSpinBox(shape);
    m_cap->setObjectName(QStringLiteral("evolveSpendCapSpin"));
    m_cap->setRange(0.01, 100000);
    m_cap->setPrefix(QStringLiteral("$"));
    m_cap->setToolTip(tr("No call starts that could take the run's cost past this (answers and judge calls "
                         "counted); resume it later to continue"));
    capRow->addWidget(m_capCheck);
    capRow->addWidget(m_cap, 1);
    auto* capLabel = new QLabel(tr("Spend &cap:"), shape);
    capLabel->setBuddy(m_capCheck);
    shapeForm->addRow(capLabel, capRow);
    m_name = new QLineEdit(shape);
    m_name->setObjectName(QStringLiteral("evolveRunNameEdit"));
    m_name->setPlaceholderText(tr("optional"));
    shapeForm->addRow(tr("&Name:"), m_name);
    layout->addWidget(shape);

    auto* filters = new QGroupBox(tr("Filters"), this);
    auto* filterForm = new QFormLayout(filters);
    auto* qualityRow = new QHBoxLayout();
    m_quality = new QCheckBox(tr("Keep rated at least"), filters);
    m_quality->setObjectName(QStringLiteral("evolveQualityCheck"));
    m_quality->setToolTip(tr("The judge rates each unique row 1–10; rows below the threshold are set aside"));
    m_threshold = new QDoubleSpinBox(filters);
    m_threshold->setObjectName(QStringLiteral("evolveThresholdSpin"));
    m_threshold->setRange(1, 10);
    m_threshold->setDecimals(1);
    qualityRow->addWidget(m_quality);
    qualityRow->addWidget(m_threshold, 1);
    auto* qualityLabel = new QLabel(tr("&Quality:"), filters);
    qualityLabel->setBuddy(m_quality);
    filterForm->addRow(qualityLabel, qualityRow);
    m_infoGain = new QCheckBox(tr("Check &information gain"), filters);
    m_infoGain->setObjectName(QStringLiteral("evolveInfoGainCheck"));
    m_infoGain->setToolTip(tr("The teacher judges whether each new instruction differs from its parent (\"Equal\" "
                              "rows are dropped); one more call per row"));
    filterForm->addRow(QString(), m_infoGain);
    m_sameScript = new QCheckBox(tr("Answer in the seed's &writing script"), filters);
    m_sameScript->setObjectName(QStringLiteral("evolveSameScriptCheck"));
    m_sameScript->setToolTip(tr("Drop answers written in another script than their seed (e.g. Chinese for an English "
                                "task): the language filter, decided without a model"));
    filterForm->addRow(QString(), m_sameScript);
    m_dedupe = new QDoubleSpinBox(filters);
    m_dedupe->setObjectName(QStringLiteral("evolveDedupeSpin"));
    m_dedupe->setRange(0.05, 1);
    m_dedupe->setDecimals(2);
    m_dedupe->setSingleStep(0.05);
    m_dedupe->setToolTip(tr("Rows at least this similar (Jaccard of character shingles) to an earlier row or to an "
                            "eval or test example are dropped; 1: exact duplicates only"));
    filterForm->addRow(tr("Near-&duplicate at:"), m_dedupe);
    m_minLength = new QSpinBox(filters);
    m_minLength->setObjectName(QStringLiteral("evolveMinLengthSpin"));
    m_minLength->setRange(0, 1000000);
    m_minLength->setSpecialValueText(tr("no minimum"));
    m_minLength->setToolTip(tr("Answers shorter than this many characters are dropped"));
    m_maxLength = new QSpinBox(filters);
    m_maxLength->setObjectName(QStringLiteral("evolveMaxLengthSpin"));
    m_maxLength->setRange(0, 1000000);
    m_maxLength->setSpecialValueText(tr("no maximum"));
    m_maxLength->setToolTip(tr("Answers longer than this many characters are dropped"));
    filterForm->addRow(tr("Shortest &answer:"), m_minLength);
    filterForm->addRow(tr("&Longest answer:"), m_maxLength);
    layout->addWidget(filters);

    for (QComboBox* combo : {m_split, m_tag, m_teacher, m_judge, m_answerPrompt}) {
        // Long endpoint or prompt names are elided rather than widening the column.
        combo->setSizeAdjustPolicy(QComboBox::AdjustToMinimumContentsLengthWithIcon);
        combo->setMinimumContentsLength(12);
        connect(combo, &QComboBox::currentIndexChanged, this, &EvolveSettingsForm::configChanged);
    }
    for (QSpinBox* spin : {m_rounds, m_target, m_concurrency, m_seed, m_minLength, m_maxLength})
        connect(spin, &QSpinBox::valueChanged, this, &EvolveSettingsForm::configChanged);
    for (QDoubleSpinBox* spin : {m_cap, m_threshold, m_dedupe})
        connect(spin, &QDoubleSpinBox::valueChanged, this, &EvolveSettingsForm::configChanged);
    for (QDoubleSpinBox* spin : m_weights)
        connect(spin, &QDoubleSpinBox::valueChanged, this, &EvolveSettingsForm::configChanged);
    for (QCheckBox* check : {m_capCheck, m_quality, m_infoGain, m_sameScript})
        connect(check, &QCheckBox::toggled, this, [this] {
            updateEnabled();
            emit configChanged();
        });
    setChoices({});
    resetToDefaults();
}

void EvolveSettingsForm::setChoices(const EvolveFormChoices& choices)
{
    const QString tag = m_tag->currentData().toString();
    const QString teacher = m_teacher->currentData().toString();
    const QString judge = m_judge->currentData().toString();
    const QString prompt = m_answerPrompt->currentData().toString();
    QSignalBlocker blockTag(m_tag), blockTeacher(m_teacher), blockJudge(m_judge), blockPrompt(m_answerPrompt);
    m_tag->clear();
    m_tag->addItem(tr("(any tag)"), QString());
    for (const std::string& t : choices.tags)
        m_tag->addItem(fromStd(t), fromStd(t));
    reselect(m_tag, tag);
    m_teacher->clear();
    m_judge->clear();
    m_judge->addItem(tr("(same as teacher)"), QString());
    for (const auto& e : choices.endpoints) {
        const QString label = QStringLiteral("%1 (%2)").arg(fromStd(e.name), fromStd(e.kind));
        m_teacher->addItem(label, fromStd(e.name));
        m_judge->addItem(label, fromStd(e.name));
    }
    if (m_teacher->count() == 0)
        m_teacher->addItem(tr("(no endpoint: add one in the Prompt lab)"), QString());
    reselect(m_teacher, teacher);
    reselect(m_judge, judge);
    m_answerPrompt->clear();
    m_answerPrompt->addItem(tr("(none)"), QString());
    for (const std::string& p : choices.prompts)
        m_answerPrompt->addItem(fromStd(p), fromStd(p));
    reselect(m_answerPrompt, prompt);
    emit configChanged();
}

void EvolveSettingsForm::resetToDefaults()
{
    const ts::synth::EvolveConfig defaults;
    {
        const QSignalBlocker block(this);
        reselect(m_split, fromStd(defaults.seedSplit));
        m_tag->setCurrentIndex(0);
        m_teacher->setCurrentIndex(0);
        m_judge->setCurrentIndex(0);
        m_answerPrompt->setCurrentIndex(0);
        for (size_t i = 0; i < m_weights.size(); ++i)
            m_weights[i]->setValue(defaults.weights[i]);
        m_rounds->setValue(defaults.rounds);
        m_target->setValue(static_cast<int>(defaults.targetCount));
        m_concurrency->setValue(defaults.concurrency);
        m_seed->setValue(static_cast<int>(defaults.seed));
        m_capCheck->setChecked(false);
        m_cap->setValue(1.0);
        m_quality->setChecked(defaults.qualityFilter);
        m_threshold->setValue(defaults.qualityThreshold);
        m_infoGain->setChecked(defaults.checkInformationGain);
        m_sameScript->setChecked(defaults.sameScriptAsSeed);
        m_dedupe->setValue(defaults.dedupeThreshold);
        m_minLength->setValue(defaults.minOutputChars);
        m_maxLength->setValue(defaults.maxOutputChars);
        m_name->clear();
    }
    updateEnabled();
    emit configChanged();
}

std::optional<ts::synth::EvolveConfig> EvolveSettingsForm::config(QString* error) const
{
    ts::synth::EvolveConfig c;
    c.seedSplit = m_split->currentData().toString().toStdString();
    if (const QString tag = m_tag->currentData().toString(); !tag.isEmpty())
        c.seedTags = {tag.toStdString()};
    c.teacherEndpoint = m_teacher->currentData().toString().toStdString();
    c.judgeEndpoint = m_judge->currentData().toString().toStdString();
    c.answerPrompt = m_answerPrompt->currentData().toString().toStdString();
    for (size_t i = 0; i < m_weights.size(); ++i)
        c.weights[i] = m_weights[i]->value();
    c.rounds = m_rounds->value();
    c.targetCount = m_target->value();
    c.concurrency = m_concurrency->value();
    c.seed = static_cast<uint64_t>(m_seed->value());
    if (m_capCheck->isChecked())
        c.spendCapUsd = m_cap->value();
    c.qualityFilter = m_quality->isChecked();
    c.qualityThreshold = m_threshold->value();
    c.checkInformationGain = m_infoGain->isChecked();
    c.sameScriptAsSeed = m_sameScript->isChecked();
    c.dedupeThreshold = m_dedupe->value();
    c.minOutputChars = m_minLength->value();
    c.maxOutputChars = m_maxLength->value();
    if (auto valid = ts::synth::validateEvolveConfig(c); !valid) {
        if (error) {
            const QString message = fromStd(valid.error().message);
            *error = tr("Cannot start: %1.").arg(message);
        }
        return std::nullopt;
    }
    return c;
}

QString EvolveSettingsForm::runName() const
{
    return m_name->text().trimmed();
}

void EvolveSettingsForm::setRunning(bool running)
{
    m_running = running;
    updateEnabled();
}

void EvolveSettingsForm::updateEnabled()
{
    for (QWidget* w : findChildren<QWidget*>()) {
        if (qobject_cast<QAbstractSpinBox*>(w->parentWidget()))
            continue; // a spin box's own line edit follows the spin box
        if (qobject_cast<QComboBox*>(w) || qobject_cast<QAbstractSpinBox*>(w) || qobject_cast<QCheckBox*>(w)
            || qobject_cast<QLineEdit*>(w) || qobject_cast<QPushButton*>(w))
            w->setEnabled(!m_running);
    }
    if (!m_running) {
        m_cap->setEnabled(m_capCheck->isChecked());
        m_threshold->setEnabled(m_quality->isChecked());
    }
}

} // namespace ts::ui
