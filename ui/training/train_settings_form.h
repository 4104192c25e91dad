// TrainSettingsForm: every setting of ts::TrainConfig (and its LoraConfig) as an editable field with a tooltip that
// explains it, a preset picker, and validation with a message.
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <vector>

#include <QHash>
#include <QWidget>

#include "train/sft_length_coverage.h"
#include "train/train_config.h"

class QCheckBox;
class QComboBox;
class QDoubleSpinBox;
class QLabel;
class QLineEdit;
class QSpinBox;

namespace ts::ui {

class TrainSettingsForm final : public QWidget
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(TrainSettingsForm)

public:
    explicit TrainSettingsForm(QWidget* parent = nullptr);

    // Fills every field (the preset picker shows "Custom" unless `preset` names the preset it came from).
    void setConfig(const ts::TrainConfig& config, const QString& preset = {});
    // The settings as entered, or nullopt with `error` set (also shown in the form) when a value is invalid.
    std::optional<ts::TrainConfig> config(QString* error = nullptr) const;
    bool applyPreset(const QString& name); // false for an unknown name; a chosen preset no model change replaces
    void resetToDefaults(); // what a new form shows: the first preset (a project opened starts from here)
    QString presetName() const; // "" when the fields were edited after choosing a preset
    QString errorText() const; // "" when the settings are valid

    // A model of `parameterCount` parameters was chosen: the default preset, unless one was chosen (applyPreset) or
    // the fields edited, becomes the one for its size (tiny-cpu for small models, else the first).
    void suggestPresetForModel(int64_t parameterCount);
    // Token lengths of the train split's examples (SamplePreview measures them off the GUI thread): the form warns
    // next to the max length when it leaves examples with nothing learned. nullptr: not known.
    void setExampleLengths(std::shared_ptr<const std::vector<ts::SftExampleLength>> lengths);
    QString lengthWarningText() const; // "" when there is no warning

    static QString customPresetLabel();

signals:
    // Any field changed (by the user, a preset or setConfig()).
    void configChanged();

private:
    void build();
    void onEdited();
    void updateEnabled();
    void validate();
    void updateLengthWarning();

    bool m_filling = false;
    bool m_presetChosenByUser = false;
    std::shared_ptr<const std::vector<ts::SftExampleLength>> m_lengths;
    QLabel* m_lengthWarning = nullptr;
    QComboBox* m_preset = nullptr;
    QLabel* m_presetInfo = nullptr;
    QCheckBox* m_quantizeBase = nullptr;
    QCheckBox* m_fullParameter = nullptr;
    QSpinBox* m_loraR = nullptr;
    QDoubleSpinBox* m_loraAlpha = nullptr;
    QDoubleSpinBox* m_loraDropout = nullptr;
    QCheckBox* m_rsLora = nullptr;
    QHash<QString, QCheckBox*> m_targets; // module short name -> box
    QSpinBox* m_maxSeqLen = nullptr;
    QComboBox* m_overLong = nullptr;
    QCheckBox* m_packing = nullptr;
    QSpinBox* m_microBatch = nullptr;
    QSpinBox* m_gradAccum = nullptr;
    QLabel* m_effectiveBatch = nullptr;
    QSpinBox* m_maxSteps = nullptr;
    QLineEdit* m_learningRate = nullptr;
    QComboBox* m_schedule = nullptr;
    QDoubleSpinBox* m_warmupRatio = nullptr;
    QDoubleSpinBox* m_weightDecay = nullptr;
    QDoubleSpinBox* m_beta1 = nullptr;
    QDoubleSpinBox* m_beta2 = nullptr;
    QLineEdit* m_eps = nullptr;
    QDoubleSpinBox* m_maxGradNorm = nullptr;
    QCheckBox* m_gradientCheckpointing = nullptr;
    QSpinBox* m_logEvery = nullptr;
    QSpinBox* m_evalEvery = nullptr;
    QSpinBox* m_checkpointEvery = nullptr;
    QLineEdit* m_seed = nullptr;
    QSpinBox* m_threads = nullptr;
    QComboBox* m_device = nullptr;
    QComboBox* m_computeDtype = nullptr;
    QLabel* m_error = nullptr;
};

} // namespace ts::ui
