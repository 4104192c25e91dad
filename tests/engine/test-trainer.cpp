// The trainer end to end on a tiny chat model and a real project file: the loss falls by a large
// factor on a lookup task, the adapter is written in PEFT layout and registered, metrics land in
// the project as the run goes, the same seed gives the same losses, gradient checkpointing does
// not change them, and a run stopped at step k and resumed ends where the uninterrupted run ends; a project saved
// as a copy resumes its runs from the copied checkpoints, and a run whose checkpoint files are gone is refused
// (untouched) until told to start again, keeping its start time.
#include <nlohmann/json.hpp>

#include "engine/engine.h"
#include "lora/adapter_on_load.h"
#include "model/chat_template.h"
#include "model/safetensors.h"
#include "model/tokenizer.h"
#include "peft/peft_adapter.h"
#include "store/database.h"
#include "store/project.h"
#include "store/run_repository.h"
#include "train/resume_point.h"
#include "train/train_config_json.h"
#include "train/train_job.h"
#include "train_test_support.h"

namespace {

ts::TrainConfig quickConfig()
{
    ts::TrainConfig c;
    c.quantizeBase = true;
    c.lora.r = 8;
    c.lora.alpha = 16;
    c.lora.dropout = 0.0;
    c.maxSeqLen = 64;
    c.microBatch = 4;
    c.gradAccum = 2;
    c.maxSteps = 8;
    c.learningRate = 5e-3;
    c.schedule = ts::LrSchedule::Cosine;
    c.warmupRatio = 0.1;
    c.maxGradNorm = 1.0;
    c.gradientCheckpointing = false;
    c.evalEvery = 4;
    c.checkpointEvery = 0;
    c.seed = 7;
    c.threads = 1;
    c.device = "cpu"; // the exact-equality tests below are CPU tests; CudaRunTracksTheCpuRun covers CUDA
    return c;
}

class Trainer : public ::testing::Test
{
protected:
    static void SetUpTestSuite()
    {
        s_dir = new tstest::TempDir();
        tstest::writeTinyChatModel(s_dir->path() / "model");
    }
    static void TearDownTestSuite() { delete s_dir; }

    std::unique_ptr<ts::Project> project(const std::string& name, int trainRows = 8)
    {
        auto rows = tstest::lookupTask(trainRows + 2);
        std::vector<tstest::TaskRow> train(rows.begin(), rows.begin() + trainRows),
            eval(rows.begin() + trainRows, rows.end());
        return tstest::makeTaskProject(s_dir->path() / name, train, eval);
    }

    // The params of a run of `config` on the suite's tiny model.
    static ts::TrainJobParams runParams(ts::Project& p, const ts::TrainConfig& config)
    {
        ts::TrainJobParams params;
        params.project = &p;
        params.modelDir = s_dir->path() / "model";
        params.config = config;
        return params;
    }
    static ts::TrainJobResult train(ts::Project& p, const ts::TrainConfig& config, std::optional<int64_t> resume = {},
                                    std::optional<int64_t> stopAfter = {}, bool expectDone = true)
    {
        ts::TrainJobParams params = runParams(p, config);
        params.resumeRunId = resume;
        params.stopAfterStep = stopAfter;
        ts::TrainJob job(params);
        ts::NullProgress progress;
        auto st = job.run({}, progress);
        if (expectDone)
            EXPECT_TRUE(st) << (st ? "" : st.error().message);
        else
            EXPECT_TRUE(ts::isCancelled(st)) << (st ? "ok" : st.error().message);
        return job.result();
    }

    static std::vector<double> series(ts::Project& p, int64_t runId, const std::string& name)
    {
        auto points = ts::RunRepository(p.writer()).metricsSince(runId, 0, name);
        EXPECT_TRUE(points);
        std::vector<double> out;
        for (const auto& m : *points)
            out.push_back(m.value);
        return out;
    }

    static inline tstest::TempDir* s_dir = nullptr;
};

} // namespace

