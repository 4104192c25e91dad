// RecentProjects: the "Open Recent" list kept in QSettings (newest first, at most kMaxEntries, missing files pruned).
// GUI thread only; the list is read once and cached, and changes are written to the settings file in the background.
#pragma once

#include <QStringList>

namespace ts::ui {

class RecentProjects final
{
public:
    static constexpr int kMaxEntries = 8;

    RecentProjects() = delete;
    static QStringList list(); // existing files only; prunes the stored list
    static void add(const QString& path);
    static void remove(const QString& path);
    static void clear();
    static void waitForWrites(); // before the application ends
    // Menu labels for `paths`, in order: the file name, and where two or more share it, also as much of each one's
    // folder as tells them apart ("claims-demo.tunesmith — ~/…/build/demo"; the home folder as ~).
    static QStringList labels(const QStringList& paths);
};

} // namespace ts::ui
