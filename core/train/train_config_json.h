// TrainConfig ⇄ JSON (the run's config in the project file, `train --config`, the UI's settings).
// Reading validates every field and names the bad one; unknown keys are errors (typos must not
// silently fall back to defaults).
#pragma once

#include <nlohmann/json.hpp>

#include "common/expected.h"
#include "train/train_config.h"

namespace ts {

nlohmann::json trainConfigToJson(const TrainConfig& config);
// Fields missing from `json` keep the values of `base`.
Expected<TrainConfig> trainConfigFromJson(const nlohmann::json& json, const TrainConfig& base = {});
// Range checks shared by every entry point (JSON, CLI flags, UI form): "field: reason".
Status validateTrainConfig(const TrainConfig& config);

std::string_view lrScheduleName(LrSchedule schedule); // "constant", "linear", "cosine"

} // namespace ts