TEST_F(Trainer, ABusyProjectFileIsWaitedOutWithoutLosingMetrics)
{
    // After step 1 another connection (as `tunesmith-cli import` in another process would) takes the write lock
    // and holds it past the writer's 5 s busy timeout. The run waits, says so in its progress, and ends with
    // every step's metrics; the lock is given back when the run reports the wait.
    auto p = project("busy.tunesmith");
    auto config = quickConfig();
    config.maxSteps = 4;
    config.evalEvery = 0;
    config.logEvery = 1;
    std::optional<ts::Database> blocker;
    int busyReports = 0;
    ts::TrainJobParams params = runParams(*p, config);
    params.onStep = [&](const ts::TrainStepLog& log) {
        if (log.step != 1)
            return;
        auto db = ts::Database::open(s_dir->path() / "busy.tunesmith", ts::Database::Mode::ReadWrite);
        ASSERT_TRUE(db) << db.error().message;
        ASSERT_TRUE(db->exec("BEGIN IMMEDIATE"));
        blocker = std::move(*db);
    };
    ts::CallbackProgress progress([&](const ts::Progress& report) {
        if (blocker && report.message.find("the project file is busy") != std::string::npos) {
            ++busyReports;
            EXPECT_TRUE(blocker->exec("ROLLBACK"));
            blocker.reset();
        }
    });
    ts::TrainJob job(params);
    auto st = job.run({}, progress);
    ASSERT_TRUE(st) << st.error().message;
    EXPECT_EQ(busyReports, 1);
    EXPECT_EQ(job.result().steps, 4);
    EXPECT_EQ(series(*p, job.result().runId, "train/loss").size(), 4u);
    auto run = ts::RunRepository(p->writer()).get(job.result().runId);
    ASSERT_TRUE(run && *run);
    EXPECT_EQ((*run)->status, ts::RunStatus::Succeeded);
}

TEST_F(Trainer, LearnsTheTaskAndWritesAPeftAdapter)
{
    auto p = project("learn.tunesmith");
    auto config = quickConfig();
    config.maxSteps = 120;
    config.gradAccum = 1;
    config.microBatch = 8;
    config.evalEvery = 40;
    config.lora.r = 16;
    config.lora.alpha = 32;
    config.learningRate = 2e-2;
    auto result = train(*p, config);
    ASSERT_EQ(result.steps, 120);
    ASSERT_FALSE(result.cancelled);

    const auto loss = series(*p, result.runId, "train/loss");
    ASSERT_EQ(loss.size(), 120u);
    EXPECT_LT(loss.back(), loss.front() / 10) << "first " << loss.front() << " last " << loss.back();
    std::cout << "train loss " << loss.front() << " -> " << loss.back() << "\n";
    EXPECT_EQ(series(*p, result.runId, "eval/loss").size(), 3u);
    EXPECT_EQ(series(*p, result.runId, "lr").size(), 120u);

    auto run = ts::RunRepository(p->writer()).get(result.runId);
    ASSERT_TRUE(run && *run);
    EXPECT_EQ((*run)->status, ts::RunStatus::Succeeded);
    auto artifacts = ts::RunRepository(p->writer()).artifacts(result.runId, "adapter");
    ASSERT_EQ(artifacts->size(), 1u);

    auto adapter = ts::readPeftAdapter(result.outputDir);
    ASSERT_TRUE(adapter) << adapter.error().message;
    EXPECT_EQ(adapter->modules.size(), 2u * 7u); // 2 layers × q,k,v,o,gate,up,down
    EXPECT_EQ(adapter->modules.front().module, "model.layers.0.self_attn.q_proj");
    EXPECT_EQ(adapter->modules.front().rank(), 16);

    // The adapter merged by the engine (onto the NF4 round-tripped base it was trained on)
    // answers the training prompts with their targets, greedily.
    const auto modelDir = s_dir->path() / "model";
    ts::EngineOptions options;
    options.threads = 1;
    options.editWeights = ts::lora::mergeAdapterOnLoad(result.outputDir);
    auto engine = ts::Engine::load(modelDir, options);
    ASSERT_TRUE(engine) << engine.error().message;
    auto tokenizer = ts::Tokenizer::loadFromPath(modelDir);
    auto files = ts::loadChatTemplateFiles(modelDir);
    ASSERT_TRUE(tokenizer && files);
    auto chat = ts::ChatTemplate::parse(files->source);
    ASSERT_TRUE(chat);
    ts::ChatTemplateOptions render;
    render.addGenerationPrompt = true;
    int exact = 0;
    const auto rows = tstest::lookupTask(10);
    for (int i = 0; i < 8; ++i) {
        auto prompt = chat->render(
            nlohmann::json::array({{{"role", "user"}, {"content", rows[static_cast<size_t>(i)].input}}}), render);
        ASSERT_TRUE(prompt);
        ts::GenerationOptions gen;
        gen.maxNewTokens = 16;
        gen.eosIds = std::vector<int32_t> {258};
        gen.decode = [&](const std::vector<int32_t>& ids) { return tokenizer->decode(ids, true); };
        auto out = (*engine)->generate({tokenizer->encode(*prompt)}, gen);
        ASSERT_TRUE(out) << out.error().message;
        exact += out->sequences[0].text == rows[static_cast<size_t>(i)].output;
    }
    EXPECT_GE(exact, 7) << "of 8 training targets reproduced";

    // The base model alone does not know them (the test can tell a trained adapter from none).
    ts::EngineOptions plain;
    plain.threads = 1;
    auto base = ts::Engine::load(modelDir, plain);
    ASSERT_TRUE(base);
    int baseExact = 0;
    for (int i = 0; i < 8; ++i) {
        auto prompt = chat->render(
            nlohmann::json::array({{{"role", "user"}, {"content", rows[static_cast<size_t>(i)].input}}}), render);
        ts::GenerationOptions gen;
        gen.maxNewTokens = 16;
        gen.eosIds = std::vector<int32_t> {258};
        gen.decode = [&](const std::vector<int32_t>& ids) { return tokenizer->decode(ids, true); };
        auto out = (*base)->generate({tokenizer->encode(*prompt)}, gen);
        baseExact += out && out->sequences[0].text == rows[static_cast<size_t>(i)].output;
    }
    EXPECT_EQ(baseExact, 0);
}

