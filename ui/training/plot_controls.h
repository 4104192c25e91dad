// PlotControls: the row over the training charts that smooths their noisy lines (a moving-average slider, as in
// TensorBoard) and switches their value axes to a log scale. The choice is kept across sessions.
#pragma once

#include <QList>
#include <QWidget>

class QCheckBox;
class QLabel;
class QSlider;

namespace ts::ui {

class MetricsPlot;

class PlotControls final : public QWidget
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(PlotControls)

public:
    PlotControls(QList<MetricsPlot*> plots, QWidget* parent = nullptr);

    double smoothing() const; // the moving average's weight, 0 … 0.99
    void setSmoothing(double weight);
    bool logScale() const;
    void setLogScale(bool logScale);

private:
    void apply();

    QList<MetricsPlot*> m_plots;
    QSlider* m_smoothing = nullptr;
    QLabel* m_smoothingValue = nullptr;
    QCheckBox* m_logScale = nullptr;
};

} // namespace ts::ui
