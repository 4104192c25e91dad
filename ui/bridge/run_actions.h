// RunActions: the Start / Cancel / Resume actions of a page that runs a background job (the Prompt lab's A/B
// tests, the Synthetic data page's evolve runs): Ctrl+Return starts, a bare Esc cancels after asking (it can be
// pressed by accident; the Cancel button does not ask), Resume continues the selected stopped run. The actions are
// added to the page, so their shortcuts work while the page is shown.
#pragma once

#include <functional>

#include <QString>

class QAction;
class QWidget;

namespace ts::ui {

struct RunActionTexts
{
    QString what; // "A/B Test", "Evolve Run": in the menu texts
    QString objectName; // "AbTest", "Evolve": the actions are start<objectName>Action, cancel…, resume…
    QString startTip; // tooltips
    QString cancelTip;
    QString cancelQuestion; // "Cancel the run? The rows stored so far are kept, and Resume makes the rest."
};

struct RunActions
{
    QAction* start = nullptr;
    QAction* cancel = nullptr;
    QAction* resume = nullptr;
};

// `cancelling()` says whether the Esc question still makes sense (a job runs and no cancel is under way).
RunActions makeRunActions(QWidget* page, const RunActionTexts& texts, const std::function<void()>& start,
                          const std::function<bool()>& canCancel, const std::function<void()>& cancel,
                          const std::function<void()>& resume);

} // namespace ts::ui