TEST_F(Trainer, SameSeedSameLossesAndCheckpointingChangesNothing)
{
    auto config = quickConfig();
    config.lora.dropout = 0.1; // the recompute must replay the same dropout masks
    auto p1 = project("det1.tunesmith");
    auto p2 = project("det2.tunesmith");
    auto p3 = project("det3.tunesmith");
    auto a = train(*p1, config);
    auto b = train(*p2, config);
    config.gradientCheckpointing = true;
    auto c = train(*p3, config);
    const auto la = series(*p1, a.runId, "train/loss");
    const auto lb = series(*p2, b.runId, "train/loss");
    const auto lc = series(*p3, c.runId, "train/loss");
    ASSERT_EQ(la.size(), 8u);
    EXPECT_EQ(la, lb);
    ASSERT_EQ(lc.size(), la.size());
    for (size_t i = 0; i < la.size(); ++i)
        EXPECT_NEAR(lc[i], la[i], 1e-5 * std::abs(la[i])) << "step " << i + 1;
}

TEST_F(Trainer, StopAndResumeEndsWhereTheUninterruptedRunEnds)
{
    auto config = quickConfig();
    config.maxSteps = 10;
    config.lora.dropout = 0.1;
    auto straight = project("straight.tunesmith");
    auto full = train(*straight, config);

    auto interrupted = project("interrupted.tunesmith");
    auto first = train(*interrupted, config, {}, /*stopAfter*/ 4, /*expectDone*/ false);
    EXPECT_TRUE(first.cancelled);
    EXPECT_EQ(first.steps, 4);
    ASSERT_FALSE(first.checkpointDir.empty());
    auto run = ts::RunRepository(interrupted->writer()).get(first.runId);
    EXPECT_EQ((*run)->status, ts::RunStatus::Cancelled);

    auto resumed = train(*interrupted, config, first.runId);
    EXPECT_EQ(resumed.runId, first.runId);
    EXPECT_EQ(resumed.steps, 10);

    const auto want = series(*straight, full.runId, "train/loss");
    const auto got = series(*interrupted, first.runId, "train/loss");
    ASSERT_EQ(got.size(), want.size());
    for (size_t i = 0; i < want.size(); ++i)
        EXPECT_NEAR(got[i], want[i], 1e-6 * std::abs(want[i])) << "step " << i + 1;

    auto a = ts::readPeftAdapter(full.outputDir);
    auto b = ts::readPeftAdapter(resumed.outputDir);
    ASSERT_TRUE(a && b);
    ASSERT_EQ(a->modules.size(), b->modules.size());
    for (size_t m = 0; m < a->modules.size(); ++m) {
        for (size_t i = 0; i < a->modules[m].a.size(); ++i)
            ASSERT_NEAR(a->modules[m].a[i], b->modules[m].a[i], 1e-6) << a->modules[m].module;
        for (size_t i = 0; i < a->modules[m].b.size(); ++i)
            ASSERT_NEAR(a->modules[m].b[i], b->modules[m].b[i], 1e-6) << a->modules[m].module;
    }
}

