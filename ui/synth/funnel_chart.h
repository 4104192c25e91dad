// FunnelChart: an evolve run's funnel (generated → passed elimination → unique → above the quality threshold →
// accepted) as horizontal bars, one per stage with its count, plus the plain-text line of every count the page
// shows beside it (failed calls and rows still waiting included).
#pragma once

#include <qcustomplot.h>

#include <QString>

#include "synth/synthetic_row.h"

namespace ts::ui {

// "12 generated · 10 passed elimination · 9 unique · 7 above the threshold · 2 accepted · 1 failed call · 0
// waiting": singular and plural spelled out.
QString funnelCountsText(const ts::synth::SyntheticFunnel& funnel);

class FunnelChart final : public QCustomPlot
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(FunnelChart)

public:
    static constexpr int kStages = 5;

    explicit FunnelChart(QWidget* parent = nullptr);

    void setFunnel(const ts::synth::SyntheticFunnel& funnel);
    void clearChart();

    QCPBars* bars() const { return m_bars; }
    // The bar values, top stage (generated) first.
    QVector<double> values() const;

protected:
    void changeEvent(QEvent* event) override;

private:
    void applyPalette();

    QCPBars* m_bars = nullptr;
    QCPTextElement* m_title = nullptr;
    QVector<QCPItemText*> m_valueLabels;
};

} // namespace ts::ui
