// FunnelChart: QCPBars on the y axis (key) against the count (value), the top stage drawn at the top, each bar
// labelled with its count; palette-aware like the other charts.
#include "synth/funnel_chart.h"

#include <algorithm>
#include <array>

#include <QLocale>

#include "widgets/plot_style.h"

namespace ts::ui {

namespace {

QString counted(qint64 n, const QString& one, const QString& many)
{
    return n == 1 ? one : many.arg(QLocale().toString(n));
}

std::array<double, FunnelChart::kStages> stageValues(const ts::synth::SyntheticFunnel& f)
{
    return {double(f.generated), double(f.passedElimination), double(f.unique), double(f.aboveThreshold),
            double(f.accepted)};
}

} // namespace

QString funnelCountsText(const ts::synth::SyntheticFunnel& f)
{
    const QLocale locale;
    QStringList parts;
    parts << FunnelChart::tr("%1 generated").arg(locale.toString(f.generated))
          << FunnelChart::tr("%1 passed elimination").arg(locale.toString(f.passedElimination))
          << FunnelChart::tr("%1 unique").arg(locale.toString(f.unique))
          << FunnelChart::tr("%1 above the threshold").arg(locale.toString(f.aboveThreshold))
          << FunnelChart::tr("%1 accepted").arg(locale.toString(f.accepted));
    if (f.rejected)
        parts << FunnelChart::tr("%1 rejected").arg(locale.toString(f.rejected));
    if (f.promoted)
        parts << FunnelChart::tr("%1 promoted").arg(locale.toString(f.promoted));
    parts << counted(f.failed, FunnelChart::tr("1 failed call"), FunnelChart::tr("%1 failed calls"))
          << FunnelChart::tr("%1 waiting").arg(locale.toString(f.waiting));
    return parts.join(QStringLiteral(" · "));
}

FunnelChart::FunnelChart(QWidget* parent)
    : QCustomPlot(parent)
{
    setObjectName(QStringLiteral("funnelChart"));
    setMinimumSize(240, 140);
    plotLayout()->insertRow(0);
    m_title = new QCPTextElement(this, tr("Funnel of the run"));
    QFont titleFont = font();
    titleFont.setBold(true);
    m_title->setFont(titleFont);
    plotLayout()->addElement(0, 0, m_title);
    m_bars = new QCPBars(yAxis, xAxis); // horizontal: the stage is the key on the y axis
    m_bars->setWidth(0.65);
    m_bars->setPen(QPen(QColor(0x27, 0xae, 0x60)));
    m_bars->setBrush(QColor(0x27, 0xae, 0x60, 150));
    QSharedPointer<QCPAxisTickerText> ticker(new QCPAxisTickerText);
    const QStringList names {tr("generated"), tr("passed elimination"), tr("unique"), tr("above threshold"),
                             tr("accepted")};
    for (int i = 0; i < kStages; ++i)
        ticker->addTick(kStages - i, names[i]); // generated at the top
    yAxis->setTicker(ticker);
    yAxis->setRange(0.4, kStages + 0.6);
    xAxis->setLabel(tr("rows"));
    for (int i = 0; i < kStages; ++i) {
        auto* label = new QCPItemText(this);
        label->setPositionAlignment(Qt::AlignLeft | Qt::AlignVCenter);
        label->position->setType(QCPItemPosition::ptPlotCoords);
        label->setPadding(QMargins(4, 0, 0, 0));
        m_valueLabels.append(label);
    }
    applyPalette();
    clearChart();
}

void FunnelChart::clearChart()
{
    setFunnel({});
}

void FunnelChart::setFunnel(const ts::synth::SyntheticFunnel& funnel)
{
    const auto values = stageValues(funnel);
    QVector<double> keys, bars;
    for (int i = 0; i < kStages; ++i) {
        keys.append(kStages - i);
        bars.append(values[i]);
    }
    m_bars->setData(keys, bars, true);
    const double top = std::max(5.0, *std::max_element(values.begin(), values.end()));
    xAxis->setRange(0, top * 1.18); // room for the count beside the longest bar; whole-row ticks from 0 to 5 up
    for (int i = 0; i < kStages; ++i) {
        m_valueLabels[i]->position->setCoords(values[i], kStages - i);
        m_valueLabels[i]->setText(QLocale().toString(static_cast<qint64>(values[i])));
    }
    replot(QCustomPlot::rpQueuedReplot);
}

QVector<double> FunnelChart::values() const
{
    QVector<double> out(kStages, 0.0);
    for (auto it = m_bars->data()->constBegin(); it != m_bars->data()->constEnd(); ++it) {
        const int index = kStages - static_cast<int>(it->key);
        if (index >= 0 && index < kStages)
            out[index] = it->value;
    }
    return out;
}

void FunnelChart::changeEvent(QEvent* event)
{
    QCustomPlot::changeEvent(event);
    if (event->type() == QEvent::PaletteChange || event->type() == QEvent::StyleChange)
        applyPalette();
}

void FunnelChart::applyPalette()
{
    for (QCPItemText* label : m_valueLabels)
        label->setColor(palette().color(QPalette::WindowText));
    applyPlotPalette(*this, m_title);
}

} // namespace ts::ui
