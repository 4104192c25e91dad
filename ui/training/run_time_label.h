// RunTimeLabel: the Training page's estimate of how long a run with the current settings takes, before it starts
// ("≈ 4 min: 120 steps × 2.1 s"), and in its tooltip how the estimate was made: the throughput an earlier run of the
// same base model measured in this project (read off the GUI thread), else a compute model (ts::estimateRunTime).
#pragma once

#include <memory>
#include <optional>
#include <vector>

#include <QLabel>

#include "model/model_config.h"
#include "train/run_time_estimate.h"
#include "train/sft_length_coverage.h"
#include "train/train_config.h"

namespace ts {
class Project;
}

namespace ts::ui {

class RunTimeLabel final : public QLabel
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(RunTimeLabel)

public:
    explicit RunTimeLabel(QWidget* parent = nullptr);

    void setProject(ts::Project* project);
    void setModel(const QString& modelDir, const std::optional<ts::ModelConfig>& config);
    void setTrainConfig(const std::optional<ts::TrainConfig>& config);
    void setExampleLengths(std::shared_ptr<const std::vector<ts::SftExampleLength>> lengths);
    // Looks again for a measured throughput (after a run ended).
    void refreshMeasured();

    const std::optional<ts::RunTimeEstimate>& estimate() const { return m_estimate; }

private:
    void recompute();

    ts::Project* m_project = nullptr;
    QString m_modelDir;
    std::optional<ts::ModelConfig> m_model;
    std::optional<ts::TrainConfig> m_config;
    std::shared_ptr<const std::vector<ts::SftExampleLength>> m_lengths;
    std::optional<double> m_measuredTokensPerSecond;
    QString m_measuredRunName;
    int m_query = 0; // the newest measured-throughput query; older answers are dropped
    std::optional<ts::RunTimeEstimate> m_estimate;
};

} // namespace ts::ui
