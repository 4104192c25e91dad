// openSharedReader / stopPollThread.
#include "bridge/poll_worker.h"

#include <QMetaObject>
#include <QThread>

#include "bridge/path_conversion.h"
#include "store/project.h"

namespace ts::ui {

std::shared_ptr<ts::Database> openSharedReader(ts::Project* project, QString* error)
{
    if (!project)
        return nullptr;
    auto opened = project->openReader();
    if (!opened) {
        if (error)
            *error = fromStd(opened.error().message);
        return nullptr;
    }
    return std::make_shared<ts::Database>(std::move(*opened));
}

void stopPollThread(QThread& thread, QObject* worker, const std::function<void()>& stop)
{
    QMetaObject::invokeMethod(worker, stop, Qt::BlockingQueuedConnection);
    thread.quit();
    thread.wait();
}

} // namespace ts::ui
