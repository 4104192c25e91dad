// ScoreChart: the mean score of each variant of an A/B test for one scorer, as bars with their 95% bootstrap
// confidence intervals as whiskers (QCustomPlot: QCPBars + QCPErrorBars).
#pragma once

#include <qcustomplot.h>

#include "promptlab/ab_summary.h"

namespace ts::ui {

class ScoreChart final : public QCustomPlot
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(ScoreChart)

public:
    explicit ScoreChart(QWidget* parent = nullptr);

    // Variants without a score for `scorer` get no bar. An empty summary clears the chart.
    void setSummary(const ts::promptlab::AbSummary& summary, const QString& scorer);
    void clearChart();

    QCPBars* bars() const { return m_bars; }
    QCPErrorBars* errorBars() const { return m_errors; }
    QStringList labels() const { return m_labels; }

protected:
    void changeEvent(QEvent* event) override;

private:
    void applyPalette();

    QCPBars* m_bars = nullptr;
    QCPErrorBars* m_errors = nullptr;
    QCPTextElement* m_title = nullptr;
    QStringList m_labels;
};

} // namespace ts::ui
