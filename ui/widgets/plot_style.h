// Palette-aware styling shared by the QCustomPlot charts (training metrics, prompt lab scores): background, title,
// axes and dotted grid lines in the widget palette's colours, so the charts follow light and dark themes.
#pragma once

class QCustomPlot;
class QCPTextElement;

namespace ts::ui {

// Queues a replot. `title` may be null.
void applyPlotPalette(QCustomPlot& plot, QCPTextElement* title);

} // namespace ts::ui
