#include "train/train_config_json.h"

#include <algorithm>
#include <set>

namespace ts {

using nlohmann::json;

std::string_view lrScheduleName(LrSchedule schedule)
{
    switch (schedule) {
    case LrSchedule::Constant:
        return "constant";
    case LrSchedule::Linear:
        return "linear";
    case LrSchedule::Cosine:
        return "cosine";
    }
    return "constant";
}

json trainConfigToJson(const TrainConfig& c)
{
    return json {
        {"quantize_base", c.quantizeBase},
        {"full_parameter", c.fullParameter},
        {"lora_r", c.lora.r},
        {"lora_alpha", c.lora.alpha},
        {"lora_dropout", c.lora.dropout},
        {"use_rslora", c.lora.useRsLora},
        {"target_modules", c.lora.targetModules},
        {"max_seq_len", c.maxSeqLen},
        {"over_long", c.overLong == OverLongPolicy::Truncate ? "truncate" : "drop"},
        {"packing", c.packing},
        {"micro_batch", c.microBatch},
        {"grad_accum", c.gradAccum},
        {"max_steps", c.maxSteps},
        {"learning_rate", c.learningRate},
        {"schedule", lrScheduleName(c.schedule)},
        {"warmup_ratio", c.warmupRatio},
        {"weight_decay", c.weightDecay},
        {"adam_beta1", c.adamBeta1},
        {"adam_beta2", c.adamBeta2},
        {"adam_eps", c.adamEps},
        {"max_grad_norm", c.maxGradNorm},
        {"gradient_checkpointing", c.gradientCheckpointing},
        {"log_every", c.logEvery},
        {"eval_every", c.evalEvery},
        {"checkpoint_every", c.checkpointEvery},
        {"seed", c.seed},
        {"threads", c.threads},
        {"device", c.device},
        {"compute_dtype", c.computeDtype},
    };
}

namespace {

bool validDeviceName(const std::string& d)
{
    if (d == "auto" || d == "cpu" || d == "cuda")
        return true;
    if (d.rfind("cuda:", 0) != 0 || d.size() == 5 || d.size() > 8)
        return false;
    return std::all_of(d.begin() + 5, d.end(), [](char ch) { return ch >= '0' && ch <= '9'; });
}

template <typename T> Status read(const json& j, const char* key, T& out)
{
    auto it = j.find(key);
    if (it == j.end())
        return {};
    try {
        out = it->get<T>();
    } catch (const json::exception&) {
        return makeError(std::string(key) + ": wrong type (" + it->type_name() + ")");
    }
    return {};
}

} // namespace

Expected<TrainConfig> trainConfigFromJson(const json& j, const TrainConfig& base)
{
    if (!j.is_object())
        return makeError("training config: expected a JSON object");
    static const std::set<std::string> known = {"quantize_base",    "full_parameter",
                                                "lora_r",           "lora_alpha",
                                                "lora_dropout",     "use_rslora",
                                                "target_modules",   "max_seq_len",
                                                "over_long",        "packing",
                                                "micro_batch",      "grad_accum",
                                                "max_steps",        "learning_rate",
                                                "schedule",         "warmup_ratio",
                                                "weight_decay",     "adam_beta1",
                                                "adam_beta2",       "adam_eps",
                                                "max_grad_norm",    "gradient_checkpointing",
                                                "log_every",        "eval_every",
                                                "checkpoint_every", "seed",
                                                "threads",          "device",
                                                "compute_dtype"};
    for (auto it = j.begin(); it != j.end(); ++it)
        if (!known.count(it.key()))
            return makeError("training config: unknown field \"" + it.key() + "\"");

    TrainConfig c = base;
    std::string overLong = c.overLong == OverLongPolicy::Truncate ? "truncate" : "drop";
    std::string schedule(lrScheduleName(c.schedule));
    for (const Status& s : {
             read(j, "quantize_base", c.quantizeBase),
             read(j, "full_parameter", c.fullParameter),
             read(j, "lora_r", c.lora.r),
             read(j, "lora_alpha", c.lora.alpha),
             read(j, "lora_dropout", c.lora.dropout),
             read(j, "use_rslora", c.lora.useRsLora),
             read(j, "target_modules", c.lora.targetModules),
             read(j, "max_seq_len", c.maxSeqLen),
             read(j, "over_long", overLong),
             read(j, "packing", c.packing),
             read(j, "micro_batch", c.microBatch),
             read(j, "grad_accum", c.gradAccum),
             read(j, "max_steps", c.maxSteps),
             read(j, "learning_rate", c.learningRate),
             read(j, "schedule", schedule),
             read(j, "warmup_ratio", c.warmupRatio),
             read(j, "weight_decay", c.weightDecay),
             read(j, "adam_beta1", c.adamBeta1),
             read(j, "adam_beta2", c.adamBeta2),
             read(j, "adam_eps", c.adamEps),
             read(j, "max_grad_norm", c.maxGradNorm),
             read(j, "gradient_checkpointing", c.gradientCheckpointing),
             read(j, "log_every", c.logEvery),
             read(j, "eval_every", c.evalEvery),
             read(j, "checkpoint_every", c.checkpointEvery),
             read(j, "seed", c.seed),
             read(j, "threads", c.threads),
             read(j, "device", c.device),
             read(j, "compute_dtype", c.computeDtype),
         })
        if (!s)
            return makeError("training config: " + s.error().message);
    if (overLong == "truncate")
        c.overLong = OverLongPolicy::Truncate;
    else if (overLong == "drop")
        c.overLong = OverLongPolicy::Drop;
    else
        return makeError("training config: over_long: expected \"truncate\" or \"drop\", got \"" + overLong + "\"");
    if (schedule == "constant")
        c.schedule = LrSchedule::Constant;
    else if (schedule == "linear")
        c.schedule = LrSchedule::Linear;
    else if (schedule == "cosine")
        c.schedule = LrSchedule::Cosine;
    else
        return makeError("training config: schedule: expected constant, linear or cosine, got \"" + schedule + "\"");
    if (auto s = validateTrainConfig(c); !s)
        return makeError("training config: " + s.error().message);
    return c;
}

Status validateTrainConfig(const TrainConfig& c)
{
    static const std::set<std::string> modules
        = {"q_proj", "k_proj", "v_proj", "o_proj", "gate_proj", "up_proj", "down_proj"};
    if (!c.fullParameter) {
        if (c.lora.r < 1 || c.lora.r > 4096)
            return makeError("lora_r: must be between 1 and 4096");
        if (!(c.lora.alpha > 0))
            return makeError("lora_alpha: must be > 0");
        if (!(c.lora.dropout >= 0 && c.lora.dropout < 1))
            return makeError("lora_dropout: must be in [0, 1)");
        if (c.lora.targetModules.empty())
            return makeError("target_modules: at least one module");
        for (const auto& m : c.lora.targetModules)
            if (!modules.count(m) && m != "all-linear")
                return makeError("target_modules: unknown module \"" + m
                                 + "\" (q_proj, k_proj, v_proj, o_proj, gate_proj, up_proj, down_proj)");
    }
    if (c.maxSeqLen < 8 || c.maxSeqLen > 1 << 20)
        return makeError("max_seq_len: must be between 8 and 1048576");
    if (c.microBatch < 1 || c.microBatch > 4096)
        return makeError("micro_batch: must be between 1 and 4096");
    if (c.gradAccum < 1 || c.gradAccum > 65536)
        return makeError("grad_accum: must be between 1 and 65536");
    if (c.maxSteps < 1)
        return makeError("max_steps: must be >= 1");
    if (!(c.learningRate > 0 && c.learningRate < 1))
        return makeError("learning_rate: must be in (0, 1)");
    if (!(c.warmupRatio >= 0 && c.warmupRatio < 1))
        return makeError("warmup_ratio: must be in [0, 1)");
    if (!(c.weightDecay >= 0 && c.weightDecay < 1))
        return makeError("weight_decay: must be in [0, 1)");
    if (!(c.adamBeta1 >= 0 && c.adamBeta1 < 1) || !(c.adamBeta2 >= 0 && c.adamBeta2 < 1))
        return makeError("adam_beta1/adam_beta2: must be in [0, 1)");
    if (!(c.adamEps > 0))
        return makeError("adam_eps: must be > 0");
    if (!(c.maxGradNorm >= 0))
        return makeError("max_grad_norm: must be >= 0 (0 turns clipping off)");
    if (c.logEvery < 1)
        return makeError("log_every: must be >= 1");
    if (c.evalEvery < 0 || c.checkpointEvery < 0)
        return makeError("eval_every/checkpoint_every: must be >= 0 (0: never / only at the end)");
    if (!validDeviceName(c.device))
        return makeError("device: expected auto, cpu, cuda or cuda:N, got \"" + c.device + "\"");
    if (c.computeDtype != "auto" && c.computeDtype != "f32" && c.computeDtype != "bf16")
        return makeError("compute_dtype: expected auto, f32 or bf16, got \"" + c.computeDtype + "\"");
    return {};
}

} // namespace ts
