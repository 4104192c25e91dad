// RecentProjects: QSettings key "recentProjects" holding absolute project paths, cached in memory; the settings file
// is written on a thread of its own.
#include "main/recent_projects.h"

#include <QFileInfo>
#include <QSettings>
#include <QThreadPool>

namespace ts::ui {

namespace {

const QString kKey = QStringLiteral("recentProjects");

struct RecentState
{
    QStringList paths;
    bool loaded = false;
    QThreadPool writer; // one thread: writes land in order
    RecentState() { writer.setMaxThreadCount(1); }
};

RecentState& state()
{
    static RecentState s;
    if (!s.loaded) {
        s.paths = QSettings().value(kKey).toStringList();
        s.loaded = true;
    }
    return s;
}

const QStringList& stored()
{
    return state().paths;
}

void store(const QStringList& paths)
{
    RecentState& s = state();
    s.paths = paths;
    // Writing the settings file ends in an fsync, which waits behind whatever the disk is flushing: after a 1 GB
    // Save As that took about a second. The GUI thread does not wait for it.
    s.writer.start([paths] {
        QSettings settings;
        settings.setValue(kKey, paths);
        settings.sync();
    });
}

} // namespace

void RecentProjects::waitForWrites()
{
    state().writer.waitForDone();
}

QStringList RecentProjects::list()
{
    const QStringList known = stored();
    QStringList existing;
    for (const QString& path : known)
        if (QFileInfo::exists(path) && !existing.contains(path))
            existing << path;
    while (existing.size() > kMaxEntries)
        existing.removeLast();
    if (existing != known)
        store(existing);
    return existing;
}

void RecentProjects::add(const QString& path)
{
    const QString absolute = QFileInfo(path).absoluteFilePath();
    QStringList paths = stored();
    paths.removeAll(absolute);
    paths.prepend(absolute);
    while (paths.size() > kMaxEntries)
        paths.removeLast();
    store(paths);
}

void RecentProjects::remove(const QString& path)
{
    QStringList paths = stored();
    paths.removeAll(QFileInfo(path).absoluteFilePath());
    store(paths);
}

void RecentProjects::clear()
{
    store({});
}

} // namespace ts::ui
