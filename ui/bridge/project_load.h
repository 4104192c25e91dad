// ProjectLoad: the reads a page needs to show a project, run on Qt's thread pool on a read-only connection of their
// own, their result applied on the GUI thread. A later start() (another project, none, or a newer reload) or
// cancel() drops what an earlier one still has in flight: results for a project closed meanwhile are never applied.
#pragma once

#include <filesystem>
#include <functional>
#include <memory>
#include <utility>

#include <QObject>

#include "bridge/background_task.h"
#include "common/expected.h"
#include "store/database.h"

namespace ts::ui {

class ProjectLoad
{
public:
    // `context` owns this load (it is a member of it); when the context is deleted first nothing is applied.
    explicit ProjectLoad(QObject* context)
        : m_context(context)
    { }

    // True from start() until its result is applied (or it is cancelled).
    bool isLoading() const { return m_loading; }
    // Drops the load in flight, if any.
    void cancel()
    {
        ++m_generation;
        m_loading = false;
    }

    // `read` runs on a pool thread with a read-only connection to `file` (it must not touch QObjects); `apply` runs
    // on the GUI thread with what it returned, or with the error that kept the connection from opening. `read` may
    // move the connection into its result, to be used by the GUI thread afterwards.
    template <typename Result>
    void start(std::filesystem::path file, std::function<ts::Expected<Result>(ts::Database& reader)> read,
               std::function<void(ts::Expected<Result>& result)> apply)
    {
        const quint64 generation = ++m_generation;
        m_loading = true;
        using Shared = std::shared_ptr<ts::Expected<Result>>;
        runInBackground<Shared>(
            m_context,
            [file = std::move(file), read = std::move(read)]() -> Shared {
                // A read that throws still ends the load (with its message), so the page leaves its loading state.
                try {
                    auto reader = ts::Database::open(file, ts::Database::Mode::ReadOnly);
                    if (!reader)
                        return std::make_shared<ts::Expected<Result>>(reader.error());
                    return std::make_shared<ts::Expected<Result>>(read(*reader));
                } catch (const std::exception& e) {
                    return std::make_shared<ts::Expected<Result>>(ts::Error {e.what()});
                }
            },
            [this, generation, apply = std::move(apply)](const Shared& result) {
                if (generation != m_generation)
                    return;
                m_loading = false;
                apply(*result);
            });
    }

private:
    QObject* m_context;
    quint64 m_generation = 0;
    bool m_loading = false;
};

} // namespace ts::ui
