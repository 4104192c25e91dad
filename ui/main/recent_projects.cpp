// RecentProjects: QSettings key "recentProjects" holding absolute project paths.
#include "main/recent_projects.h"

#include <QFileInfo>
#include <QSettings>

namespace ts::ui {

namespace {

const QString kKey = QStringLiteral("recentProjects");

void store(const QStringList& paths)
{
    QSettings().setValue(kKey, paths);
}

} // namespace

QStringList RecentProjects::list()
{
    const QStringList stored = QSettings().value(kKey).toStringList();
    QStringList existing;
    for (const QString& path : stored)
        if (QFileInfo::exists(path) && !existing.contains(path))
            existing << path;
    while (existing.size() > kMaxEntries)
        existing.removeLast();
    if (existing != stored)
        store(existing);
    return existing;
}

void RecentProjects::add(const QString& path)
{
    const QString absolute = QFileInfo(path).absoluteFilePath();
    QStringList paths = QSettings().value(kKey).toStringList();
    paths.removeAll(absolute);
    paths.prepend(absolute);
    while (paths.size() > kMaxEntries)
        paths.removeLast();
    store(paths);
}

void RecentProjects::remove(const QString& path)
{
    QStringList paths = QSettings().value(kKey).toStringList();
    paths.removeAll(QFileInfo(path).absoluteFilePath());
    store(paths);
}

void RecentProjects::clear()
{
    store({});
}

} // namespace ts::ui
