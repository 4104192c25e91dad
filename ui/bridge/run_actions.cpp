// RunActions: three QActions with the shortcuts and the Esc question.
#include "bridge/run_actions.h"

#include <QAction>
#include <QMessageBox>
#include <QWidget>

#include "dialogs/dialogs.h"

namespace ts::ui {

RunActions makeRunActions(QWidget* page, const RunActionTexts& texts, const std::function<void()>& start,
                          const std::function<bool()>& canCancel, const std::function<void()>& cancel,
                          const std::function<void()>& resume)
{
    RunActions a;
    a.start = new QAction(QObject::tr("&Start %1").arg(texts.what), page);
    a.start->setObjectName(QStringLiteral("start%1Action").arg(texts.objectName));
    a.start->setShortcuts({QKeySequence(Qt::CTRL | Qt::Key_Return), QKeySequence(Qt::CTRL | Qt::Key_Enter)});
    a.start->setToolTip(texts.startTip);
    QObject::connect(a.start, &QAction::triggered, page, start);
    page->addAction(a.start);

    a.cancel = new QAction(QObject::tr("&Cancel %1").arg(texts.what), page);
    a.cancel->setObjectName(QStringLiteral("cancel%1Action").arg(texts.objectName));
    a.cancel->setShortcut(QKeySequence(Qt::Key_Escape));
    a.cancel->setToolTip(texts.cancelTip);
    QObject::connect(a.cancel, &QAction::triggered, page, [page, texts, canCancel, cancel] {
        if (!canCancel())
            return;
        const auto answer = Dialogs::question(page, QObject::tr("Cancel %1").arg(texts.what), texts.cancelQuestion,
                                              QMessageBox::Yes | QMessageBox::No, QMessageBox::No);
        if (answer == QMessageBox::Yes)
            cancel();
    });
    page->addAction(a.cancel);

    a.resume = new QAction(QObject::tr("&Resume %1").arg(texts.what), page);
    a.resume->setObjectName(QStringLiteral("resume%1Action").arg(texts.objectName));
    QObject::connect(a.resume, &QAction::triggered, page, resume);
    page->addAction(a.resume);
    return a;
}

} // namespace ts::ui
