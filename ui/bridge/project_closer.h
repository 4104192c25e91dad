// ProjectCloser: closes projects off the GUI thread. Closing the writer checkpoints the WAL into the file (seconds
// after a large import or Save As), so a closed project goes to a thread of the closer's own, one at a time; an open
// waits for the closes in flight first (it may reopen the same file), and so does the closer's destructor.
#pragma once

#include <memory>

#include <QThreadPool>

namespace ts {
class Project;
}

namespace ts::ui {

class ProjectCloser
{
public:
    ProjectCloser();
    ~ProjectCloser(); // waits for the closes in flight
    ProjectCloser(const ProjectCloser&) = delete;
    ProjectCloser& operator=(const ProjectCloser&) = delete;

    // Takes the project and closes it on the closer's thread. Nothing may use it any more (pages, jobs, readers of
    // the GUI thread are done with it). A null project is ignored.
    void close(std::unique_ptr<ts::Project> project);
    // Returns once every project handed to close() is closed. Any thread (a pool thread before an open).
    void waitForClosed();

private:
    QThreadPool m_thread; // one thread: closes run in order
};

} // namespace ts::ui
