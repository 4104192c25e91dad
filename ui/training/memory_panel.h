// MemoryPanel: how much memory training will need before it starts (ts::estimateTrainingMemory): the breakdown,
// the total against what is available, and when it does not fit a warning with the suggested setting.
#pragma once

#include <cstdint>
#include <optional>

#include <QWidget>

#include "model/model_config.h"
#include "train/memory_estimate.h"
#include "train/train_config.h"

class QLabel;
class QPushButton;
class QTreeWidget;

namespace ts::ui {

class MemoryPanel final : public QWidget
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(MemoryPanel)

public:
    explicit MemoryPanel(QWidget* parent = nullptr);

    void setModel(const std::optional<ts::ModelConfig>& model);
    void setTrainConfig(const std::optional<ts::TrainConfig>& config);
    // Memory available for training; by default the physical RAM (training runs on the CPU). Tests inject a value.
    void setAvailableBytesOverride(std::optional<uint64_t> bytes);
    std::optional<uint64_t> availableBytes() const;
    static std::optional<uint64_t> physicalMemoryBytes();

    // The latest estimate (none without a model and valid settings).
    const std::optional<ts::MemoryEstimate>& estimate() const { return m_estimate; }
    bool fits() const { return !m_estimate || m_estimate->fits; }
    // One line for the page's footer, e.g. "Memory: 3.2 GiB of 31 GiB".
    QString summary() const;

signals:
    void estimateChanged();
    void suggestionApplied(const ts::TrainConfig& config);

private:
    void recompute();

    std::optional<ts::ModelConfig> m_model;
    std::optional<ts::TrainConfig> m_config;
    std::optional<uint64_t> m_availableOverride;
    std::optional<ts::MemoryEstimate> m_estimate;

    QLabel* m_device = nullptr;
    QTreeWidget* m_parts = nullptr;
    QLabel* m_total = nullptr;
    QLabel* m_parameters = nullptr;
    QLabel* m_warning = nullptr;
    QLabel* m_suggestion = nullptr;
    QPushButton* m_apply = nullptr;
};

} // namespace ts::ui