TEST_F(Trainer, ACopyResumesFromItsCheckpointAndAMissingCheckpointIsRefusedUntilToldToStartAgain)
{
    namespace fs = std::filesystem;
    auto config = quickConfig();
    auto original = project("assets-original.tunesmith");
    auto first = train(*original, config, {}, /*stopAfter*/ 3, /*expectDone*/ false);
    ASSERT_EQ(first.steps, 3);
    auto before = ts::RunRepository(original->writer()).get(first.runId);
    ASSERT_TRUE(before && *before && (*before)->startedAt);

    // Save As carries the asset folder: the copy's run resumes from its own copy of the checkpoint at step 3.
    const fs::path copyFile = original->path().parent_path() / "assets-copy.tunesmith";
    ASSERT_TRUE(original->saveAs(copyFile));
    auto copy = ts::Project::open(copyFile);
    ASSERT_TRUE(copy) << copy.error().message;
    auto point = ts::findResumePoint((*copy)->writer(), copyFile, first.runId);
    ASSERT_TRUE(point && point->checkpointDir);
    EXPECT_EQ(point->checkpointDir->parent_path().parent_path().parent_path(), (*copy)->assetDir());
    auto resumedCopy = train(**copy, config, first.runId);
    EXPECT_EQ(resumedCopy.steps, config.maxSteps);
    EXPECT_EQ(resumedCopy.checkpointDir, *point->checkpointDir);
    auto copied = ts::RunRepository((*copy)->writer()).get(first.runId);
    const auto resumes = nlohmann::json::parse((*copied)->config).at("resumes");
    ASSERT_EQ(resumes.size(), 1u);
    EXPECT_EQ(resumes[0].at("from_step").get<int64_t>(), 3);
    EXPECT_EQ((*copied)->startedAt, (*before)->startedAt); // the start is the first one's

    // Without its files, the original's run is refused and left as it was.
    fs::remove_all(original->assetDir());
    ts::TrainJobParams params = runParams(*original, config);
    params.resumeRunId = first.runId;
    ts::TrainJob refused(params);
    ts::NullProgress progress;
    auto st = refused.run({}, progress);
    ASSERT_FALSE(st);
    EXPECT_NE(st.error().message.find("has no checkpoint to resume from (its files are not in "
                                      + (original->assetDir() / "runs" / std::to_string(first.runId)).string()),
              std::string::npos)
        << st.error().message;
    auto after = ts::RunRepository(original->writer()).get(first.runId);
    EXPECT_EQ((*after)->status, ts::RunStatus::Cancelled);
    EXPECT_EQ((*after)->config, (*before)->config);
    EXPECT_EQ((*after)->finishedAt, (*before)->finishedAt);

    // Told to start again, it does, from step 0, as the same run with its first start time.
    params.restartWithoutCheckpoint = true;
    ts::TrainJob restarted(params);
    ASSERT_TRUE(restarted.run({}, progress));
    EXPECT_EQ(restarted.result().steps, config.maxSteps);
    EXPECT_TRUE(restarted.result().checkpointDir.empty());
    after = ts::RunRepository(original->writer()).get(first.runId);
    EXPECT_EQ((*after)->status, ts::RunStatus::Succeeded);
    EXPECT_EQ((*after)->startedAt, (*before)->startedAt);
    EXPECT_EQ(nlohmann::json::parse((*after)->config).at("resumes")[0].at("from_step").get<int64_t>(), 0);
    EXPECT_EQ(series(*original, first.runId, "train/loss").size(), size_t(config.maxSteps));
}

TEST_F(Trainer, BadInputFailsWithAClearMessageAndAFailedRun)
{
    auto p = project("bad.tunesmith");
    auto config = quickConfig();
    ts::TrainJobParams params;
    params.project = p.get();
    params.modelDir = s_dir->path() / "no-such-model";
    params.config = config;
    ts::TrainJob job(params);
    ts::NullProgress progress;
    auto st = job.run({}, progress);
    ASSERT_FALSE(st);
    EXPECT_NE(st.error().message.find("no-such-model"), std::string::npos) << st.error().message;
    auto run = ts::RunRepository(p->writer()).get(job.runId());
    ASSERT_TRUE(run && *run);
    EXPECT_EQ((*run)->status, ts::RunStatus::Failed);

    config.lora.r = 0;
    params.modelDir = s_dir->path() / "model";
    params.config = config;
    ts::TrainJob invalid(params);
    auto bad = invalid.run({}, progress);
    ASSERT_FALSE(bad);
    EXPECT_NE(bad.error().message.find("lora_r"), std::string::npos) << bad.error().message;
}

