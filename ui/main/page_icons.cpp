// Page icons: each drawn on a 24-unit grid, rendered at 1x and 2x of the sidebar's 20 px.
#include "main/page_icons.h"

#include <QPainter>
#include <QPainterPath>
#include <QPixmap>

namespace ts::ui {

namespace {

void drawExamples(QPainter& p, const QPen& line, const QColor& accent)
{
    p.setPen(line);
    p.fillRect(QRectF(3, 4, 18, 4), accent);
    p.drawRect(QRectF(3, 4, 18, 16));
    for (double y : {8.0, 12.0, 16.0})
        p.drawLine(QPointF(3, y), QPointF(21, y));
    p.drawLine(QPointF(10, 4), QPointF(10, 20));
}

void drawPromptLab(QPainter& p, const QPen& line, const QColor& accent)
{
    QPainterPath flask;
    flask.moveTo(9, 3);
    flask.lineTo(9, 10);
    flask.lineTo(4, 19);
    flask.quadTo(3.5, 21, 6, 21);
    flask.lineTo(18, 21);
    flask.quadTo(20.5, 21, 20, 19);
    flask.lineTo(15, 10);
    flask.lineTo(15, 3);
    QPainterPath liquid;
    liquid.moveTo(6.6, 15);
    liquid.lineTo(17.4, 15);
    liquid.lineTo(20, 19);
    liquid.quadTo(20.5, 21, 18, 21);
    liquid.lineTo(6, 21);
    liquid.quadTo(3.5, 21, 4, 19);
    liquid.closeSubpath();
    p.fillPath(liquid, accent);
    p.setPen(line);
    p.drawPath(flask);
    p.drawLine(QPointF(7.5, 3), QPointF(16.5, 3));
}

void drawDecision(QPainter& p, const QPen& line, const QColor& accent)
{
    p.setPen(line);
    p.drawLine(QPointF(12, 4), QPointF(12, 20));
    p.drawLine(QPointF(7, 20.5), QPointF(17, 20.5));
    p.drawLine(QPointF(4, 7), QPointF(20, 7));
    for (double x : {4.0, 20.0}) {
        p.drawLine(QPointF(x, 7), QPointF(x - 2.5, 14));
        p.drawLine(QPointF(x, 7), QPointF(x + 2.5, 14));
        QPainterPath pan;
        pan.moveTo(x - 3.5, 14);
        pan.quadTo(x, 18.5, x + 3.5, 14);
        pan.closeSubpath();
        p.fillPath(pan, accent);
        p.drawPath(pan);
    }
    p.setBrush(line.color());
    p.drawEllipse(QPointF(12, 4), 1.3, 1.3);
}

QPainterPath sparkle(QPointF c, double r)
{
    QPainterPath path;
    path.moveTo(c.x(), c.y() - r);
    path.quadTo(c, QPointF(c.x() + r, c.y()));
    path.quadTo(c, QPointF(c.x(), c.y() + r));
    path.quadTo(c, QPointF(c.x() - r, c.y()));
    path.quadTo(c, QPointF(c.x(), c.y() - r));
    return path;
}

void drawSynthetic(QPainter& p, const QPen& line, const QColor& accent)
{
    p.setPen(line);
    const QPainterPath big = sparkle(QPointF(10, 13), 8);
    p.fillPath(big, accent);
    p.drawPath(big);
    const QPainterPath small = sparkle(QPointF(18.5, 5.5), 3.5);
    p.fillPath(small, line.color());
}

void drawTraining(QPainter& p, const QPen& line, const QColor& accent)
{
    p.setPen(line);
    p.drawLine(QPointF(3, 3), QPointF(3, 21));
    p.drawLine(QPointF(3, 21), QPointF(21, 21));
    QPen curve = line;
    curve.setColor(accent);
    curve.setWidthF(line.widthF() * 1.4);
    p.setPen(curve);
    QPainterPath loss;
    loss.moveTo(5, 5);
    loss.cubicTo(8, 15, 11, 16, 20, 17);
    p.drawPath(loss);
}

void drawEvaluation(QPainter& p, const QPen& line, const QColor& accent)
{
    QPen check = line;
    check.setColor(accent);
    check.setWidthF(line.widthF() * 1.3);
    for (int row = 0; row < 3; ++row) {
        const double y = 6 + row * 6;
        p.setPen(check);
        p.drawPolyline(QPolygonF({QPointF(3, y), QPointF(5, y + 2), QPointF(8.5, y - 2.5)}));
        p.setPen(line);
        p.drawLine(QPointF(11, y), QPointF(21, y));
    }
}

void drawExport(QPainter& p, const QPen& line, const QColor& accent)
{
    p.setPen(line);
    QPainterPath box;
    box.moveTo(8, 10);
    box.lineTo(4, 10);
    box.lineTo(4, 21);
    box.lineTo(20, 21);
    box.lineTo(20, 10);
    box.lineTo(16, 10);
    p.drawPath(box);
    QPen arrow = line;
    arrow.setColor(accent);
    arrow.setWidthF(line.widthF() * 1.4);
    p.setPen(arrow);
    p.drawLine(QPointF(12, 16), QPointF(12, 3));
    p.drawPolyline(QPolygonF({QPointF(8, 7), QPointF(12, 3), QPointF(16, 7)}));
}

QPixmap render(PageIcon icon, const QPalette& palette, int size)
{
    QPixmap pixmap(size, size);
    pixmap.fill(Qt::transparent);
    QPainter p(&pixmap);
    p.setRenderHint(QPainter::Antialiasing);
    p.scale(size / 24.0, size / 24.0);
    QPen line(palette.color(QPalette::WindowText), 1.6, Qt::SolidLine, Qt::RoundCap, Qt::RoundJoin);
    QColor accent = palette.color(QPalette::Highlight);
    switch (icon) {
    case PageIcon::Examples:
        drawExamples(p, line, accent.lighter(150));
        break;
    case PageIcon::PromptLab:
        drawPromptLab(p, line, accent);
        break;
    case PageIcon::Decision:
        drawDecision(p, line, accent);
        break;
    case PageIcon::Synthetic:
        drawSynthetic(p, line, accent);
        break;
    case PageIcon::Training:
        drawTraining(p, line, accent);
        break;
    case PageIcon::Evaluation:
        drawEvaluation(p, line, QColor(46, 160, 67));
        break;
    case PageIcon::Export:
        drawExport(p, line, accent);
        break;
    }
    return pixmap;
}

} // namespace

QIcon pageIcon(PageIcon icon, const QPalette& palette)
{
    QIcon result;
    for (int size : {20, 40})
        result.addPixmap(render(icon, palette, size));
    return result;
}

} // namespace ts::ui
