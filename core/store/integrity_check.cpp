// checkIntegrity: PRAGMA quick_check / integrity_check under a SqliteProgress watch.
#include "store/integrity_check.h"

#include "store/sqlite_progress.h"

namespace ts {

namespace {

constexpr size_t kProblemsInSummary = 5;

} // namespace

std::string IntegrityReport::summary() const
{
    if (ok())
        return file + " passed the integrity check.";
    std::string text = file + " is damaged (" + std::to_string(problems.size())
        + (problems.size() >= static_cast<size_t>(kMaxIntegrityProblems) ? " or more" : "") + " problem"
        + (problems.size() == 1 ? "" : "s") + " found by SQLite's integrity check):";
    for (size_t i = 0; i < problems.size() && i < kProblemsInSummary; ++i)
        text += "\n" + problems[i];
    if (problems.size() > kProblemsInSummary)
        text += "\n…";
    return text;
}

Expected<IntegrityReport> checkIntegrity(Database& db, IntegrityDepth depth, const CancelToken& cancel,
                                         ProgressSink& progress)
{
    IntegrityReport report;
    report.file = db.path().string();
    const std::string pragma = depth == IntegrityDepth::Quick ? "quick_check" : "integrity_check";
    auto stmt = db.prepare("PRAGMA " + pragma + "(" + std::to_string(kMaxIntegrityProblems) + ")");
    if (!stmt)
        return stmt.error();
    std::vector<std::string> lines;
    Status done;
    {
        SqliteProgress watch(db, cancel, progress,
                             depth == IntegrityDepth::Quick
                                 ? "Checking " + db.path().filename().string()
                                 : "Checking the integrity of " + db.path().filename().string());
        if (cancel.stopRequested())
            return cancelledError();
        done = stmt->forEachRow([&](const Statement& s) { lines.push_back(s.columnText(0)); });
        if (!done)
            return watch.explain(done.error());
    }
    if (!(lines.size() == 1 && lines[0] == "ok"))
        report.problems = lines.empty() ? std::vector<std::string> {"the check returned no result"} : lines;
    return report;
}

} // namespace ts
