// runInBackground: one piece of work on Tunesmith's work pool, its result handed to a callback on the GUI thread.
#pragma once

#include <algorithm>
#include <functional>
#include <memory>

#include <QFutureWatcher>
#include <QLoggingCategory>
#include <QObject>
#include <QPromise>
#include <QThread>
#include <QThreadPool>

namespace ts::ui {

// The pool background work runs on. Not Qt's global pool: Qt uses that one while painting (the raster engine
// splits some drawing across it and waits for it), so long file work there (an open, a copy, a load of a 1 GB
// project) held the GUI thread in a paint for more than a second.
inline QThreadPool& workPool()
{
    static QThreadPool* pool = [] {
        auto* p = new QThreadPool; // never destroyed: it may still be ending work while statics go away
        p->setMaxThreadCount(std::max(4, QThread::idealThreadCount()));
        return p;
    }();
    return *pool;
}

// Context-guarded (KeePassXC's runThenCallback): the watcher is a child of `context`, so when the context is
// deleted first the callback is not called; the work still runs to its end on the pool. `Result` must be
// copyable (a std::shared_ptr for anything large). The work must not touch QObjects. Work that throws is logged
// and `done` is not called: report expected failures in the Result instead.
template <typename Result>
void runInBackground(QObject* context, std::function<Result()> work, std::function<void(const Result&)> done)
{
    auto promise = std::make_shared<QPromise<Result>>();
    auto* watcher = new QFutureWatcher<Result>(context);
    QObject::connect(watcher, &QFutureWatcherBase::finished, context, [watcher, done = std::move(done)] {
        if (watcher->future().resultCount() > 0)
            done(watcher->future().result());
        watcher->deleteLater();
    });
    watcher->setFuture(promise->future());
    workPool().start([promise, work = std::move(work)] {
        promise->start();
        // An exception must not leave the pool thread (that ends the process with the user's work): it is
        // logged, and the callback is not called.
        try {
            promise->addResult(work());
        } catch (const std::exception& e) {
            qWarning("background task failed: %s", e.what());
        } catch (...) {
            qWarning("background task failed with an unknown exception");
        }
        promise->finish();
    });
}

} // namespace ts::ui
