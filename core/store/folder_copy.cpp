// copyFolder: list the tree, then copy each file in 1 MiB chunks, checking cancel and reporting bytes (see
// folder_copy.h).
#include "store/folder_copy.h"

#include <chrono>
#include <cstdio>
#include <fstream>
#include <vector>

namespace ts {

namespace fs = std::filesystem;

namespace {

struct Entry
{
    fs::path relative;
    fs::file_type type = fs::file_type::none;
    int64_t bytes = 0;
};

std::string megabytes(int64_t bytes)
{
    char text[32];
    std::snprintf(text, sizeof text, "%.1f", static_cast<double>(bytes) / (1024.0 * 1024.0));
    return text;
}

class CopyProgress
{
public:
    CopyProgress(ProgressSink& sink, std::string what, int64_t files, int64_t bytes)
        : m_sink(sink)
        , m_what(std::move(what))
        , m_files(files)
        , m_bytes(bytes)
    { }

    void add(int64_t bytes) { m_done += bytes; }
    void nextFile() { ++m_file; }
    void dropFile(int64_t bytes)
    {
        --m_files;
        m_bytes -= bytes;
    }
    // Reports when 100 ms have passed since the last report, or always when `force`.
    void report(bool force = false)
    {
        const auto now = std::chrono::steady_clock::now();
        if (!force && now - m_last < std::chrono::milliseconds(100))
            return;
        m_last = now;
        m_sink.report({m_done, m_bytes,
                       m_what + ": file " + std::to_string(m_file) + " of " + std::to_string(m_files) + ", "
                           + megabytes(m_done) + " of " + megabytes(m_bytes) + " MB"});
    }

private:
    ProgressSink& m_sink;
    std::string m_what;
    int64_t m_files;
    int64_t m_bytes;
    int64_t m_file = 0;
    int64_t m_done = 0;
    std::chrono::steady_clock::time_point m_last {};
};

Expected<std::vector<Entry>> listTree(const fs::path& source)
{
    std::vector<Entry> entries;
    std::error_code ec;
    fs::recursive_directory_iterator it(source, ec);
    if (ec)
        return makeError("cannot read " + source.string() + ": " + ec.message());
    for (; it != fs::recursive_directory_iterator(); it.increment(ec)) {
        if (ec)
            return makeError("cannot read " + source.string() + ": " + ec.message());
        Entry entry;
        entry.relative = it->path().lexically_relative(source);
        entry.type = it->symlink_status(ec).type();
        if (entry.type == fs::file_type::directory && it->path().extension() == ".partial") {
            it.disable_recursion_pending(); // a writer's work in progress (see folder_copy.h)
            continue;
        }
        if (entry.type == fs::file_type::regular) {
            const auto size = it->file_size(ec);
            entry.bytes = ec ? 0 : static_cast<int64_t>(size);
        }
        ec.clear();
        entries.push_back(std::move(entry));
    }
    if (ec)
        return makeError("cannot read " + source.string() + ": " + ec.message());
    return entries;
}

// Copies one file in chunks. Returns false in `vanished` (and ok) when the source is gone.
Status copyFile(const fs::path& from, const fs::path& to, const CancelToken& cancel, CopyProgress& progress,
                bool& vanished)
{
    vanished = false;
    std::ifstream in(from, std::ios::binary);
    if (!in) {
        std::error_code ec;
        if (!fs::exists(from, ec)) {
            vanished = true;
            return {};
        }
        return makeError("cannot read " + from.string());
    }
    std::ofstream out(to, std::ios::binary | std::ios::trunc);
    if (!out)
        return makeError("cannot write " + to.string());
    std::vector<char> buffer(size_t(1) << 20);
    while (in) {
        if (cancel.stopRequested())
            return cancelledError();
        in.read(buffer.data(), static_cast<std::streamsize>(buffer.size()));
        const std::streamsize got = in.gcount();
        if (got > 0) {
            out.write(buffer.data(), got);
            if (!out)
                return makeError("cannot write " + to.string() + " (is the disk full?)");
            progress.add(got);
            progress.report();
        }
    }
    if (in.bad())
        return makeError("cannot read " + from.string());
    out.close();
    if (!out)
        return makeError("cannot write " + to.string() + " (is the disk full?)");
    return {};
}

Status copyEntries(const fs::path& source, const fs::path& target, const std::vector<Entry>& entries,
                   const CancelToken& cancel, CopyProgress& progress)
{
    std::error_code ec;
    for (const Entry& entry : entries) {
        if (cancel.stopRequested())
            return cancelledError();
        const fs::path from = source / entry.relative;
        const fs::path to = target / entry.relative;
        switch (entry.type) {
        case fs::file_type::directory:
            fs::create_directories(to, ec);
            if (ec)
                return makeError("cannot create " + to.string() + ": " + ec.message());
            break;
        case fs::file_type::symlink:
            fs::copy_symlink(from, to, ec);
            if (ec && fs::exists(fs::symlink_status(from)))
                return makeError("cannot copy " + from.string() + ": " + ec.message());
            ec.clear();
            break;
        case fs::file_type::regular: {
            progress.nextFile();
            bool vanished = false;
            if (auto st = copyFile(from, to, cancel, progress, vanished); !st)
                return st;
            if (vanished)
                progress.dropFile(entry.bytes);
            break;
        }
        default: // sockets, fifos: nothing a project keeps
            break;
        }
    }
    return {};
}

} // namespace

Status copyFolder(const fs::path& source, const fs::path& target, const CancelToken& cancel, ProgressSink& progress,
                  const std::string& what)
{
    std::error_code ec;
    if (fs::exists(target, ec))
        return makeError("cannot copy to " + target.string() + ": it already exists");
    if (!fs::is_directory(source, ec))
        return {};
    auto entries = listTree(source);
    if (!entries)
        return entries.error();
    int64_t files = 0;
    int64_t bytes = 0;
    for (const Entry& entry : *entries)
        if (entry.type == fs::file_type::regular) {
            ++files;
            bytes += entry.bytes;
        }
    // Made here, so that a failure below removes only what this copy made.
    if (!fs::create_directories(target, ec) || ec)
        return makeError("cannot create " + target.string() + ": " + (ec ? ec.message() : "it already exists"));
    CopyProgress copyProgress(progress, what, files, bytes);
    copyProgress.report(true);
    Status done = copyEntries(source, target, *entries, cancel, copyProgress);
    if (!done) {
        fs::remove_all(target, ec);
        return done;
    }
    copyProgress.report(true);
    return {};
}

} // namespace ts
