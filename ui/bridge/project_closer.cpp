// ProjectCloser: a one-thread QThreadPool that destroys projects (see project_closer.h).
#include "bridge/project_closer.h"

#include "store/project.h"

namespace ts::ui {

ProjectCloser::ProjectCloser()
{
    m_thread.setMaxThreadCount(1);
    m_thread.setObjectName(QStringLiteral("ProjectCloser"));
}

ProjectCloser::~ProjectCloser()
{
    waitForClosed();
}

void ProjectCloser::close(std::unique_ptr<ts::Project> project)
{
    if (!project)
        return;
    // QThreadPool takes a copyable callable: the project travels in a shared_ptr and is destroyed on the thread.
    m_thread.start([project = std::shared_ptr<ts::Project>(std::move(project))]() mutable { project.reset(); });
}

void ProjectCloser::waitForClosed()
{
    m_thread.waitForDone();
}

} // namespace ts::ui
