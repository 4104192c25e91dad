// SummaryTable: the numbers of an A/B test run, one row per variant — calls and failures, each scorer's mean
// with its 95% CI (and pass rate for pass/fail scorers), latency p50 / p95, mean tokens in / out, and cost per
// 1,000 calls (promptlab::summarizeRun).
#pragma once

#include <QTableWidget>

#include "promptlab/ab_summary.h"

namespace ts::ui {

class SummaryTable final : public QTableWidget
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(SummaryTable)

public:
    explicit SummaryTable(QWidget* parent = nullptr);
    void setSummary(const ts::promptlab::AbSummary& summary);
    void clearSummary();
    QStringList scorers() const { return m_scorers; } // in column order

    // "0.75 [0.58, 0.92]"
    static QString meanText(const ts::eval::MeanEstimate& mean);

private:
    QStringList m_scorers;
};

} // namespace ts::ui
