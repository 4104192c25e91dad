// ScoreChart: one bar per variant at x = 1, 2, …, text ticks with the variant labels, asymmetric error bars
// from the CI, palette-aware like the training charts.
#include "promptlab/score_chart.h"

#include <algorithm>

#include "bridge/path_conversion.h"
#include "widgets/plot_style.h"

namespace ts::ui {

ScoreChart::ScoreChart(QWidget* parent)
    : QCustomPlot(parent)
{
    setObjectName(QStringLiteral("scoreChart"));
    setMinimumSize(260, 200);
    plotLayout()->insertRow(0);
    m_title = new QCPTextElement(this, tr("Mean score per variant (whiskers: 95% CI)"));
    QFont titleFont = font();
    titleFont.setBold(true);
    m_title->setFont(titleFont);
    plotLayout()->addElement(0, 0, m_title);
    m_bars = new QCPBars(xAxis, yAxis);
    m_bars->setWidth(0.6);
    m_bars->setPen(QPen(QColor(0x2e, 0x86, 0xc1)));
    m_bars->setBrush(QColor(0x2e, 0x86, 0xc1, 150));
    m_errors = new QCPErrorBars(xAxis, yAxis);
    m_errors->setDataPlottable(m_bars);
    m_errors->setWhiskerWidth(12);
    yAxis->setLabel(tr("mean score"));
    applyPalette();
    clearChart();
}

void ScoreChart::clearChart()
{
    m_labels.clear();
    m_bars->data()->clear();
    m_errors->data()->clear();
    xAxis->setTicker(QSharedPointer<QCPAxisTickerText>(new QCPAxisTickerText));
    xAxis->setRange(0, 3);
    yAxis->setRange(0, 1);
    replot(QCustomPlot::rpQueuedReplot);
}

void ScoreChart::setSummary(const ts::promptlab::AbSummary& summary, const QString& scorer)
{
    clearChart();
    QSharedPointer<QCPAxisTickerText> ticker(new QCPAxisTickerText);
    QVector<double> keys, values, minus, plus;
    double low = 0, high = 0;
    for (const auto& v : summary.variants) {
        const std::string name = scorer.toStdString();
        auto it = std::find_if(v.scores.begin(), v.scores.end(),
                               [&](const ts::promptlab::ScorerSummary& s) { return s.scorer == name; });
        if (it == v.scores.end())
            continue;
        const double key = static_cast<double>(keys.size() + 1);
        keys.append(key);
        values.append(it->mean.mean);
        minus.append(std::max(0.0, it->mean.mean - it->mean.ciLow));
        plus.append(std::max(0.0, it->mean.ciHigh - it->mean.mean));
        low = std::min(low, it->mean.ciLow);
        high = std::max(high, it->mean.ciHigh);
        m_labels.append(fromStd(v.variant));
        ticker->addTick(key, fromStd(v.variant));
    }
    m_bars->setData(keys, values, true);
    m_errors->setData(minus, plus);
    xAxis->setTicker(ticker);
    xAxis->setRange(0.3, keys.size() + 0.7);
    const double pad = (high - low) * 0.08 + 1e-9;
    yAxis->setRange(std::min(0.0, low - pad), std::max(high + pad, 1e-6));
    yAxis->setLabel(tr("mean %1").arg(scorer));
    replot(QCustomPlot::rpQueuedReplot);
}

void ScoreChart::changeEvent(QEvent* event)
{
    QCustomPlot::changeEvent(event);
    if (event->type() == QEvent::PaletteChange || event->type() == QEvent::StyleChange)
        applyPalette();
}

void ScoreChart::applyPalette()
{
    m_errors->setPen(QPen(palette().color(QPalette::WindowText), 1.4));
    applyPlotPalette(*this, m_title);
}

} // namespace ts::ui
