// runInBackground: one piece of work on Qt's global thread pool, its result handed to a callback on the GUI thread.
#pragma once

#include <functional>
#include <memory>

#include <QFutureWatcher>
#include <QLoggingCategory>
#include <QObject>
#include <QPromise>
#include <QThreadPool>

namespace ts::ui {

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
    QThreadPool::globalInstance()->start([promise, work = std::move(work)] {
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
