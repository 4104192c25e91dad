// Training benchmark (issue 4): tokens/s and peak RSS of a LoRA training step through TrainJob on a
// ~31.6M-parameter Llama-shaped random model, against the same LoRA setup written directly in PyTorch
// (bench/bench_train_reference.py on Debian's python3-torch), same threads, sequence length and batch.
//
//   model     hidden 512, 8 layers, 8 heads, 4 KV heads (head_dim 64), intermediate 1376, vocab 8192
//             (a real byte-level BPE tokenizer.json with ChatML specials, ids 0..258, and the
//             embedding / lm_head padded to 8192 rows as HF checkpoints often are), fp32, untied
//   data      64 single-turn ChatML examples rendered and truncated to exactly --seq tokens, so every
//             micro-batch is --batch × --seq with no padding; only the assistant span is learned
//   training  LoRA r 16, alpha 32, dropout 0.05 on q, k, v, o, gate, up, down; AdamW lr 2e-4,
//             grad clipping 0.3, grad accumulation 1; gradient checkpointing off (--checkpointing adds
//             rows with it on); no eval, no intermediate checkpoints
//   variants  tunesmith-dense (frozen fp32 base), tunesmith-nf4 (QLoRA: NF4 base, double quant),
//             python-dense (the reference: PyTorch has no CPU NF4, so dense is the like-for-like row)
//   figures   tokens/s over the steps after --warmup (all tokens of a step, prompt included, over wall
//             time between step ends, optimizer and bookkeeping included); peak RSS = VmHWM of the
//             process that ran that variant alone (each variant runs in its own process)
//
//   tunesmith-bench-train [--work DIR] [--steps N] [--warmup N] [--batch B] [--seq T] [--threads N]
//                         [--repeat R] [--checkpointing] [--python EXE] [--reference FILE] [--no-python]
//   tunesmith-bench-train --check   checks the fp32 kernels the training step runs on (attention
//                                   products, LoRA on dense and NF4 bases: values and gradients)
//                                   against the same computation in double through torch ops
// Internal: --variant dense|nf4 [--variant-checkpointing] [--profile TRACE.json] runs one variant in this
// process (the model and project must exist in --work) and prints one JSON line.
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <array>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <fstream>
#include <iostream>
#include <map>
#include <sstream>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>
#include <torch/csrc/autograd/profiler_legacy.h>

#include "engine/threads.h"
#include "lora/lora_linear.h"
#include "model/chat_template.h"
#include "model/tokenizer.h"
#include "model_maker/byte_tokenizer_writer.h"
#include "model_maker/random_model.h"
#include "store/example_repository.h"
#include "store/project.h"
#include "train/sft_dataset.h"
#include "train/sft_labels.h"
#include "train/train_forward.h"
#include "train/train_job.h"

#ifndef TUNESMITH_BENCH_DIR
#define TUNESMITH_BENCH_DIR "bench"
#endif

