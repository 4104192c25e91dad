// applyPlotPalette: colours from QPalette::Base / WindowText / Mid.
#include "widgets/plot_style.h"

#include <qcustomplot.h>

namespace ts::ui {

void applyPlotPalette(QCustomPlot& plot, QCPTextElement* title)
{
    const QPalette pal = plot.palette();
    const QColor text = pal.color(QPalette::WindowText);
    QColor grid = pal.color(QPalette::Mid);
    grid.setAlpha(90);
    plot.setBackground(pal.brush(QPalette::Base));
    if (title)
        title->setTextColor(text);
    for (QCPAxis* axis : {plot.xAxis, plot.yAxis}) {
        axis->setBasePen(QPen(text, 1));
        axis->setTickPen(QPen(text, 1));
        axis->setSubTickPen(QPen(text, 1));
        axis->setTickLabelColor(text);
        axis->setLabelColor(text);
        axis->grid()->setPen(QPen(grid, 1, Qt::DotLine));
    }
    plot.replot(QCustomPlot::rpQueuedReplot);
}

} // namespace ts::ui
