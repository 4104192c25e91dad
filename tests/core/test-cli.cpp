// tunesmith-cli end to end: real processes, real files, JSON on stdout, exit codes.
#include <fstream>

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "cli_test_support.h"
#include "store/schema.h"
#include "test_support.h"

namespace {

struct CliResult
{
    int exitCode = -1;
    nlohmann::json json; // the last JSON line of stdout (discarded when there is none)
};

CliResult runCli(const std::string& args)
{
    auto out = tstest::runCli(args);
    return {out.exitCode, out.lines.empty() ? nlohmann::json(nlohmann::json::value_t::discarded) : out.lines.back()};
}

using tstest::quoted;

} // namespace

TEST(Cli, CreateImportInfoExportOnTheDemoData)
{
    tstest::TempDir dir;
    const auto project = dir / "demo.tunesmith";
    const auto demo = std::filesystem::path(TUNESMITH_SOURCE_DIR) / "resources/demo/claims.jsonl";

    auto created = runCli("create " + quoted(project));
    ASSERT_EQ(created.exitCode, 0);
    EXPECT_EQ(created.json["schema_version"], ts::kSchemaVersion);
    EXPECT_EQ(runCli("create " + quoted(project)).exitCode, 1); // exists already

    auto imported = runCli("import " + quoted(project) + " " + quoted(demo));
    ASSERT_EQ(imported.exitCode, 0) << imported.json.dump();
    EXPECT_GE(imported.json["imported"].get<int>(), 50);
    EXPECT_EQ(imported.json["skipped"], 0);

    auto info = runCli("info " + quoted(project));
    ASSERT_EQ(info.exitCode, 0);
    EXPECT_EQ(info.json["examples"], imported.json["imported"]);
    EXPECT_GT(info.json["splits"]["train"].get<int>(), 0);
    EXPECT_GT(info.json["splits"]["eval"].get<int>(), 0);
    EXPECT_GT(info.json["splits"]["test"].get<int>(), 0);

    auto exported = runCli("export " + quoted(project) + " " + quoted(dir / "eval.jsonl") + " --split eval");
    ASSERT_EQ(exported.exitCode, 0);
    EXPECT_EQ(exported.json["exported"], info.json["splits"]["eval"]);
    std::ifstream in(dir / "eval.jsonl");
    size_t lines = 0;
    for (std::string line; std::getline(in, line);)
        lines += nlohmann::json::parse(line)["split"] == "eval";
    EXPECT_EQ(lines, exported.json["exported"].get<size_t>());
}

TEST(Cli, RefusedImportReportsProblemsAndExitsTwo)
{
    tstest::TempDir dir;
    const auto project = dir / "p.tunesmith";
    ASSERT_EQ(runCli("create " + quoted(project)).exitCode, 0);
    const auto bad = dir / "bad.jsonl";
    std::ofstream(bad) << R"({"messages":[{"role":"user","content":"q"},{"role":"assistant","content":"a"}]})"
                       << "\n"
                       << R"({"messages":[{"role":"robot","content":"q"}]})"
                       << "\n";
    auto result = runCli("import " + quoted(project) + " " + quoted(bad));
    EXPECT_EQ(result.exitCode, 2);
    ASSERT_TRUE(result.json.contains("problems"));
    ASSERT_FALSE(result.json["problems"].empty());
    EXPECT_EQ(result.json["problems"][0]["line"], 2);
    EXPECT_EQ(runCli("info " + quoted(project)).json["examples"], 0);

    auto lenient = runCli("import " + quoted(project) + " " + quoted(bad) + " --skip-invalid");
    EXPECT_EQ(lenient.exitCode, 0);
    EXPECT_EQ(lenient.json["imported"], 1);
    EXPECT_EQ(lenient.json["skipped"], 1);

    EXPECT_EQ(runCli("import " + quoted(project) + " " + quoted(bad) + " --format nonsense").exitCode, 2);
    EXPECT_EQ(runCli("frobnicate").exitCode, 2);
    auto missing = runCli("info " + quoted(dir / "missing.tunesmith"));
    EXPECT_EQ(missing.exitCode, 1);
    EXPECT_NE(missing.json["error"].get<std::string>().find("missing.tunesmith"), std::string::npos);
}

TEST(Cli, MetaSetsAndReadsAProjectSetting)
{
    tstest::TempDir dir;
    const auto project = dir / "m.tunesmith";
    ASSERT_EQ(runCli("create " + quoted(project)).exitCode, 0);
    auto set = runCli("meta " + quoted(project) + " training.model_dir /models/demo");
    ASSERT_EQ(set.exitCode, 0);
    EXPECT_EQ(set.json["value"], "/models/demo");
    auto get = runCli("meta " + quoted(project) + " training.model_dir");
    EXPECT_EQ(get.json["value"], "/models/demo");
    EXPECT_EQ(runCli("meta " + quoted(project)).exitCode, 2);
}

TEST(Cli, PromptHistoryListsEveryVersionWithItsChangedLines)
{
    tstest::TempDir dir;
    const auto project = dir / "p.tunesmith";
    ASSERT_EQ(runCli("create " + quoted(project)).exitCode, 0);
    const std::string prompt = "prompt " + quoted(project);
    ASSERT_EQ(runCli(prompt + " set --name A --instructions " + quoted("Label the claim.")).exitCode, 0);
    ASSERT_EQ(runCli(prompt + " set --name A --instructions " + quoted("Label the claim in one word.")).exitCode, 0);

    auto history = runCli(prompt + " history --name A");
    ASSERT_EQ(history.exitCode, 0) << history.json.dump();
    ASSERT_TRUE(history.json.is_array()) << history.json.dump();
    ASSERT_EQ(history.json.size(), 2u);
    EXPECT_EQ(history.json[0]["version"], 1);
    EXPECT_GT(history.json[0]["created_at"].get<int64_t>(), 0);
    EXPECT_EQ(history.json[1]["version"], 2);
    EXPECT_EQ(history.json[1]["lines_added"], 1); // the instructions line
    EXPECT_EQ(history.json[1]["lines_removed"], 1);
    EXPECT_EQ(runCli(prompt + " history --name missing").exitCode, 1);
}
