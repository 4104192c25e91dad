// A/B test run overhead: cells per second through the whole pipeline — render, request, parse,
// score, store in the project file — with a provider that answers instantly, at concurrency 1 and
// 16. Providers: an OpenAI-compatible server on loopback (a canned completion: the
// HTTP client, retry layer and JSON parsing included), an in-process provider (the pipeline
// without HTTP), and the loopback server answering after 20 ms (what concurrency buys against a
// model with latency). No external reference: the figures are the overhead Tunesmith adds to
// every call, to compare with the latency of real models (hundreds of ms).
//   tunesmith-bench-ab [--examples N] [--work DIR]
#include <chrono>
#include <cstdio>
#include <filesystem>
#include <string>
#include <thread>

#include <nlohmann/json.hpp>

#include "fault_http_server.h" // tests/core: the loopback HTTP peer of the provider tests
#include "promptlab/ab_test_job.h"
#include "promptlab/prompt_repository.h"
#include "store/example_repository.h"
#include "store/project.h"

namespace fs = std::filesystem;
using json = nlohmann::json;

namespace {

class InstantProvider final : public ts::llm::Provider
{
public:
    explicit InstantProvider(int delayMs = 0)
        : m_delayMs(delayMs)
    { }
    std::string describe() const override { return "instant"; }
    ts::llm::ChatOutcome chat(const std::vector<ts::llm::ChatMessage>& messages, const ts::llm::ChatParams&,
                              const ts::CancelToken&, const ts::llm::DeltaCallback&) override
    {
        if (m_delayMs)
            std::this_thread::sleep_for(std::chrono::milliseconds(m_delayMs));
        ts::llm::ChatResult r;
        r.text = messages.back().content.size() % 2 ? "yes" : "no";
        r.usage = {static_cast<int64_t>(messages.back().content.size() / 4), 1};
        return r;
    }

private:
    int m_delayMs = 0;
};

double runOnce(const fs::path& file, int examples, int concurrency, const std::string& endpoint,
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
    for (int i = 0; i < examples; ++i) {
        ts::Example e;
        e.split = ts::Split::Eval;
        e.messages = {{"user", "Is claim " + std::to_string(i) + " covered under the policy terms?"},
                      {"assistant", i % 2 ? "yes" : "no"}};
        (void)repo.insert(e);
    }
    ts::Endpoint ep;
    ep.name = endpoint;
    ep.provider.kind = ts::llm::ProviderKind::OpenAiCompatible;
    ep.provider.baseUrl = endpoint;
    ep.provider.model = "bench";
    ep.provider.maxConcurrency = 64;
    ep.price = ts::llm::ModelPrice {0.15, 0.6};
    (void)ts::EndpointRepository((*project)->writer()).save(ep);
    ts::promptlab::PromptVariant a;
    a.role = "You answer yes or no.";
    a.endpoint = endpoint;
    ts::promptlab::PromptVariant b = a;
    b.constraints = {"One word."};
    (void)ts::PromptRepository((*project)->writer()).save("A", a);
    (void)ts::PromptRepository((*project)->writer()).save("B", b);

    ts::AbTestParams params;
    params.project = project->get();
    params.config.variants = {"A", "B"};
    params.config.concurrency = concurrency;
    params.providers = factory;
    ts::AbTestJob job(params);
    ts::NullProgress progress;
    const auto start = std::chrono::steady_clock::now();
    auto st = job.run({}, progress);
    const double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    if (!st || job.result().done != 2 * examples) {
        std::fprintf(stderr, "run failed: %s\n", st ? "missing cells" : st.error().message.c_str());
        std::exit(1);
    }
    return static_cast<double>(job.result().done) / seconds;
}

} // namespace

int main(int argc, char** argv)
{
    int examples = 500;
    fs::path work = fs::temp_directory_path() / "tunesmith-bench-ab";
    for (int i = 1; i + 1 < argc; i += 2) {
        const std::string a = argv[i];
        if (a == "--examples")
            examples = std::stoi(argv[i + 1]);
        else if (a == "--work")
            work = argv[i + 1];
    }
    fs::create_directories(work);

    // The OpenAI-compatible peers on loopback: a thread per connection, a canned completion, at
    // once or after 20 ms. (Debian's cpp-httplib 0.11 server topped out at ~130 calls/s with 16
    // concurrent 20 ms requests here, below the client; this one serves ~600.)
    const std::string body
        = json {{"id", "c"},
                {"object", "chat.completion"},
                {"choices",
                 {{{"index", 0}, {"message", {{"role", "assistant"}, {"content", "yes"}}}, {"finish_reason", "stop"}}}},
                {"usage", {{"prompt_tokens", 20}, {"completion_tokens", 1}, {"total_tokens", 21}}}}
              .dump();
    tstest::FaultHttpServer instantPeer, slowPeer;
    instantPeer.setFallback(tstest::ScriptedResponse::json(200, body));
    slowPeer.setFallback(tstest::ScriptedResponse::json(200, body).delay(std::chrono::milliseconds(20)));
    const std::string url = instantPeer.baseUrl() + "/v1";
    const std::string slowUrl = slowPeer.baseUrl() + "/v1";

    const ts::ProviderFactory http = ts::makeDefaultProviderFactory();
    const auto inProcessFactory = [](int delayMs) -> ts::ProviderFactory {
        auto provider = std::make_shared<InstantProvider>(delayMs);
        return [provider](const ts::Endpoint&) -> ts::Expected<std::shared_ptr<ts::llm::Provider>> {
            return std::shared_ptr<ts::llm::Provider>(provider);
        };
    };
    const ts::ProviderFactory inProcess = inProcessFactory(0);

    std::printf("A/B test pipeline overhead: %d examples x 2 variants, default scorers (4), one project file\n",
                examples);
    std::printf("%-28s %12s %12s %8s\n", "provider", "c=1 cells/s", "c=16 cells/s", "c16/c1");
    for (const auto& [name, factory, endpoint, n] :
         std::vector<std::tuple<std::string, ts::ProviderFactory, std::string, int>> {
             {"HTTP loopback (instant)", http, url, examples},
             {"in-process (instant)", inProcess, url, examples},
             {"HTTP loopback (20 ms)", http, slowUrl, std::min(examples, 100)},
             {"in-process (20 ms)", inProcessFactory(20), url, std::min(examples, 100)}}) {
        const double c1 = runOnce(work / "bench.tunesmith", n, 1, endpoint, factory);
        const double c16 = runOnce(work / "bench.tunesmith", n, 16, endpoint, factory);
        std::printf("%-28s %12.0f %12.0f %7.2fx\n", name.c_str(), c1, c16, c16 / c1);
    }
    std::printf("(each cell: render, request, parse, 4 scorers, one SQLite transaction; c = concurrency)\n");
    return 0;
}
