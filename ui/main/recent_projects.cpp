// RecentProjects: QSettings key "recentProjects" holding absolute project paths, cached in memory; the settings file
// is written on a thread of its own.
#include "main/recent_projects.h"

#include <QDir>
#include <QFileInfo>
#include <QHash>
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

// The last `depth` parts of `folder` ("~/…/build/demo"), or all of it when it has no more; home shows as ~.
QString folderTail(const QString& folder, int depth, bool* whole)
{
    QString path = QDir::cleanPath(folder);
    const QString home = QDir::cleanPath(QDir::homePath());
    QString root = QStringLiteral("/");
    if (path == home || path.startsWith(home + QLatin1Char('/'))) {
        path = path.mid(home.size());
        root = QStringLiteral("~/");
    }
    const QStringList parts = path.split(QLatin1Char('/'), Qt::SkipEmptyParts);
    *whole = depth >= parts.size();
    if (*whole)
        return QDir::toNativeSeparators(parts.isEmpty() ? root.left(1) : root + parts.join(QLatin1Char('/')));
    return QDir::toNativeSeparators(root + QStringLiteral("…/")
                                    + parts.mid(parts.size() - depth).join(QLatin1Char('/')));
}

} // namespace

QStringList RecentProjects::labels(const QStringList& paths)
{
    QHash<QString, QList<int>> byName;
    for (int i = 0; i < paths.size(); ++i)
        byName[QFileInfo(paths[i]).fileName()].append(i);
    QStringList out;
    for (const QString& path : paths)
        out << QFileInfo(path).fileName();
    for (auto it = byName.cbegin(); it != byName.cend(); ++it) {
        const QList<int>& clash = it.value();
        if (clash.size() < 2)
            continue;
        // One folder part more until the clashing entries read differently (or their whole folders are shown).
        for (int depth = 1;; ++depth) {
            QStringList tails;
            bool allWhole = true;
            for (int i : clash) {
                bool whole = false;
                tails << folderTail(QFileInfo(paths[i]).absolutePath(), depth, &whole);
                allWhole = allWhole && whole;
            }
            if (tails.removeDuplicates() == 0 || allWhole) {
                for (int i : clash) {
                    bool whole = false;
                    out[i] = QStringLiteral("%1 — %2").arg(
                        it.key(), folderTail(QFileInfo(paths[i]).absolutePath(), depth, &whole));
                }
                break;
            }
        }
    }
    return out;
}

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
