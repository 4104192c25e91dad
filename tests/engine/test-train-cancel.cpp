// Cancel before the first step: a training job sees a cancel while the model loads, while its base is quantized to
// NF4 and while the SFT rows are built, returns a cancelled status within a second, and leaves the project
// consistent (the run marked cancelled, no checkpoint, adapter or metric, the run's lease released). The loaders
// check the token per tensor, the quantizer every 4096 blocks, the data builder every 16 examples.
#include <chrono>
#include <condition_variable>
#include <mutex>
#include <thread>

#include "engine/model_weights.h"
#include "engine/nf4_weight.h"
#include "model/chat_template.h"
#include "model/model_config.h"
#include "model/safetensors.h"
#include "model/tokenizer.h"
#include "quant/nf4.h"
#include "store/run_repository.h"
#include "train/sft_dataset.h"
#include "train/train_job.h"
#include "train_test_support.h"

namespace {

using Clock = std::chrono::steady_clock;

ts::TrainConfig cancelConfig()
{
    ts::TrainConfig c;
    c.quantizeBase = true;
    c.lora.r = 4;
    c.maxSeqLen = 64;
    c.microBatch = 2;
    c.maxSteps = 4;
    c.evalEvery = 0;
    c.checkpointEvery = 0;
    c.threads = 1;
    c.device = "cpu";
    return c;
}

class TrainCancel : public ::testing::Test
{
protected:
    // A model large enough that loading it (bf16 → f32, tensor by tensor) and quantizing its base to NF4 takes
    // seconds here: 12 layers of hidden 1536 and MLP 4096, 300 M parameters, 600 MB of bf16. Measured on the
    // 2-core development VM (one compute thread): loading 0.7 s, quantizing 3.0 s. The job returns within
    // milliseconds of the cancel (measured: 3-4 ms during the load, 12 ms during the quantization): the largest piece
    // of work between two checks is one tensor's conversion or 4096 NF4 blocks.
    static void SetUpTestSuite()
    {
        s_dir = new tstest::TempDir();
        ts::RandomModelOptions o;
        o.hiddenSize = 1536;
        o.numLayers = 12;
        o.numHeads = 16;
        o.numKvHeads = 4;
        o.intermediateSize = 4096;
        o.dtype = ts::DType::BF16;
        o.maxPositionEmbeddings = 512;
        o.seed = 5;
        tstest::writeChatModel(s_dir->path() / "big-model", o);
    }
    static void TearDownTestSuite() { delete s_dir; }

    struct Outcome
    {
        ts::Status status;
        double secondsAfterCancel = 0;
        ts::TrainJobResult result;
    };

    // Runs a training job on a thread; once a progress message starting with `stage` arrives, the test thread
    // requests the cancel (as the GUI's Cancel button does) and times how long the job takes to return.
    Outcome cancelAt(ts::Project& project, const std::string& stage)
    {
        ts::TrainJobParams params;
        params.project = &project;
        params.modelDir = s_dir->path() / "big-model";
        params.config = cancelConfig();
        ts::TrainJob job(params);
        ts::CancelToken cancel;
        std::mutex mutex;
        std::condition_variable changed;
        bool reached = false, finished = false;
        ts::CallbackProgress progress([&](const ts::Progress& report) {
            if (report.message.rfind(stage, 0) != 0)
                return;
            std::lock_guard<std::mutex> lock(mutex);
            reached = true;
            changed.notify_all();
        });
        Outcome outcome;
        std::thread worker([&] {
            ts::Status st = job.run(cancel, progress);
            std::lock_guard<std::mutex> lock(mutex);
            outcome.status = st;
            finished = true;
            changed.notify_all();
        });
        std::unique_lock<std::mutex> lock(mutex);
        changed.wait(lock, [&] { return reached || finished; });
        EXPECT_FALSE(finished) << "the job ended before \"" << stage << "\"";
        const auto requested = Clock::now();
        cancel.requestStop();
        changed.wait(lock, [&] { return finished; });
        outcome.secondsAfterCancel = std::chrono::duration<double>(Clock::now() - requested).count();
        lock.unlock();
        worker.join();
        outcome.result = job.result();
        return outcome;
    }

    // The run is marked cancelled and nothing of it was written: no checkpoint, adapter or metric, no lease left.
    static void expectCancelledAndClean(ts::Project& project, const Outcome& outcome)
    {
        EXPECT_TRUE(ts::isCancelled(outcome.status)) << (outcome.status ? "ok" : outcome.status.error().message);
        EXPECT_TRUE(outcome.result.cancelled);
        const int64_t runId = outcome.result.runId;
        ASSERT_GT(runId, 0);
        ts::RunRepository runs(project.writer());
        auto run = runs.get(runId);
        ASSERT_TRUE(run && *run);
        EXPECT_EQ((*run)->status, ts::RunStatus::Cancelled);
        EXPECT_FALSE((*run)->lease.has_value());
        EXPECT_TRUE(runs.artifacts(runId)->empty());
        EXPECT_TRUE(runs.metricsSince(runId, 0)->empty());
        EXPECT_TRUE(outcome.result.checkpointDir.empty());
        EXPECT_TRUE(outcome.result.outputDir.empty());
        const auto runDir = project.assetDir() / "runs" / std::to_string(runId);
        EXPECT_TRUE(!std::filesystem::exists(runDir) || std::filesystem::is_empty(runDir)) << runDir;
    }

