// EvolTemplates: a project's teacher prompts for the evolution operations, editable and versioned. They live in the
// project setting "synth.templates" as {"version": n, "templates": {"<operation>": "<text>", …}}; an operation
// without a stored text uses the built-in one (defaultEvolTemplate). Each save that changes a text bumps the
// version; an evolve run copies the texts and the version into its config, and every row records the version.
#pragma once

#include <array>
#include <string>

#include <nlohmann/json.hpp>

#include "common/expected.h"
#include "synth/evol_operation.h"

namespace ts {
class Project;
}

namespace ts::synth {

inline constexpr const char* kEvolTemplatesKey = "synth.templates";

struct EvolTemplates
{
    int version = 0; // 0: the built-in texts, never edited
    std::array<std::string, kEvolOperations.size()> text; // same order as kEvolOperations

    const std::string& of(EvolOperation op) const { return text[static_cast<size_t>(op)]; }
};

EvolTemplates defaultEvolTemplates();
nlohmann::json evolTemplatesToJson(const EvolTemplates& templates);
// Missing operations take the built-in text; a text without "{instruction}" is an error naming the operation.
Expected<EvolTemplates> evolTemplatesFromJson(const nlohmann::json& json);

Expected<EvolTemplates> loadEvolTemplates(Project& project);
// Stores `templates` with the version bumped when any text differs from the stored ones; returns what was stored.
Expected<EvolTemplates> saveEvolTemplates(Project& project, const EvolTemplates& templates);

} // namespace ts::synth
