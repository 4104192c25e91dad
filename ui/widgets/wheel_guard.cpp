// WheelGuard: an application event filter on spin boxes and combo boxes.
#include "widgets/wheel_guard.h"

#include <QAbstractSpinBox>
#include <QApplication>
#include <QComboBox>
#include <QEvent>

namespace ts::ui {

namespace {

bool isGuarded(QObject* object)
{
    return qobject_cast<QAbstractSpinBox*>(object) != nullptr || qobject_cast<QComboBox*>(object) != nullptr;
}

} // namespace

void WheelGuard::install()
{
    static WheelGuard* guard = nullptr;
    if (guard || !qApp)
        return;
    guard = new WheelGuard(qApp);
    qApp->installEventFilter(guard);
}

bool WheelGuard::eventFilter(QObject* watched, QEvent* event)
{
    const QEvent::Type type = event->type();
    if ((type != QEvent::Wheel && type != QEvent::Polish) || !isGuarded(watched))
        return false;
    auto* widget = static_cast<QWidget*>(watched);
    if (type == QEvent::Polish) {
        // The wheel must not give focus either: with Qt::WheelFocus the first turn would focus the field and change it.
        if (widget->focusPolicy() == Qt::WheelFocus)
            widget->setFocusPolicy(Qt::StrongFocus);
        return false;
    }
    if (widget->hasFocus())
        return false;
    // Not for this field: ignored, the wheel event goes on to the parents, and the scroll area around scrolls.
    event->ignore();
    return true;
}

} // namespace ts::ui
