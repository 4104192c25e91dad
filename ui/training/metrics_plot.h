// MetricsPlot: one live chart (QCustomPlot) of one or more metrics against the optimizer step, one line per run
// in the run's colour; several runs overlay for comparison, named in a legend. Noisy series can be smoothed (an
// exponential moving average drawn over the faint raw line) and the value axis can be logarithmic.
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
    QString label; // in the legend after the run's name when the chart shows several metrics ("train")
    bool smoothable = true; // false for sparse or scheduled series (eval loss, learning rate)
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
    // The legend's name for a run's lines ("run 3" until set).
    void setRunName(qint64 runId, const QString& name);
    // Exponential moving average weight in [0, 1): 0 draws the raw points; above 0 a smoothable series is drawn
    // smoothed (debiased as TensorBoard does, so the first points are not pulled towards 0) over its faint raw line.
    void setSmoothing(double weight);
    double smoothing() const { return m_smoothing; }
    // A logarithmic value axis (points at or below 0 are left out of its range).
    void setLogScale(bool logScale);
    bool logScale() const { return m_logScale; }

    QCPGraph* graphFor(qint64 runId, const QString& metric) const; // the raw points; nullptr until the run has one
    // The smoothed line over graphFor()'s points; nullptr while smoothing is off or the series is not smoothable.
    QCPGraph* smoothedGraphFor(qint64 runId, const QString& metric) const;
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
    void updateSmoothed(qint64 runId, const MetricSeries& series);
    void styleGraphs(); // pens, legend entries and names from visibility and smoothing
    QString legendName(qint64 runId, const MetricSeries& series) const;

    QString m_title;
    QList<MetricSeries> m_series;
    QHash<QString, QCPGraph*> m_graphs; // "runId|metric": raw points
    QHash<QString, QCPGraph*> m_smoothed; // "runId|metric": the moving average over them
    QHash<qint64, QString> m_runNames;
    double m_smoothing = 0;
    bool m_logScale = false;
    QHash<qint64, bool> m_visible;
    QCPTextElement* m_titleElement = nullptr;
    QCPItemText* m_emptyText = nullptr;
    bool m_follow = true;
};

} // namespace ts::ui
