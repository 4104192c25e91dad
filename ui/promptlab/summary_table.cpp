// SummaryTable: columns built from the scorers the summary names, cells as read-only items.
#include "promptlab/summary_table.h"

#include <QHeaderView>
#include <QLocale>

#include "bridge/path_conversion.h"

namespace ts::ui {

SummaryTable::SummaryTable(QWidget* parent)
    : QTableWidget(parent)
{
    setObjectName(QStringLiteral("summaryTable"));
    setEditTriggers(QAbstractItemView::NoEditTriggers);
    setSelectionBehavior(QAbstractItemView::SelectRows);
    verticalHeader()->setVisible(false);
    horizontalHeader()->setSectionResizeMode(QHeaderView::ResizeToContents);
    setAlternatingRowColors(true);
}

QString SummaryTable::meanText(const ts::eval::MeanEstimate& mean)
{
    const QLocale locale;
    return QStringLiteral("%1 [%2, %3]")
        .arg(locale.toString(mean.mean, 'f', 3), locale.toString(mean.ciLow, 'f', 3),
             locale.toString(mean.ciHigh, 'f', 3));
}

void SummaryTable::clearSummary()
{
    clear();
    setRowCount(0);
    setColumnCount(0);
    m_scorers.clear();
}

void SummaryTable::setSummary(const ts::promptlab::AbSummary& summary)
{
    clearSummary();
    for (const auto& v : summary.variants)
        for (const auto& s : v.scores)
            if (!m_scorers.contains(fromStd(s.scorer)))
                m_scorers.append(fromStd(s.scorer));
    QStringList headers {tr("Variant"), tr("Calls"), tr("Failed")};
    for (const QString& s : std::as_const(m_scorers))
        headers.append(tr("%1 (95% CI)").arg(s));
    headers << tr("Latency p50") << tr("p95") << tr("Tokens in / out") << tr("Cost / 1,000 calls");
    setColumnCount(headers.size());
    setHorizontalHeaderLabels(headers);
    setRowCount(static_cast<int>(summary.variants.size()));
    const QLocale locale;
    auto put = [this](int row, int column, const QString& text, const QString& tip = {}) {
        auto* item = new QTableWidgetItem(text);
        item->setToolTip(tip);
        if (column > 0)
            item->setTextAlignment(Qt::AlignRight | Qt::AlignVCenter);
        setItem(row, column, item);
    };
    for (int r = 0; r < rowCount(); ++r) {
        const auto& v = summary.variants[static_cast<size_t>(r)];
        put(r, 0, fromStd(v.variant));
        put(r, 1, locale.toString(qlonglong(v.cells)));
        put(r, 2, locale.toString(qlonglong(v.failed)));
        int column = 3;
        for (const QString& scorer : std::as_const(m_scorers)) {
            const std::string name = scorer.toStdString();
            QString text = QStringLiteral("—");
            QString tip;
            for (const auto& s : v.scores)
                if (s.scorer == name) {
                    text = meanText(s.mean);
                    tip = tr("mean of %1 answers; 95% bootstrap confidence interval").arg(s.mean.n);
                    if (s.passRate)
                        text += tr(" · pass %1%").arg(locale.toString(*s.passRate * 100, 'f', 0));
                }
            put(r, column++, text, tip);
        }
        put(r, column++, v.latency ? tr("%1 ms").arg(locale.toString(v.latency->p50, 'f', 0)) : QStringLiteral("—"));
        put(r, column++, v.latency ? tr("%1 ms").arg(locale.toString(v.latency->p95, 'f', 0)) : QStringLiteral("—"));
        put(r, column++,
            QStringLiteral("%1 / %2").arg(locale.toString(v.meanTokensIn, 'f', 0),
                                          locale.toString(v.meanTokensOut, 'f', 0)),
            tr("mean tokens per call"));
        put(r, column++,
            v.costPer1000 ? QStringLiteral("$%1").arg(locale.toString(*v.costPer1000, 'f', 4)) : tr("unknown"),
            v.costPer1000 ? tr("at the mean cost per call; %1 spent in this run")
                                .arg(QStringLiteral("$") + locale.toString(v.costTotal.value_or(0), 'f', 4))
                          : tr("the endpoint has no price"));
    }
}

} // namespace ts::ui
