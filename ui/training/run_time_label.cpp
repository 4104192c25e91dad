// RunTimeLabel: the measured throughput of the newest earlier run on the same model (median of its logged tokens per
// second after the first step), queried on the work pool, and the estimate shown from it or from the compute model.
#include "training/run_time_label.h"

#include <algorithm>

#include <QLocale>

#include <nlohmann/json.hpp>

#include "bridge/background_task.h"
#include "bridge/path_conversion.h"
#include "store/project.h"
#include "store/run_repository.h"
#include "training/training_format.h"

namespace ts::ui {

namespace {

struct Measured
{
    int query = 0;
    std::optional<double> tokensPerSecond;
    QString runName;
};

// The newest train run on `modelDir` with logged throughput: the median of its tokens per second after step 1 (the
// first step also loads the model).
Measured measureFromRuns(ts::Database& db, const std::string& modelDir)
{
    Measured out;
    ts::RunRepository runs(db);
    auto list = runs.list("train");
    if (!list)
        return out;
    for (const ts::Run& run : *list) {
        const auto config = nlohmann::json::parse(run.config, nullptr, false);
        if (!config.is_object() || config.value("model_dir", std::string()) != modelDir)
            continue;
        auto points = runs.metricsSince(run.id, 0, "tokens_per_s");
        if (!points)
            continue;
        std::vector<double> values;
        for (const ts::MetricPoint& p : *points)
            if (p.step > 1 && p.value > 0)
                values.push_back(p.value);
        if (values.empty())
            continue;
        std::nth_element(values.begin(), values.begin() + values.size() / 2, values.end());
        out.tokensPerSecond = values[values.size() / 2];
        out.runName = fromStd(run.name);
        return out;
    }
    return out;
}

} // namespace

RunTimeLabel::RunTimeLabel(QWidget* parent)
    : QLabel(parent)
{
    setObjectName(QStringLiteral("runTimeEstimate"));
    recompute();
}

void RunTimeLabel::setProject(ts::Project* project)
{
    m_project = project;
    refreshMeasured();
}

void RunTimeLabel::setModel(const QString& modelDir, const std::optional<ts::ModelConfig>& config)
{
    const bool changed = modelDir != m_modelDir;
    m_modelDir = modelDir;
    m_model = config;
    if (changed)
        refreshMeasured();
    else
        recompute();
}

void RunTimeLabel::setTrainConfig(const std::optional<ts::TrainConfig>& config)
{
    m_config = config;
    recompute();
}

void RunTimeLabel::setExampleLengths(std::shared_ptr<const std::vector<ts::SftExampleLength>> lengths)
{
    m_lengths = std::move(lengths);
    recompute();
}

void RunTimeLabel::refreshMeasured()
{
    const int query = ++m_query;
    m_measuredTokensPerSecond.reset();
    m_measuredRunName.clear();
    recompute();
    if (!m_project || m_modelDir.isEmpty())
        return;
    auto opened = m_project->openReader();
    if (!opened)
        return; // the compute model stands in
    auto reader = std::make_shared<ts::Database>(std::move(*opened));
    runInBackground<Measured>(
        this,
        [reader, modelDir = m_modelDir.toStdString(), query] {
            Measured measured = measureFromRuns(*reader, modelDir);
            measured.query = query;
            return measured;
        },
        [this](const Measured& measured) {
            if (measured.query != m_query)
                return;
            m_measuredTokensPerSecond = measured.tokensPerSecond;
            m_measuredRunName = measured.runName;
            recompute();
        });
}

void RunTimeLabel::recompute()
{
    m_estimate.reset();
    if (!m_model || !m_config || !m_lengths || m_lengths->empty()) {
        clear();
        setToolTip(QString());
        return;
    }
    const ts::SftLengthCoverage coverage = ts::lengthCoverage(*m_lengths, m_config->maxSeqLen, m_config->overLong);
    const bool onGpu = QString::fromStdString(m_config->device).startsWith(QLatin1String("cuda"));
    m_estimate = ts::estimateRunTime(*m_model, *m_config, coverage.meanTokensKept, onGpu, m_measuredTokensPerSecond);
    const QLocale locale;
    setText(tr("≈ %1: %2 steps × %3")
                .arg(formatDuration(m_estimate->totalSeconds()), locale.toString(qlonglong(m_estimate->steps)),
                     tr("%1 s").arg(locale.toString(m_estimate->secondsPerStep(), 'f',
                                                    m_estimate->secondsPerStep() < 10 ? 1 : 0))));
    const QString perStep
        = tr("%1 tokens per step at %2 tokens/s")
              .arg(locale.toString(m_estimate->tokensPerStep, 'f', 0), formatRate(m_estimate->tokensPerSecond));
    if (m_estimate->measured)
        setToolTip(tr("Estimated run time: %1, measured by the earlier run \"%2\" on this base model.")
                       .arg(perStep, m_measuredRunName));
    else
        setToolTip(
            tr("Estimated run time: %1, from a compute model (training FLOPs per token for this model and "
               "these settings at an assumed %2 GFLOP/s on the %3). No run on this base model has measured "
               "this machine yet; the first one shows the real speed.")
                .arg(perStep)
                .arg(QString::number((onGpu ? ts::kAssumedGpuFlopsPerSecond : ts::kAssumedCpuFlopsPerSecond) / 1e9))
                .arg(onGpu ? tr("GPU") : tr("CPU")));
}

} // namespace ts::ui
