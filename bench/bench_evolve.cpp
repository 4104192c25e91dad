// Evol-Instruct pipeline overhead: rows per second through the whole evolve job — the rewrite and answer calls,
// the elimination rules, storing each row, dedupe after each round, the judge call and its update — with a teacher
// that answers instantly, at concurrency 1 and 32. Teachers: an OpenAI-compatible server on loopback (the HTTP
// client, retry layer and JSON parsing included) and an in-process provider (the pipeline without HTTP). No external
// reference: the figures are what Tunesmith adds per row, to set against the seconds a real teacher takes per call.
//   tunesmith-bench-evolve [--rows N] [--work DIR]
#include <atomic>
#include <chrono>
#include <cstdio>
#include <filesystem>
#include <string>

#include <nlohmann/json.hpp>

#include "fault_http_server.h" // tests/core: the loopback HTTP peer of the provider tests
#include "instruction_text_generator.h" // tests/core: seeded plausible instructions
#include "store/example_repository.h"
#include "store/project.h"
#include "synth/evolve_job.h"

namespace fs = std::filesystem;
using json = nlohmann::json;

namespace {

// What the teacher says to a prompt (the rewrite, the answer, the judge): distinct instructions, a fixed answer.
std::string teacherReply(const std::string& prompt, std::atomic<uint64_t>& counter)
{
    if (prompt.find("You rewrite instructions") != std::string::npos)
        return tstest::InstructionTextGenerator(counter.fetch_add(1)).text(60, 220);
    if (prompt.find("Rating: [[5]]") != std::string::npos)
        return "Clear and correct. Rating: [[8]]";
    return "Collect the photographs and receipts, then call the claims line with the policy number.";
}

class InstantTeacher final : public ts::llm::Provider
{
public:
    std::string describe() const override { return "instant teacher"; }
    ts::llm::ChatOutcome chat(const std::vector<ts::llm::ChatMessage>& messages, const ts::llm::ChatParams&,
                              const ts::CancelToken&, const ts::llm::DeltaCallback&) override
    {
        std::string prompt;
        for (const auto& m : messages)
            prompt += m.content;
        ts::llm::ChatResult r;
        r.text = teacherReply(prompt, m_counter);
        r.usage = {static_cast<int64_t>(prompt.size() / 4), static_cast<int64_t>(r.text.size() / 4)};
        return r;
    }

private:
    std::atomic<uint64_t> m_counter {1};
};

double runOnce(const fs::path& file, int64_t rows, int concurrency, const std::string& url,
               const ts::ProviderFactory& factory)
{
    fs::remove(file);
    fs::remove(file.string() + "-wal");
    fs::remove(file.string() + "-shm");
    auto project = ts::Project::create(file);
    if (!project) {
        std::fprintf(stderr, "%s\n", project.error().message.c_str());
        std::exit(1);
    }
    ts::ExampleRepository repo((*project)->writer());
    for (int i = 0; i < 50; ++i) {
        ts::Example e;
        e.messages = {{"user", tstest::InstructionTextGenerator(1000000 + uint64_t(i)).text(60, 200)},
                      {"assistant", "File the claim online with photographs."}};
        (void)repo.insert(e);
    }
    for (int i = 0; i < 20; ++i) {
        ts::Example e;
        e.split = ts::Split::Test;
        e.messages
            = {{"user", tstest::InstructionTextGenerator(2000000 + uint64_t(i)).text(60, 200)}, {"assistant", "x"}};
        (void)repo.insert(e);
    }
    ts::Endpoint ep;
    ep.name = "teacher";
    ep.provider.kind = ts::llm::ProviderKind::OpenAiCompatible;
    ep.provider.baseUrl = url;
    ep.provider.model = "bench";
    ep.provider.maxConcurrency = 64;
    ep.price = ts::llm::ModelPrice {0.15, 0.6};
    (void)ts::EndpointRepository((*project)->writer()).save(ep);

    ts::synth::EvolveParams params;
    params.project = project->get();
    params.config.teacherEndpoint = "teacher";
    params.config.rounds = 2;
    params.config.targetCount = rows;
    params.config.keepRate = 1;
    params.config.concurrency = concurrency;
    params.providers = factory;
    ts::synth::EvolveJob job(params);
    ts::NullProgress progress;
    const auto start = std::chrono::steady_clock::now();
    auto st = job.run({}, progress);
    const double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    if (!st || job.result().generated != rows) {
        std::fprintf(stderr, "run failed: %s\n", st ? "missing rows" : st.error().message.c_str());
        std::exit(1);
    }
    return static_cast<double>(rows) / seconds;
}

} // namespace

int main(int argc, char** argv)
{
    int64_t rows = 2000;
    fs::path work = fs::temp_directory_path() / "tunesmith-bench-evolve";
    for (int i = 1; i + 1 < argc; i += 2) {
        const std::string a = argv[i];
        if (a == "--rows")
            rows = std::stoll(argv[i + 1]);
        else if (a == "--work")
            work = argv[i + 1];
    }
    fs::create_directories(work);

    std::atomic<uint64_t> httpCounter {1};
    tstest::FaultHttpServer peer;
    peer.setResponder([&](const tstest::RecordedRequest& request) -> std::optional<tstest::ScriptedResponse> {
        const json body = json::parse(request.body, nullptr, false);
        std::string prompt;
        if (body.is_object() && body.contains("messages"))
            for (const auto& m : body["messages"])
                prompt += m.value("content", "");
        const std::string text = teacherReply(prompt, httpCounter);
        const json reply
            = {{"id", "c"},
               {"object", "chat.completion"},
               {"choices",
                {{{"index", 0}, {"message", {{"role", "assistant"}, {"content", text}}}, {"finish_reason", "stop"}}}},
               {"usage", {{"prompt_tokens", prompt.size() / 4}, {"completion_tokens", text.size() / 4}}}};
        return tstest::ScriptedResponse::json(200, reply.dump());
    });
    const std::string url = peer.baseUrl() + "/v1";
    const ts::ProviderFactory http = ts::makeDefaultProviderFactory();
    auto instant = std::make_shared<InstantTeacher>();
    const ts::ProviderFactory inProcess
        = [instant](const ts::Endpoint&) -> ts::Expected<std::shared_ptr<ts::llm::Provider>> {
        return std::shared_ptr<ts::llm::Provider>(instant);
    };

    std::printf("Evol-Instruct pipeline overhead: %lld rows in 2 rounds from 50 seeds (3 calls a row: rewrite, answer, "
                "judge), dedupe against each other and 20 test rows, one project file\n",
                static_cast<long long>(rows));
    std::printf("%-28s %12s %12s %8s\n", "teacher", "c=1 rows/s", "c=32 rows/s", "c32/c1");
    for (const auto& [name, factory] : std::vector<std::pair<std::string, ts::ProviderFactory>> {
             {"HTTP loopback (instant)", http}, {"in-process (instant)", inProcess}}) {
        const double c1 = runOnce(work / "bench.tunesmith", rows, 1, url, factory);
        const double c32 = runOnce(work / "bench.tunesmith", rows, 32, url, factory);
        std::printf("%-28s %12.0f %12.0f %7.2fx\n", name.c_str(), c1, c32, c32 / c1);
    }
    std::printf(
        "(each row: 3 calls, the text rules, one insert and two updates in the project file; c = concurrency)\n");
    return 0;
}
