// PlotControls: a slider and a check box applied to every training chart, remembered in QSettings.
#include "training/plot_controls.h"

#include <cmath>

#include <QCheckBox>
#include <QHBoxLayout>
#include <QLabel>
#include <QSettings>
#include <QSlider>

#include "training/metrics_plot.h"

namespace ts::ui {

namespace {

constexpr auto kSmoothingKey = "training/plotSmoothing";
constexpr auto kLogScaleKey = "training/plotLogScale";

} // namespace

PlotControls::PlotControls(QList<MetricsPlot*> plots, QWidget* parent)
    : QWidget(parent)
    , m_plots(std::move(plots))
{
    auto* layout = new QHBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->setSpacing(6);

    auto* smoothingLabel = new QLabel(tr("&Smoothing:"), this);
    m_smoothing = new QSlider(Qt::Horizontal, this);
    m_smoothing->setObjectName(QStringLiteral("plotSmoothingSlider"));
    m_smoothing->setRange(0, 99);
    m_smoothing->setPageStep(10);
    m_smoothing->setFixedWidth(140);
    m_smoothing->setToolTip(tr("Draws the loss, gradient norm and throughput as an exponential moving average over "
                               "their faint raw lines (0 = raw points). Eval loss and the learning rate are never "
                               "smoothed."));
    smoothingLabel->setBuddy(m_smoothing);
    m_smoothingValue = new QLabel(this);
    m_smoothingValue->setObjectName(QStringLiteral("plotSmoothingValue"));
    m_smoothingValue->setMinimumWidth(fontMetrics().horizontalAdvance(QStringLiteral("0.00")) + 4);
    m_logScale = new QCheckBox(tr("&Log scale"), this);
    m_logScale->setObjectName(QStringLiteral("plotLogScaleCheck"));
    m_logScale->setToolTip(tr("Value axes in powers of ten: late, small changes in the loss stay visible"));

    layout->addWidget(smoothingLabel);
    layout->addWidget(m_smoothing);
    layout->addWidget(m_smoothingValue);
    layout->addSpacing(12);
    layout->addWidget(m_logScale);
    layout->addStretch(1);

    const QSettings settings;
    m_smoothing->setValue(static_cast<int>(std::lround(settings.value(kSmoothingKey, 0.6).toDouble() * 100)));
    m_logScale->setChecked(settings.value(kLogScaleKey, false).toBool());
    connect(m_smoothing, &QSlider::valueChanged, this, [this] {
        QSettings().setValue(kSmoothingKey, smoothing());
        apply();
    });
    connect(m_logScale, &QCheckBox::toggled, this, [this] {
        QSettings().setValue(kLogScaleKey, logScale());
        apply();
    });
    apply();
}

double PlotControls::smoothing() const
{
    return m_smoothing->value() / 100.0;
}

void PlotControls::setSmoothing(double weight)
{
    m_smoothing->setValue(static_cast<int>(std::lround(weight * 100)));
}

bool PlotControls::logScale() const
{
    return m_logScale->isChecked();
}

void PlotControls::setLogScale(bool logScale)
{
    m_logScale->setChecked(logScale);
}

void PlotControls::apply()
{
    m_smoothingValue->setText(QString::number(smoothing(), 'f', 2));
    for (MetricsPlot* plot : std::as_const(m_plots)) {
        plot->setSmoothing(smoothing());
        plot->setLogScale(logScale());
    }
}

} // namespace ts::ui
