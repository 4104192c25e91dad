// RecentProjects: the "Open Recent" list kept in QSettings (newest first, at most kMaxEntries, missing files pruned).
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
};

} // namespace ts::ui
