// WheelGuard: the mouse wheel changes a spin box or combo box only when it has focus; otherwise the wheel scrolls
// the form around it (a scroll through the training settings must not move β1 or the warmup). Installed once on
// the application, so every page and dialog gets it.
#pragma once

#include <QObject>

namespace ts::ui {

class WheelGuard final : public QObject
{
    Q_OBJECT

public:
    static void install(); // once per application; later calls do nothing

protected:
    bool eventFilter(QObject* watched, QEvent* event) override;

private:
    using QObject::QObject;
};

} // namespace ts::ui