TEST_F(Trainer, FullParameterModeWritesAModelTheEngineLoads)
{
    auto p = project("full.tunesmith");
    auto config = quickConfig();
    config.fullParameter = true;
    config.maxSteps = 40;
    config.gradAccum = 1;
    config.microBatch = 8;
    config.learningRate = 3e-3;
    config.evalEvery = 0;
    auto result = train(*p, config);
    ASSERT_EQ(result.steps, 40);
    const auto loss = series(*p, result.runId, "train/loss");
    EXPECT_LT(loss.back(), loss.front() / 3) << loss.front() << " -> " << loss.back();
    ASSERT_EQ(result.outputDir.filename(), "model");
    for (const char* f : {"config.json", "model.safetensors", "tokenizer.json", "tokenizer_config.json"})
        EXPECT_TRUE(std::filesystem::exists(result.outputDir / f)) << f;
    auto st = ts::SafetensorsModel::open(result.outputDir);
    ASSERT_TRUE(st);
    EXPECT_TRUE((*st)->find("model.layers.1.mlp.down_proj.weight"));
    EXPECT_TRUE((*st)->find("lm_head.weight"));

    // The saved model computes what the trained weights computed: its training loss on a
    // training prompt is low, where the base model's is not.
    ts::EngineOptions options;
    options.threads = 1;
    auto trained = ts::Engine::load(result.outputDir, options);
    auto base = ts::Engine::load(s_dir->path() / "model", options);
    ASSERT_TRUE(trained && base);
    auto tokenizer = ts::Tokenizer::loadFromPath(result.outputDir);
    ASSERT_TRUE(tokenizer);
    const auto row = tstest::lookupTask(1)[0];
    const std::string text = "<|im_start|>user\n" + row.input + "<|im_end|>\n<|im_start|>assistant\n" + row.output;
    const auto ids = tokenizer->encode(text);
    auto nll = [&](ts::Engine& e) {
        auto logits = e.logits(ids, true);
        EXPECT_TRUE(logits);
        const int64_t V = e.config().vocabSize;
        double sum = 0;
        const size_t start = ids.size() - row.output.size();
        for (size_t t = start; t < ids.size(); ++t) {
            const float* l = logits->data() + (t - 1) * V;
            double mx = *std::max_element(l, l + V), z = 0;
            for (int64_t v = 0; v < V; ++v)
                z += std::exp(l[v] - mx);
            sum += -(l[ids[t]] - mx - std::log(z));
        }
        return sum / static_cast<double>(row.output.size());
    };
    EXPECT_LT(nll(**trained), nll(**base) / 3);
}

TEST(TrainConfigJson, DeviceAndComputeDtypeRoundTripAndAreValidated)
{
    ts::TrainConfig c;
    c.device = "cuda:1";
    c.computeDtype = "bf16";
    auto back = ts::trainConfigFromJson(ts::trainConfigToJson(c));
    ASSERT_TRUE(back) << back.error().message;
    EXPECT_EQ(back->device, "cuda:1");
    EXPECT_EQ(back->computeDtype, "bf16");

    for (const char* bad : {"gpu", "cuda:", "cuda:x", "CPU"}) {
        auto r = ts::trainConfigFromJson(nlohmann::json {{"device", bad}});
        ASSERT_FALSE(r) << bad;
        EXPECT_NE(r.error().message.find("device"), std::string::npos) << r.error().message;
    }
    auto r = ts::trainConfigFromJson(nlohmann::json {{"compute_dtype", "fp8"}});
    ASSERT_FALSE(r);
    EXPECT_NE(r.error().message.find("compute_dtype"), std::string::npos) << r.error().message;
}