namespace {

namespace fs = std::filesystem;
using nlohmann::json;
using Clock = std::chrono::steady_clock;

struct Options
{
    fs::path work = "/tmp/tunesmith-bench-train";
    int steps = 8; // timed steps
    int warmup = 2; // untimed steps first
    int batch = 4;
    int seq = 256;
    int threads = 2;
    int repeat = 1;
    bool checkpointing = false; // also run the rows with gradient checkpointing on
    bool python = true;
    std::string pythonExe = "/usr/bin/python3"; // Debian's python3-torch lives under the system python
    fs::path reference = fs::path(TUNESMITH_BENCH_DIR) / "bench_train_reference.py";
    std::string variant; // child mode
    bool check = false;
    std::string profile; // child mode: write libtorch's op trace (chrome://tracing JSON) here
    bool variantCheckpointing = false;
};

// Model shape (kept in one place: the reference gets the same numbers on its command line).
constexpr int64_t kHidden = 512, kLayers = 8, kHeads = 8, kKvHeads = 4, kFfn = 1376, kVocab = 8192;
constexpr int kExamples = 64;
constexpr int kPromptChars = 16;

// ---------------------------------------------------------------------------------------------
// Set-up: model folder and project (in the parent process)

[[noreturn]] void die(const std::string& message)
{
    std::cerr << "tunesmith-bench-train: " << message << "\n";
    std::exit(1);
}

std::string randomText(uint64_t& state, int chars)
{
    std::string s;
    for (int i = 0; i < chars; ++i) {
        state = state * 6364136223846793005ull + 1442695040888963407ull;
        const int r = static_cast<int>((state >> 33) % 27);
        s.push_back(r == 26 ? ' ' : static_cast<char>('a' + r));
    }
    return s;
}

struct Prepared
{
    int64_t parameters = 0;
    int64_t promptTokens = 0; // leading tokens of each row that are not learned
};

Prepared prepare(const Options& o)
{
    const fs::path model = o.work / "model", project = o.work / "bench.tunesmith";
    fs::create_directories(o.work);
    if (auto r = ts::writeByteLevelChatTokenizer(o.work / "tokenizer"); !r)
        die(r.error().message);
    ts::RandomModelOptions m;
    m.arch = ts::ModelArch::Llama;
    m.hiddenSize = kHidden;
    m.numLayers = kLayers;
    m.numHeads = kHeads;
    m.numKvHeads = kKvHeads;
    m.intermediateSize = kFfn;
    m.vocabSize = kVocab;
    m.maxPositionEmbeddings = std::max(2048, o.seq);
    m.seed = 1;
    m.tokenizer = o.work / "tokenizer";
    auto info = ts::writeRandomModel(model, m);
    if (!info)
        die(info.error().message);

    // Examples: a short prompt and an answer long enough that every rendered conversation is
    // truncated to exactly `seq` tokens (the byte tokenizer has no merges: one token per byte).
    std::error_code ec;
    for (const char* suffix : {"", "-wal", "-shm"})
        fs::remove(project.string() + suffix, ec);
    fs::remove_all(o.work / "bench.tunesmith.assets", ec);
    auto p = ts::Project::create(project);
    if (!p)
        die(p.error().message);
    std::vector<ts::Example> examples;
    {
        ts::ExampleRepository repo((*p)->writer());
        uint64_t state = 12345;
        for (int i = 0; i < kExamples; ++i) {
            ts::Example e;
            e.setInput(randomText(state, kPromptChars));
            e.setOutput(randomText(state, o.seq + 16));
            e.split = ts::Split::Train;
            if (auto st = repo.insert(e); !st)
                die(st.error().message);
            examples.push_back(e);
        }
    }

    // Check the rows the trainer will see: all exactly `seq` tokens, the same learned span.
    auto tokenizer = ts::Tokenizer::loadFromPath(model);
    if (!tokenizer)
        die(tokenizer.error().message);
    auto files = ts::loadChatTemplateFiles(model);
    if (!files)
        die(files.error().message);
    auto chatTemplate = ts::ChatTemplate::parse(files->source);
    if (!chatTemplate)
        die(chatTemplate.error().message);
    ts::TrainConfig config;
    config.maxSeqLen = o.seq;
    auto data = ts::buildSftDataset(examples, *tokenizer, *chatTemplate, ts::sftDataOptions(config));
    if (!data)
        die(data.error().message);
    Prepared out;
    out.parameters = info->parameters;
    for (const auto& s : data->sequences) {
        const int64_t trained = s.trainedTokens();
        if (static_cast<int>(s.ids.size()) != o.seq)
            die("a training row has " + std::to_string(s.ids.size()) + " tokens, not " + std::to_string(o.seq));
        if (out.promptTokens && out.promptTokens != o.seq - trained)
            die("training rows differ in their learned span");
        out.promptTokens = o.seq - trained;
        // The learned tokens must be one block at the end (what the reference assumes).
        for (int64_t t = 0; t < o.seq; ++t)
            if ((s.labels[static_cast<size_t>(t)] != ts::kIgnoreLabel) != (t >= out.promptTokens))
                die("the learned span is not the tail of the row");
    }
    if (static_cast<int>(data->sequences.size()) != kExamples)
        die("some examples were dropped");
    return out;
}

// ---------------------------------------------------------------------------------------------
// One variant (child process)

double vmHwmMiB(const char* key = "VmHWM:")
{
    std::ifstream in("/proc/self/status");
    std::string line;
    while (std::getline(in, line))
        if (line.rfind(key, 0) == 0)
            return std::strtod(line.c_str() + std::strlen(key), nullptr) / 1024.0;
    return 0;
}

double loadAverage()
{
    double one = 0;
    std::ifstream("/proc/loadavg") >> one;
    return one;
}

int runVariant(const Options& o)
{
    auto project = ts::Project::open(o.work / "bench.tunesmith");
    if (!project)
        die(project.error().message);
    ts::TrainConfig c;
    c.quantizeBase = o.variant == "nf4";
    c.lora.r = 16;
    c.lora.alpha = 32;
    c.lora.dropout = 0.05;
    c.maxSeqLen = o.seq;
    c.overLong = ts::OverLongPolicy::Truncate;
    c.packing = false;
    c.microBatch = o.batch;
    c.gradAccum = 1;
    c.maxSteps = o.warmup + o.steps;
    c.learningRate = 2e-4;
    c.schedule = ts::LrSchedule::Constant;
    c.warmupRatio = 0;
    c.maxGradNorm = 0.3;
    c.gradientCheckpointing = o.variantCheckpointing;
    c.logEvery = 1;
    c.evalEvery = 0;
    c.checkpointEvery = 0;
    c.seed = 42;
    c.threads = o.threads;

    std::vector<double> stepEnds;
    std::vector<int64_t> tokensSeen;
    std::vector<double> losses;
    const auto start = Clock::now();
    ts::TrainJobParams params;
    params.project = project->get();
    params.modelDir = o.work / "model";
    params.config = c;
    params.runName = "bench-" + o.variant;
    params.onStep = [&](const ts::TrainStepLog& log) {
        stepEnds.push_back(std::chrono::duration<double>(Clock::now() - start).count());
        tokensSeen.push_back(log.tokensSeen);
        losses.push_back(log.loss);
    };
    ts::TrainJob job(params);
    ts::NullProgress progress;
    {
        std::unique_ptr<torch::autograd::profiler::RecordProfile> profiler;
        if (!o.profile.empty())
            profiler = std::make_unique<torch::autograd::profiler::RecordProfile>(o.profile);
        if (auto st = job.run({}, progress); !st)
            die(st.error().message);
    }
    if (static_cast<int>(stepEnds.size()) != o.warmup + o.steps)
        die("expected a log line per step");
    const size_t last = stepEnds.size() - 1, first = static_cast<size_t>(o.warmup) - 1;
    const double seconds = o.warmup > 0 ? stepEnds[last] - stepEnds[first] : stepEnds[last];
    const double tokens = static_cast<double>(o.warmup > 0 ? tokensSeen[last] - tokensSeen[first] : tokensSeen[last]);
    std::vector<double> stepSeconds;
    for (size_t i = 0; i < stepEnds.size(); ++i)
        stepSeconds.push_back(stepEnds[i] - (i ? stepEnds[i - 1] : 0.0));
    json out = {{"variant", "tunesmith-" + o.variant + (o.variantCheckpointing ? "-ckpt" : "")},
                {"threads", o.threads},
                {"tokens_per_s", tokens / seconds},
                {"step_seconds", stepSeconds},
                {"peak_rss_mib", vmHwmMiB()},
                {"rss_anon_mib", vmHwmMiB("RssAnon:")},
                {"rss_file_mib", vmHwmMiB("RssFile:")},
                {"loss_first", losses.front()},
                {"loss_last", losses.back()},
                {"loadavg", loadAverage()}};
    std::cout << out.dump() << std::endl;
    return 0;
}

// ---------------------------------------------------------------------------------------------
// --check: the fp32 kernel paths against torch ops in double

// max |a − b| / (max |b| + tiny)
double relativeError(const torch::Tensor& a, const torch::Tensor& b)
{
    auto bd = b.to(torch::kDouble);
    return (a.to(torch::kDouble) - bd).abs().max().item<double>() / (bd.abs().max().item<double>() + 1e-30);
}

bool report(const std::string& what, double error, double tolerance)
{
    const bool ok = error <= tolerance;
    std::printf("%-62s %10.2e %s\n", what.c_str(), error, ok ? "ok" : "FAILED");
    return ok;
}

int runChecks()
{
    torch::manual_seed(11);
    bool ok = true;
    // Attention: strided (B, T, heads, D) views as the layer produces them, GQA groups 1, 2, 8,
    // a causal mask with a packed-segment boundary, odd lengths.
    for (const auto& [H, KV, T, D] :
         std::vector<std::array<int64_t, 4>> {{8, 4, 37, 16}, {8, 8, 64, 64}, {8, 1, 29, 32}, {4, 2, 256, 64}}) {
        const int64_t B = 2;
        auto q = torch::randn({B, T, H, D}), k = torch::randn({B, T, KV, D}), v = torch::randn({B, T, KV, D});
        auto mask = torch::full({B, 1, T, T}, -1e30f);
        for (int64_t b = 0; b < B; ++b)
            for (int64_t i = 0; i < T; ++i)
                for (int64_t j = 0; j <= i; ++j)
                    if (b == 0 || (i < T / 2) == (j < T / 2))
                        mask[b][0][i][j] = 0.0f;
        auto g = torch::randn({B, H, T, D});
        const double scale = 1.0 / std::sqrt(static_cast<double>(D));
        auto run = [&](torch::ScalarType dtype, bool kernel) {
            // Leaves in (B, T, heads, D), passed as (B, heads, T, D) views.
            auto qq = q.to(dtype).clone().requires_grad_(true), kk = k.to(dtype).clone().requires_grad_(true),
                 vv = v.to(dtype).clone().requires_grad_(true);
            auto out = ts::train::attention(qq.transpose(1, 2), kk.transpose(1, 2), vv.transpose(1, 2), mask.to(dtype),
                                            scale, kernel);
            (out * g.to(dtype)).sum().backward();
            return std::vector<torch::Tensor> {out.detach(), qq.grad(), kk.grad(), vv.grad()};
        };
        const auto got = run(torch::kFloat, true), ref = run(torch::kDouble, false);
        const char* names[] = {"out", "dq", "dk", "dv"};
        for (size_t i = 0; i < got.size(); ++i)
            ok &= report("attention H " + std::to_string(H) + " KV " + std::to_string(KV) + " T " + std::to_string(T)
                             + " D " + std::to_string(D) + ": " + names[i],
                         relativeError(got[i], ref[i]), 1e-5);
    }
    // LoRA layers (dropout off) on a dense and an NF4 base: fp32 forward and gradients against the
    // double computation x Wᵀ + s · (x Aᵀ) Bᵀ through the (dequantized) weight.
    for (bool nf4 : {false, true}) {
        const int64_t in = 200, out = 136, rows = 300;
        ts::LoraConfig config;
        config.r = 16;
        config.alpha = 32;
        config.dropout = 0;
        auto W = torch::randn({out, in}) * 0.05;
        auto layer = nf4 ? ts::lora::LoraLinear(ts::engine::Nf4Weight::quantize(W, 64, true), {}, config, 3,
                                                std::make_shared<ts::engine::DequantBuffer>())
                         : ts::lora::LoraLinear(W, {}, config, 3);
        {
            torch::NoGradGuard noGrad;
            layer.loraB().copy_(torch::randn({out, config.r}) * 0.1);
        }
        auto x = torch::randn({rows, in}).requires_grad_(true);
        auto g = torch::randn({rows, out});
        auto y = layer.forward(x);
        (y * g).sum().backward();
        auto Wd = layer.baseWeight(torch::kDouble);
        auto A = layer.loraA().detach().to(torch::kDouble).requires_grad_(true);
        auto Bm = layer.loraB().detach().to(torch::kDouble).requires_grad_(true);
        auto xd = x.detach().to(torch::kDouble).requires_grad_(true);
        auto ref = at::matmul(xd, Wd.t()) + at::matmul(at::matmul(xd, A.t()), Bm.t()) * config.scaling();
        (ref * g.to(torch::kDouble)).sum().backward();
        const std::string base = nf4 ? "LoRA on NF4 base: " : "LoRA on dense base: ";
        ok &= report(base + "y", relativeError(y, ref), 1e-5);
        ok &= report(base + "dx", relativeError(x.grad(), xd.grad()), 1e-5);
        ok &= report(base + "dA", relativeError(layer.loraA().grad(), A.grad()), 1e-5);
        ok &= report(base + "dB", relativeError(layer.loraB().grad(), Bm.grad()), 1e-5);
    }
    std::printf("%s\n", ok ? "all checks passed" : "CHECKS FAILED");
    return ok ? 0 : 1;
}

// ---------------------------------------------------------------------------------------------
// Driver

std::string quote(const std::string& s)
{
    std::string q = "'";
    for (char ch : s)
        q += ch == '\'' ? std::string("'\\''") : std::string(1, ch);
    return q + "'";
}

// Runs a command, returns the last line of its stdout that parses as a JSON object.
json runChild(const std::string& command)
{
    std::cerr << "+ " << command << "\n";
    FILE* pipe = ::popen(command.c_str(), "r");
    if (!pipe)
        die("cannot run " + command);
    std::string output;
    char buffer[4096];
    size_t n;
    while ((n = std::fread(buffer, 1, sizeof buffer, pipe)) > 0)
        output.append(buffer, n);
    const int status = ::pclose(pipe);
    if (status != 0)
        die("failed (" + std::to_string(WEXITSTATUS(status)) + "): " + command);
    std::istringstream lines(output);
    std::string line;
    json result;
    while (std::getline(lines, line))
        if (!line.empty() && line.front() == '{')
            result = json::parse(line, nullptr, false);
    if (!result.is_object())
        die("no JSON result from: " + command);
    return result;
}

double median(std::vector<double> v)
{
    std::sort(v.begin(), v.end());
    const size_t n = v.size();
    return n % 2 ? v[n / 2] : 0.5 * (v[n / 2 - 1] + v[n / 2]);
}

Options parse(int argc, char** argv)
{
    Options o;
    auto value = [&](int& i) -> std::string {
        if (i + 1 >= argc)
            die(std::string(argv[i]) + " needs a value");
        return argv[++i];
    };
    for (int i = 1; i < argc; ++i) {
        const std::string a = argv[i];
        if (a == "--work")
            o.work = value(i);
        else if (a == "--steps")
            o.steps = std::stoi(value(i));
        else if (a == "--warmup")
            o.warmup = std::stoi(value(i));
        else if (a == "--batch")
            o.batch = std::stoi(value(i));
        else if (a == "--seq")
            o.seq = std::stoi(value(i));
        else if (a == "--threads")
            o.threads = std::stoi(value(i));
        else if (a == "--repeat")
            o.repeat = std::stoi(value(i));
        else if (a == "--checkpointing")
            o.checkpointing = true;
        else if (a == "--python")
            o.pythonExe = value(i);
        else if (a == "--reference")
            o.reference = value(i);
        else if (a == "--no-python")
            o.python = false;
        else if (a == "--variant")
            o.variant = value(i);
        else if (a == "--check")
            o.check = true;
        else if (a == "--profile")
            o.profile = value(i);
        else if (a == "--variant-checkpointing")
            o.variantCheckpointing = true;
        else if (a == "--help" || a == "-h") {
            std::cout << "usage: tunesmith-bench-train [--work DIR] [--steps N] [--warmup N] [--batch B] [--seq T] "
                         "[--threads N] [--repeat R] [--checkpointing] [--python EXE] [--reference FILE] "
                         "[--no-python]\n";
            std::exit(0);
        } else
            die("unknown argument " + a);
    }
    if (o.steps < 1 || o.warmup < 0 || o.batch < 1 || o.seq < 64 || o.threads < 1 || o.repeat < 1)
        die("bad numbers (steps >= 1, warmup >= 0, batch >= 1, seq >= 64, threads >= 1, repeat >= 1)");
    if (!o.variant.empty() && o.variant != "dense" && o.variant != "nf4")
        die("--variant is dense or nf4");
    return o;
}

} // namespace

