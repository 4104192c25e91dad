// MetricsPlot: one live chart (QCustomPlot) of one or more metrics against the optimizer step, one line per run
// in the run's colour; several runs overlay for comparison.
#pragma once

#include <vector>

#include <QHash>
#include <QList>
#include <qcustomplot.h>

#include "store/run_repository.h"

namespace ts::ui {

// A metric the chart shows and how its lines look (every run uses the same style, in its own colour).
struct MetricSeries
{
    QString metric; // the metrics table's name, e.g. "train/loss"
    Qt::PenStyle penStyle = Qt::SolidLine;
    bool markers = false; // a circle per point (sparse metrics such as eval loss)
};

class MetricsPlot final : public QCustomPlot
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(MetricsPlot)

public:
    MetricsPlot(const QString& title, const QString& valueLabel, QList<MetricSeries> series, QWidget* parent = nullptr);

    // Adds the points of the metrics this chart shows (others are ignored). A point at or before a line's last
    // step replaces everything from that step on: a resumed run rewrites the steps after its checkpoint.
    // `replace`: the points are all of the run's points; what the chart had for the run is dropped first.
    void addPoints(qint64 runId, const std::vector<ts::MetricPoint>& points, bool replace = false);
    void setRunVisible(qint64 runId, bool visible);
    void clearRuns();

    QCPGraph* graphFor(qint64 runId, const QString& metric) const; // nullptr until the run has a point of it
    bool shows(const QString& metric) const;
    QString title() const { return m_title; }
    // Axes follow the data until the user drags or zooms; a double click (or this) follows again.
    void followData();

protected:
    void mouseDoubleClickEvent(QMouseEvent* event) override;
    void changeEvent(QEvent* event) override;

private:
    QCPGraph* ensureGraph(qint64 runId, const MetricSeries& series);
    void applyPalette();
    void rescale();

    QString m_title;
    QList<MetricSeries> m_series;
    QHash<QString, QCPGraph*> m_graphs; // "runId|metric"
    QHash<qint64, bool> m_visible;
    QCPTextElement* m_titleElement = nullptr;
    QCPItemText* m_emptyText = nullptr;
    bool m_follow = true;
};

} // namespace ts::ui