TEST_F(Trainer, Bf16ComputeTracksF32AndLearns)
{
    // bf16 activations and dequantized weights (what a GPU run uses), here on the CPU: the same
    // run as in f32 within bf16's precision, and the loss still falls.
    auto config = quickConfig();
    config.maxSteps = 16;
    auto pf = project("f32.tunesmith");
    auto pb = project("bf16.tunesmith");
    auto f = train(*pf, config);
    config.computeDtype = "bf16";
    auto b = train(*pb, config);
    const auto lf = series(*pf, f.runId, "train/loss");
    const auto lb = series(*pb, b.runId, "train/loss");
    ASSERT_EQ(lf.size(), 16u);
    ASSERT_EQ(lb.size(), lf.size());
    EXPECT_NEAR(lb[0], lf[0], 0.02 * lf[0]); // same weights, same batch: only rounding differs
    EXPECT_NE(lb, lf) << "bf16 compute gave the f32 losses bit for bit: the dtype was not used";
    EXPECT_LT(lb.back(), 0.6 * lb.front()) << "bf16 run did not learn";
    EXPECT_NEAR(lb.back(), lf.back(), 0.15 * lf.back() + 0.05);
    EXPECT_FALSE(b.outputDir.empty());
    EXPECT_TRUE(ts::readPeftAdapter(b.outputDir));
}

TEST_F(Trainer, CudaWithoutAGpuFailsClearly)
{
    if (ts::cudaDeviceAvailable())
        GTEST_SKIP() << "a CUDA GPU is visible (CudaRunTracksTheCpuRun covers it)";
    auto p = project("nocuda.tunesmith");
    auto config = quickConfig();
    config.device = "cuda";
    ts::TrainJobParams params;
    params.project = p.get();
    params.modelDir = s_dir->path() / "model";
    params.config = config;
    ts::TrainJob job(params);
    ts::NullProgress progress;
    auto st = job.run({}, progress);
    ASSERT_FALSE(st);
    EXPECT_NE(st.error().message.find("device \"cuda\""), std::string::npos) << st.error().message;
    auto run = ts::RunRepository(p->writer()).get(job.runId());
    ASSERT_TRUE(run && *run);
    EXPECT_EQ((*run)->status, ts::RunStatus::Failed);
    EXPECT_NE((*run)->error.find("cuda"), std::string::npos) << (*run)->error;
}

TEST_F(Trainer, CudaRunTracksTheCpuRun)
{
    if (!ts::cudaDeviceAvailable())
        GTEST_SKIP() << "no CUDA GPU";
    auto config = quickConfig();
    config.lora.dropout = 0.1;
    auto pc = project("cpu.tunesmith");
    auto cpu = train(*pc, config);
    const auto lc = series(*pc, cpu.runId, "train/loss");

    // f32 on the GPU: the same run as on the CPU up to summation order.
    config.device = "cuda";
    config.computeDtype = "f32";
    config.lora.dropout = 0.0;
    auto pg = project("cuda-f32.tunesmith");
    auto cpuNoDropoutProject = project("cpu-nodrop.tunesmith");
    auto cpuConfig = config;
    cpuConfig.device = "cpu";
    auto cpuNoDropout = train(*cpuNoDropoutProject, cpuConfig);
    auto g = train(*pg, config);
    const auto want = series(*cpuNoDropoutProject, cpuNoDropout.runId, "train/loss");
    const auto got = series(*pg, g.runId, "train/loss");
    ASSERT_EQ(got.size(), want.size());
    for (size_t i = 0; i < want.size(); ++i)
        EXPECT_NEAR(got[i], want[i], 1e-3 * std::abs(want[i])) << "step " << i + 1;

    // bf16 on the GPU (the default there), with dropout: learns; stop and resume restores the
    // CUDA generator, so the resumed run ends where the uninterrupted one does.
    config.computeDtype = "auto";
    config.lora.dropout = 0.1;
    auto straight = project("cuda-straight.tunesmith");
    auto full = train(*straight, config);
    const auto lb = series(*straight, full.runId, "train/loss");
    EXPECT_LT(lb.back(), 0.6 * lb.front());
    EXPECT_NEAR(lb.front(), lc.front(), 0.02 * lc.front());
    auto interrupted = project("cuda-interrupted.tunesmith");
    auto first = train(*interrupted, config, {}, /*stopAfter*/ 4, /*expectDone*/ false);
    auto resumed = train(*interrupted, config, first.runId);
    const auto lr = series(*interrupted, first.runId, "train/loss");
    ASSERT_EQ(lr.size(), lb.size());
    EXPECT_NEAR(lr.back(), lb.back(), 1e-3 * std::abs(lb.back()));
}
