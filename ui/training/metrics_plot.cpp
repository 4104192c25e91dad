// MetricsPlot: graphs per (run, metric), replacement of rewritten steps, following axes, a legend of run names,
// moving-average smoothing, a log value axis, palette-aware styling.
#include "training/metrics_plot.h"

#include <algorithm>
#include <cmath>

#include "training/runs_model.h"
#include "widgets/plot_style.h"

namespace ts::ui {

namespace {

QString graphKey(qint64 runId, const QString& metric)
{
    return QString::number(runId) + QLatin1Char('|') + metric;
}

qint64 runOfKey(const QString& key)
{
    return key.section(QLatin1Char('|'), 0, 0).toLongLong();
}

QString metricOfKey(const QString& key)
{
    return key.section(QLatin1Char('|'), 1);
}

// Debiased exponential moving average (TensorBoard's "smoothing"): s_i = (w·a_{i-1} + (1−w)·y_i) / (1 − w^i).
QVector<QCPGraphData> movingAverage(const QCPGraphDataContainer& raw, double weight)
{
    QVector<QCPGraphData> out;
    out.reserve(raw.size());
    double accumulated = 0, decay = 1;
    for (auto it = raw.constBegin(); it != raw.constEnd(); ++it) {
        accumulated = accumulated * weight + (1 - weight) * it->value;
        decay *= weight;
        out.append(QCPGraphData(it->key, accumulated / (1 - decay)));
    }
    return out;
}

} // namespace

MetricsPlot::MetricsPlot(const QString& title, const QString& valueLabel, QList<MetricSeries> series, QWidget* parent)
    : QCustomPlot(parent)
    , m_title(title)
    , m_series(std::move(series))
{
    setMinimumSize(220, 160);
    setNoAntialiasingOnDrag(true);
    // Solid lines as separate segments: QPainter's stroker makes an antialiased polyline wider than 1 px slow on noisy
    // data (a replot of 600 noisy points took ~60 ms, of 2,000 ~180 ms; with this hint 1–2 ms), and a live run
    // replots several times a second on the GUI thread.
    setPlottingHint(QCP::phFastPolylines, true);
    setInteractions(QCP::iRangeDrag | QCP::iRangeZoom);
    setAutoAddPlottableToLegend(false); // entries follow visibility and smoothing (styleGraphs)
    legend->setVisible(false);
    legend->setIconSize(18, 8);
    legend->setRowSpacing(-2);
    QFont legendFont = font();
    legendFont.setPointSizeF(legendFont.pointSizeF() * 0.85);
    legend->setFont(legendFont);
    axisRect()->insetLayout()->setInsetAlignment(0, Qt::AlignTop | Qt::AlignRight);
    plotLayout()->insertRow(0);
    m_titleElement = new QCPTextElement(this, title);
    QFont titleFont = font();
    titleFont.setBold(true);
    m_titleElement->setFont(titleFont);
    plotLayout()->addElement(0, 0, m_titleElement);

    xAxis->setLabel(tr("step"));
    yAxis->setLabel(valueLabel);
    yAxis->setNumberFormat(QStringLiteral("g"));
    yAxis->setNumberPrecision(3);
    QSharedPointer<QCPAxisTickerFixed> stepTicker(new QCPAxisTickerFixed);
    stepTicker->setTickStep(1.0);
    stepTicker->setScaleStrategy(QCPAxisTickerFixed::ssMultiples);
    xAxis->setTicker(stepTicker);
    xAxis->setNumberFormat(QStringLiteral("f")); // steps read 1500, not 1.5e+03
    xAxis->setNumberPrecision(0);
    xAxis->setRange(0, 10);
    yAxis->setRange(0, 1);

    m_emptyText = new QCPItemText(this);
    m_emptyText->position->setType(QCPItemPosition::ptAxisRectRatio);
    m_emptyText->position->setCoords(0.5, 0.5);
    m_emptyText->setPositionAlignment(Qt::AlignCenter);
    m_emptyText->setText(tr("No points yet"));
    m_emptyText->setClipToAxisRect(true);

    // Enough digits to tell the ticks apart (a loss between 11.76 and 11.77 needs more than three).
    connect(yAxis, qOverload<const QCPRange&>(&QCPAxis::rangeChanged), this, [this](const QCPRange& range) {
        const double magnitude = std::max(std::abs(range.lower), std::abs(range.upper));
        int precision = 3;
        if (range.size() > 0 && magnitude > 0)
            precision = std::clamp(static_cast<int>(std::ceil(std::log10(magnitude / range.size()))) + 2, 3, 8);
        yAxis->setNumberPrecision(precision);
    });
    connect(this, &QCustomPlot::mousePress, this, [this] { m_follow = false; });
    connect(this, &QCustomPlot::mouseWheel, this, [this] { m_follow = false; });
    applyPalette();
}

bool MetricsPlot::shows(const QString& metric) const
{
    return std::any_of(m_series.begin(), m_series.end(), [&](const MetricSeries& s) { return s.metric == metric; });
}

QCPGraph* MetricsPlot::graphFor(qint64 runId, const QString& metric) const
{
    return m_graphs.value(graphKey(runId, metric), nullptr);
}

QCPGraph* MetricsPlot::smoothedGraphFor(qint64 runId, const QString& metric) const
{
    return m_smoothed.value(graphKey(runId, metric), nullptr);
}

QCPGraph* MetricsPlot::ensureGraph(qint64 runId, const MetricSeries& series)
{
    const QString key = graphKey(runId, series.metric);
    if (QCPGraph* graph = m_graphs.value(key, nullptr))
        return graph;
    QCPGraph* graph = addGraph();
    const QColor color = RunsModel::colorFor(runId);
    if (series.markers)
        graph->setScatterStyle(QCPScatterStyle(QCPScatterStyle::ssCircle, color, palette().color(QPalette::Base), 5));
    m_graphs.insert(key, graph);
    styleGraphs();
    return graph;
}

QString MetricsPlot::legendName(qint64 runId, const MetricSeries& series) const
{
    QString name = m_runNames.value(runId);
    if (name.isEmpty())
        name = tr("run %1").arg(runId);
    if (m_series.size() > 1 && !series.label.isEmpty())
        name += QStringLiteral(" · ") + series.label;
    return name;
}

void MetricsPlot::styleGraphs()
{
    legend->clearItems();
    // Legend entries in the order of the metrics, then of the runs (oldest first).
    QList<QString> keys = m_graphs.keys();
    std::sort(keys.begin(), keys.end(), [](const QString& a, const QString& b) {
        return std::pair(metricOfKey(a), runOfKey(a)) < std::pair(metricOfKey(b), runOfKey(b));
    });
    for (const MetricSeries& series : std::as_const(m_series)) {
        for (const QString& key : std::as_const(keys)) {
            if (metricOfKey(key) != series.metric)
                continue;
            const qint64 runId = runOfKey(key);
            QCPGraph* raw = m_graphs.value(key);
            QCPGraph* smoothed = m_smoothed.value(key, nullptr);
            const bool visible = m_visible.value(runId, true);
            const QColor color = RunsModel::colorFor(runId);
            // phFastPolylines serves solid pens only; a dashed line wider than 1 px over noisy points costs as much
            // as a solid one did (~40 ms per replot at 500 points), a 1 px one well under 1 ms (the dashed eval loss
            // has markers too).
            const double width = series.penStyle == Qt::SolidLine ? 1.6 : 1.0;
            raw->setVisible(visible);
            raw->setName(legendName(runId, series));
            if (smoothed) {
                QColor faint = color;
                faint.setAlpha(70);
                raw->setPen(QPen(faint, 1.0, series.penStyle));
                smoothed->setPen(QPen(color, width, series.penStyle));
                smoothed->setName(raw->name());
                smoothed->setVisible(visible);
                if (visible)
                    smoothed->addToLegend();
            } else {
                raw->setPen(QPen(color, width, series.penStyle));
                if (visible)
                    raw->addToLegend();
            }
        }
    }
    legend->setVisible(legend->itemCount() > 0);
}

void MetricsPlot::updateSmoothed(qint64 runId, const MetricSeries& series)
{
    const QString key = graphKey(runId, series.metric);
    QCPGraph* raw = m_graphs.value(key, nullptr);
    QCPGraph* smoothed = m_smoothed.value(key, nullptr);
    if (!raw || m_smoothing <= 0 || !series.smoothable) {
        if (smoothed) {
            m_smoothed.remove(key);
            removeGraph(smoothed);
            styleGraphs();
        }
        return;
    }
    if (!smoothed) {
        smoothed = addGraph();
        m_smoothed.insert(key, smoothed);
        styleGraphs();
    }
    smoothed->data()->set(movingAverage(*raw->data(), m_smoothing), true);
}

void MetricsPlot::setRunName(qint64 runId, const QString& name)
{
    if (m_runNames.value(runId) == name)
        return;
    m_runNames.insert(runId, name);
    styleGraphs();
    replot(QCustomPlot::rpQueuedReplot);
}

void MetricsPlot::setSmoothing(double weight)
{
    weight = std::clamp(weight, 0.0, 0.999);
    if (weight == m_smoothing)
        return;
    m_smoothing = weight;
    for (auto it = m_graphs.cbegin(); it != m_graphs.cend(); ++it)
        for (const MetricSeries& series : std::as_const(m_series))
            if (series.metric == metricOfKey(it.key()))
                updateSmoothed(runOfKey(it.key()), series);
    styleGraphs();
    rescale();
}

void MetricsPlot::setLogScale(bool logScale)
{
    if (logScale == m_logScale)
        return;
    m_logScale = logScale;
    yAxis->setScaleType(logScale ? QCPAxis::stLogarithmic : QCPAxis::stLinear);
    if (logScale)
        yAxis->setTicker(QSharedPointer<QCPAxisTickerLog>(new QCPAxisTickerLog));
    else
        yAxis->setTicker(QSharedPointer<QCPAxisTicker>(new QCPAxisTicker));
    m_follow = true;
    rescale();
}

void MetricsPlot::addPoints(qint64 runId, const std::vector<ts::MetricPoint>& points, bool replace)
{
    bool changed = false;
    if (replace) {
        for (const MetricSeries& series : std::as_const(m_series))
            if (QCPGraph* graph = graphFor(runId, series.metric)) {
                graph->data()->clear();
                changed = true;
            }
    }
    for (const MetricSeries& series : std::as_const(m_series)) {
        const std::string name = series.metric.toStdString();
        QCPGraph* graph = nullptr;
        for (const ts::MetricPoint& point : points) {
            if (point.name != name || !std::isfinite(point.value))
                continue;
            if (!graph)
                graph = ensureGraph(runId, series);
            const double step = static_cast<double>(point.step);
            auto data = graph->data();
            if (!data->isEmpty() && step <= (data->constEnd() - 1)->key)
                data->removeAfter(step - 0.5);
            graph->addData(step, point.value);
            changed = true;
        }
        if (graph || replace)
            updateSmoothed(runId, series);
    }
    if (changed)
        rescale();
}

void MetricsPlot::setRunVisible(qint64 runId, bool visible)
{
    m_visible.insert(runId, visible);
    styleGraphs();
    rescale();
}

void MetricsPlot::clearRuns()
{
    clearGraphs();
    legend->clearItems();
    legend->setVisible(false);
    m_graphs.clear();
    m_smoothed.clear();
    m_runNames.clear();
    m_visible.clear();
    m_follow = true;
    rescale();
}

void MetricsPlot::followData()
{
    m_follow = true;
    rescale();
}

void MetricsPlot::rescale()
{
    bool any = false;
    for (QCPGraph* graph : std::as_const(m_graphs))
        any = any || (graph->visible() && !graph->data()->isEmpty());
    m_emptyText->setVisible(!any);
    // A series of one point has no line to show: it gets a marker until a second point comes.
    for (QCPGraph* graph : std::as_const(m_graphs)) {
        const bool lonePoint = graph->data()->size() == 1;
        if (lonePoint && graph->scatterStyle().isNone())
            graph->setScatterStyle(QCPScatterStyle(QCPScatterStyle::ssDisc, graph->pen().color(), 6));
        else if (!lonePoint && graph->property("loneMarker").toBool())
            graph->setScatterStyle(QCPScatterStyle());
        graph->setProperty("loneMarker", lonePoint && graph->scatterStyle().shape() == QCPScatterStyle::ssDisc);
    }
    if (any && m_follow) {
        rescaleAxes(true);
        // The data's own ranges (a single point makes QCustomPlot widen the axis to ±5 around it).
        bool foundKeys = false, foundValues = false;
        QCPRange keys, values;
        for (QCPGraph* graph : std::as_const(m_graphs)) {
            if (!graph->visible() || graph->data()->isEmpty())
                continue;
            bool ok = false;
            const QCPRange k = graph->getKeyRange(ok);
            if (ok)
                keys = foundKeys ? QCPRange(std::min(keys.lower, k.lower), std::max(keys.upper, k.upper)) : k;
            foundKeys = foundKeys || ok;
            const QCPRange v = graph->getValueRange(ok, m_logScale ? QCP::sdPositive : QCP::sdBoth);
            if (ok)
                values = foundValues ? QCPRange(std::min(values.lower, v.lower), std::max(values.upper, v.upper)) : v;
            foundValues = foundValues || ok;
        }
        // A little room around the lines, and at least one step of width; steps never go below 0.
        QCPRange x = foundKeys ? keys : xAxis->range();
        if (x.size() < 1)
            x = QCPRange(x.lower - 0.5, x.lower + 0.5);
        // Markers at the first and last step stay whole: 3% of the range, and at least 8 px.
        const int plotWidth = axisRect()->width();
        const double xPad = std::max(x.size() * 0.03, plotWidth > 16 ? x.size() * 8.0 / (plotWidth - 16) : 0.0);
        xAxis->setRange(std::max(0.0, x.lower - xPad), x.upper + xPad);
        QCPRange y = foundValues ? values : yAxis->range();
        if (m_logScale) {
            // A tenth of a decade of room either side; with no positive point the axis keeps its range.
            if (foundValues)
                yAxis->setRange(y.lower / 1.26, y.upper * 1.26);
        } else {
            const double pad = y.size() > 0 ? y.size() * 0.06 : std::max(std::abs(y.center()) * 0.1, 1e-6);
            // Metrics that are never negative (loss, learning rate, norms, tokens/s) keep a 0 floor.
            const double lower = y.lower >= 0 ? std::max(0.0, y.lower - pad) : y.lower - pad;
            yAxis->setRange(lower, y.upper + pad);
        }
    }
    replot(QCustomPlot::rpQueuedReplot);
}

void MetricsPlot::mouseDoubleClickEvent(QMouseEvent* event)
{
    QCustomPlot::mouseDoubleClickEvent(event);
    followData();
}

void MetricsPlot::changeEvent(QEvent* event)
{
    QCustomPlot::changeEvent(event);
    if (event->type() == QEvent::PaletteChange || event->type() == QEvent::StyleChange)
        applyPalette();
}

void MetricsPlot::applyPalette()
{
    m_emptyText->setColor(palette().color(QPalette::Disabled, QPalette::WindowText));
    QColor legendBackground = palette().color(QPalette::Base);
    legendBackground.setAlpha(215); // lines under the legend stay faintly visible
    legend->setBrush(legendBackground);
    legend->setBorderPen(QPen(palette().color(QPalette::Mid)));
    legend->setTextColor(palette().color(QPalette::Text));
    applyPlotPalette(*this, m_titleElement);
}

} // namespace ts::ui
