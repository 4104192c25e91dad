// Benchmark: importing and opening a 100,000-example project.
// Reference: raw SQLite (one prepared INSERT in one transaction, no parsing or validation)
// for the import, and a bare `SELECT count(*)` for the open. Prints figures and ratios.
#include <chrono>
#include <cstdio>
#include <filesystem>
#include <fstream>

#include <nlohmann/json.hpp>

#include "data/import_job.h"
#include "jobs/job_runner.h"
#include "store/example_repository.h"
#include "store/project.h"

using namespace ts;
using Clock = std::chrono::steady_clock;

namespace {

double secondsSince(Clock::time_point start)
{
    return std::chrono::duration<double>(Clock::now() - start).count();
}

std::string claim(int i)
{
    return "Claim " + std::to_string(i) + ": rear-ended at the junction of Elm St and 5th on 2025-03-"
        + std::to_string(1 + i % 28) + ", policy AUT-" + std::to_string(10000 + i)
        + ". Bumper and tail light damaged, estimate $" + std::to_string(500 + i % 4000)
        + ". No injuries, police report filed.";
}

std::string answer(int i)
{
    return "{\"policy_number\":\"AUT-" + std::to_string(10000 + i) + "\",\"incident_type\":\"rear_end_collision\"}";
}

void die(const std::string& message)
{
    std::fprintf(stderr, "bench: %s\n", message.c_str());
    std::exit(1);
}

} // namespace

int main(int argc, char** argv)
{
    const int rows = argc > 1 ? std::atoi(argv[1]) : 100000;
    const auto dir = std::filesystem::temp_directory_path() / "tunesmith-bench-store";
    std::filesystem::remove_all(dir);
    std::filesystem::create_directories(dir);
    const auto jsonl = dir / "rows.jsonl";
    {
        std::ofstream out(jsonl);
        for (int i = 0; i < rows; ++i) {
            nlohmann::json row
                = {{"messages",
                    {{{"role", "user"}, {"content", claim(i)}}, {{"role", "assistant"}, {"content", answer(i)}}}},
                   {"split", i % 5 == 0 ? "eval" : "train"},
                   {"tags", {"auto"}}};
            out << row.dump() << '\n';
        }
    }
    std::printf("rows: %d (%.1f MB of OpenAI chat JSONL)\n", rows, std::filesystem::file_size(jsonl) / 1e6);

    // Reference: raw SQLite bulk insert of the same rows into the same schema.
    double reference = 0;
    {
        auto project = Project::create(dir / "reference.tunesmith");
        if (!project)
            die(project.error().message);
        auto start = Clock::now();
        auto tx = Transaction::begin((*project)->writer());
        auto stmt = (*project)->writer().prepare(
            "INSERT INTO examples (messages, input_text, output_text, split, tags, "
            "source, created_at, updated_at) VALUES (?1, ?2, ?3, ?4, '[\"auto\"]', 'imported', 0, 0)");
        if (!tx || !stmt)
            die("reference setup failed");
        for (int i = 0; i < rows; ++i) {
            const std::vector<Message> messages = {{"user", claim(i)}, {"assistant", answer(i)}};
            stmt->reset();
            stmt->bind(1, messagesToJson(messages))
                .bind(2, claim(i))
                .bind(3, answer(i))
                .bind(4, i % 5 == 0 ? "eval" : "train");
            if (!stmt->run())
                die("reference insert failed");
        }
        if (!tx->commit())
            die("reference commit failed");
        reference = secondsSince(start);
    }

    const auto path = dir / "bench.tunesmith";
    double importSeconds = 0;
    {
        auto project = Project::create(path);
        if (!project)
            die(project.error().message);
        ImportJob job(**project, {.file = jsonl, .format = DataFormat::OpenAiJsonl});
        NullProgress progress;
        auto start = Clock::now();
        auto status = JobRunner::runHere(job, CancelToken(), progress);
        importSeconds = secondsSince(start);
        if (!status)
            die(status.error().message);
    }
    std::printf("import (parse + validate + insert, one transaction): %.2f s  (%.0f rows/s)\n", importSeconds,
                rows / importSeconds);
    std::printf("reference raw SQLite insert of the same rows:         %.2f s  -> ratio %.2fx\n", reference,
                importSeconds / reference);

    // Opening as the GUI does: open + integrity check + all ids in display order + first page of rows.
    double openSeconds = 0, countSeconds = 0;
    {
        auto start = Clock::now();
        auto project = Project::open(path);
        if (!project)
            die(project.error().message);
        auto reader = (*project)->openReader();
        ExampleRepository repo(*reader);
        auto ids = repo.queryIds({});
        if (!ids || ids->size() != static_cast<size_t>(rows))
            die("wrong row count after open");
        std::vector<int64_t> page(ids->begin(), ids->begin() + std::min<size_t>(256, ids->size()));
        auto first = repo.getMany(page);
        if (!first)
            die(first.error().message);
        openSeconds = secondsSince(start);

        start = Clock::now();
        (void)(*project)->writer().queryInt("SELECT count(*) FROM examples");
        countSeconds = secondsSince(start);

        start = Clock::now();
        ExampleQuery search;
        search.text = "AUT-10999";
        auto hits = repo.queryIds(search);
        std::printf("search \"AUT-10999\" over %d rows: %.1f ms (%zu hits)\n", rows, secondsSince(start) * 1e3,
                    hits->size());
    }
    std::printf("open (integrity check + ids + first page): %.3f s\n", openSeconds);
    std::printf("reference SELECT count(*):                 %.3f s  -> ratio %.1fx\n", countSeconds,
                openSeconds / std::max(countSeconds, 1e-6));
    std::printf("project file size: %.1f MB\n", std::filesystem::file_size(path) / 1e6);
    std::filesystem::remove_all(dir);
    return 0;
}