int main(int argc, char** argv)
{
    const Options o = parse(argc, argv);
    if (o.check) {
        ts::engine::setComputeThreads(o.threads);
        return runChecks();
    }
    if (!o.variant.empty())
        return runVariant(o);

    const Prepared prep = prepare(o);
    const std::string self = fs::read_symlink("/proc/self/exe").string();
    const std::string common = " --steps " + std::to_string(o.steps) + " --warmup " + std::to_string(o.warmup)
        + " --batch " + std::to_string(o.batch) + " --seq " + std::to_string(o.seq) + " --threads "
        + std::to_string(o.threads);
    std::ostringstream shape;
    shape << " --hidden " << kHidden << " --layers " << kLayers << " --heads " << kHeads << " --kv-heads " << kKvHeads
          << " --ffn " << kFfn << " --vocab " << kVocab << " --prompt-len " << prep.promptTokens;

    struct Row
    {
        std::string name;
        std::string command;
        std::vector<json> runs;
    };
    std::vector<Row> rows;
    for (bool ckpt : {false, true}) {
        if (ckpt && !o.checkpointing)
            continue;
        const std::string flag = ckpt ? " --variant-checkpointing" : "";
        const std::string suffix = ckpt ? "-ckpt" : "";
        if (o.python)
            rows.push_back({"python-dense" + suffix,
                            quote(o.pythonExe) + " " + quote(o.reference.string()) + common + shape.str()
                                + (ckpt ? " --checkpointing" : ""),
                            {}});
        rows.push_back({"tunesmith-dense" + suffix,
                        quote(self) + " --work " + quote(o.work.string()) + common + " --variant dense" + flag,
                        {}});
        rows.push_back({"tunesmith-nf4" + suffix,
                        quote(self) + " --work " + quote(o.work.string()) + common + " --variant nf4" + flag,
                        {}});
    }
    // Interleaved repeats, so a burst of load on the machine hits every variant alike.
    for (int r = 0; r < o.repeat; ++r)
        for (auto& row : rows) {
            row.runs.push_back(runChild(row.command));
            std::cerr << row.runs.back().dump() << "\n";
        }

    std::map<std::string, std::pair<double, double>> medians; // name → (tokens/s, peak MiB)
    for (const auto& row : rows) {
        std::vector<double> tps, rss;
        for (const auto& r : row.runs) {
            tps.push_back(r["tokens_per_s"].get<double>());
            rss.push_back(r["peak_rss_mib"].get<double>());
        }
        medians[row.name] = {median(tps), median(rss)};
    }
    std::printf("\nmodel: Llama-shaped, %lld parameters (hidden %lld, %lld layers, %lld heads / %lld KV, ffn %lld, "
                "vocab %lld), fp32\n",
                static_cast<long long>(prep.parameters), static_cast<long long>(kHidden),
                static_cast<long long>(kLayers), static_cast<long long>(kHeads), static_cast<long long>(kKvHeads),
                static_cast<long long>(kFfn), static_cast<long long>(kVocab));
    std::printf("step: batch %d x seq %d (%lld learned targets per row), threads %d, LoRA r 16 alpha 32 on 7 "
                "projections, AdamW; %d warm-up + %d timed steps; median of %d run(s)\n\n",
                o.batch, o.seq, static_cast<long long>(o.seq - prep.promptTokens), o.threads, o.warmup, o.steps,
                o.repeat);
    std::printf("%-22s %10s %13s %12s %18s %10s %10s\n", "variant", "tokens/s", "peak RSS MiB", "tok/s ratio",
                "paired min..max", "RSS ratio", "load avg");
    for (const auto& row : rows) {
        const auto [tps, rss] = medians[row.name];
        const bool ckpt = row.name.size() > 5 && row.name.compare(row.name.size() - 5, 5, "-ckpt") == 0;
        const std::string refName = std::string("python-dense") + (ckpt ? "-ckpt" : "");
        const auto ref = medians.find(refName);
        std::string ratio = "-", paired = "-", rssRatio = "-";
        if (ref != medians.end() && row.name.rfind("tunesmith", 0) == 0) {
            char b[64];
            std::snprintf(b, sizeof b, "%.2fx", tps / ref->second.first);
            ratio = b;
            std::snprintf(b, sizeof b, "%.2fx", rss / ref->second.second);
            rssRatio = b;
            // Per repeat, against the reference run next to it (the same spell of machine load).
            const auto& refRuns
                = std::find_if(rows.begin(), rows.end(), [&](const Row& r) { return r.name == refName; })->runs;
            std::vector<double> ratios;
            for (size_t i = 0; i < row.runs.size(); ++i)
                ratios.push_back(row.runs[i]["tokens_per_s"].get<double>() / refRuns[i]["tokens_per_s"].get<double>());
            std::snprintf(b, sizeof b, "%.2f..%.2fx", *std::min_element(ratios.begin(), ratios.end()),
                          *std::max_element(ratios.begin(), ratios.end()));
            paired = b;
        }
        std::vector<double> loads;
        for (const auto& r : row.runs)
            loads.push_back(r["loadavg"].get<double>());
        std::printf("%-22s %10.1f %13.1f %12s %18s %10s %10.2f\n", row.name.c_str(), tps, rss, ratio.c_str(),
                    paired.c_str(), rssRatio.c_str(), median(loads));
    }
    std::printf("\nratios: Tunesmith / Python of the medians (tokens/s: higher is better; peak RSS: lower is better);\n"
                "paired: the lowest and highest ratio of a run to the reference run of the same repeat.\n"
                "The like-for-like pair is tunesmith-dense vs python-dense (the reference has no NF4 base).\n"
                "load avg: 1-minute load average at the end of each run (median); the machine may be shared.\n");
    return 0;
}