    std::unique_ptr<ts::Project> project(const std::string& name)
    {
        return tstest::makeTaskProject(s_dir->path() / name, tstest::lookupTask(8), {});
    }

    static inline tstest::TempDir* s_dir = nullptr;
};

} // namespace

// The issue asks for a cancel seen within 1 s during model load and quantization; the check allows the whole
// second although the job returns within milliseconds here, so a loaded machine does not make it flaky.
constexpr double kCancelBoundSeconds = 1.0;

TEST_F(TrainCancel, ACancelWhileTheModelLoadsEndsTheJobWithinASecond)
{
    auto p = project("load.tunesmith");
    // "Loading <dir> on cpu (f32)": the weights are read next.
    const Outcome outcome = cancelAt(*p, "Loading " + (s_dir->path() / "big-model").string() + " on ");
    EXPECT_LT(outcome.secondsAfterCancel, kCancelBoundSeconds);
    expectCancelledAndClean(*p, outcome);
}

TEST_F(TrainCancel, ACancelWhileTheBaseIsQuantizedEndsTheJobWithinASecond)
{
    auto p = project("quantize.tunesmith");
    const Outcome outcome = cancelAt(*p, "Quantizing the base model to NF4");
    EXPECT_LT(outcome.secondsAfterCancel, kCancelBoundSeconds);
    expectCancelledAndClean(*p, outcome);
}

TEST_F(TrainCancel, ACancelWhileTheDataIsBuiltEndsTheJobBeforeAnyStep)
{
    // Cancelled from the progress callback itself (on the job's thread) as the data build starts: the build sees it
    // at its first check. Were it not checked there, the first step would see it and save a checkpoint.
    auto p = project("data.tunesmith");
    ts::TrainJobParams params;
    params.project = p.get();
    params.modelDir = s_dir->path() / "big-model";
    params.config = cancelConfig();
    ts::TrainJob job(params);
    ts::CancelToken cancel;
    ts::CallbackProgress progress([&](const ts::Progress& report) {
        if (report.message.rfind("Building the training data", 0) == 0)
            cancel.requestStop();
    });
    Outcome outcome;
    outcome.status = job.run(cancel, progress);
    outcome.result = job.result();
    ASSERT_TRUE(cancel.stopRequested()) << "no \"Building the training data\" progress";
    expectCancelledAndClean(*p, outcome);
}

// Each loop on its own, with a token set before it starts: cancelled, not an error of another kind.
TEST(CancelledLoops, SafetensorsLoadNf4QuantizationAndSftRowsReturnCancelled)
{
    tstest::TempDir dir;
    tstest::writeTinyChatModel(dir / "model");
    ts::CancelToken stopped;
    stopped.requestStop();

    auto config = ts::loadModelConfig(dir / "model");
    ASSERT_TRUE(config);
    auto file = ts::SafetensorsModel::open(dir / "model");
    ASSERT_TRUE(file);
    auto weights = ts::engine::loadTransformerWeights(*file, *config, torch::kFloat, false, stopped);
    EXPECT_TRUE(!weights && ts::isCancelled(weights.error()));
    EXPECT_TRUE(ts::engine::loadTransformerWeights(*file, *config, torch::kFloat, false)); // no token: loads

    const std::vector<float> values(64 * 5000, 0.5f);
    auto quantized = ts::nf4Quantize(values, 64, stopped);
    EXPECT_TRUE(!quantized && ts::isCancelled(quantized.error()));
    EXPECT_TRUE(ts::nf4Quantize(values, 64));
    auto weight = ts::engine::Nf4Weight::quantize(torch::ones({64, 64}), stopped);
    EXPECT_TRUE(!weight && ts::isCancelled(weight.error()));

    auto tokenizer = ts::Tokenizer::loadFromPath(dir / "model");
    ASSERT_TRUE(tokenizer);
    auto chatTemplate = ts::loadModelChatTemplate(dir / "model");
    ASSERT_TRUE(chatTemplate);
    std::vector<ts::Example> examples(3);
    for (auto& e : examples) {
        e.setInput("ada");
        e.setOutput("code abc");
    }
    ts::SftDataOptions options;
    options.cancel = stopped;
    auto rows = ts::buildSftDataset(examples, *tokenizer, chatTemplate->chatTemplate, options);
    EXPECT_TRUE(!rows && ts::isCancelled(rows.error()));
    options.cancel = ts::CancelToken {};
    auto built = ts::buildSftDataset(examples, *tokenizer, chatTemplate->chatTemplate, options);
    ASSERT_TRUE(built) << built.error().message;
    EXPECT_EQ(built->sequences.size(), 3u);
}
