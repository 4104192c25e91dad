// EvolveSettingsForm: every setting of an Evol-Instruct run (synth::EvolveConfig) as a field with a tooltip: the
// seed rows (split, tag), the teacher and judge endpoints, the prompt variant the teacher answers with, the six
// operations' weights, rounds, target count, concurrency, seed, spend cap, quality filter, information-gain check,
// near-duplicate threshold and the answer length filter; plus the run's name. The lists it offers (endpoints,
// prompt variants, tags) come from setChoices(), read off the GUI thread by the page.
#pragma once

#include <array>
#include <optional>
#include <string>
#include <vector>

#include <QWidget>

#include "synth/evolve_config.h"

class QCheckBox;
class QComboBox;
class QDoubleSpinBox;
class QLineEdit;
class QSpinBox;

namespace ts::ui {

// What the form's combos list, as read from the project.
struct EvolveFormChoices
{
    struct EndpointChoice
    {
        std::string name;
        std::string kind; // "openai", "anthropic", "local", …
    };
    std::vector<EndpointChoice> endpoints;
    std::vector<std::string> prompts; // prompt variant names
    std::vector<std::string> tags; // every tag of the golden examples
};

class EvolveSettingsForm final : public QWidget
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(EvolveSettingsForm)

public:
    explicit EvolveSettingsForm(QWidget* parent = nullptr);

    // Keeps the current choices where they remain (the first endpoint is the teacher of a fresh form).
    void setChoices(const EvolveFormChoices& choices);
    void resetToDefaults(); // a new project's form
    // The settings as entered, or nullopt with `error` set when they cannot run.
    std::optional<ts::synth::EvolveConfig> config(QString* error = nullptr) const;
    QString runName() const; // as typed ("" = automatic)
    void setRunning(bool running); // read-only while a run goes on

    QComboBox* teacherCombo() const { return m_teacher; }

signals:
    void configChanged(); // any field changed
    void editTemplatesRequested();

private:
    void updateEnabled();

    QComboBox* m_split = nullptr;
    QComboBox* m_tag = nullptr;
    QComboBox* m_teacher = nullptr;
    QComboBox* m_judge = nullptr;
    QComboBox* m_answerPrompt = nullptr;
    std::array<QDoubleSpinBox*, ts::synth::kEvolOperations.size()> m_weights {};
    QSpinBox* m_rounds = nullptr;
    QSpinBox* m_target = nullptr;
    QSpinBox* m_concurrency = nullptr;
    QSpinBox* m_seed = nullptr;
    QCheckBox* m_capCheck = nullptr;
    QDoubleSpinBox* m_cap = nullptr;
    QCheckBox* m_quality = nullptr;
    QDoubleSpinBox* m_threshold = nullptr;
    QCheckBox* m_infoGain = nullptr;
    QCheckBox* m_sameScript = nullptr;
    QDoubleSpinBox* m_dedupe = nullptr;
    QSpinBox* m_minLength = nullptr;
    QSpinBox* m_maxLength = nullptr;
    QLineEdit* m_name = nullptr;
    bool m_running = false;
};

} // namespace ts::ui
