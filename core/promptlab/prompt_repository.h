// PromptRepository: the `prompts` and `prompt_versions` tables. A prompt is a named variant
// ("A", "concise"); every save that changes it adds a version, so a run can name exactly what it
// sent (cells.prompt_version_id) and older versions stay comparable.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "common/expected.h"
#include "promptlab/prompt_variant.h"
#include "store/database.h"

namespace ts {

struct PromptVersion
{
    int64_t id = 0; // prompt_versions.id
    int64_t promptId = 0;
    std::string name; // prompts.name
    int version = 0; // 1, 2, ...
    promptlab::PromptVariant variant;
    int64_t createdAt = 0;
    std::string label() const { return name + " v" + std::to_string(version); }
};

class PromptRepository
{
public:
    explicit PromptRepository(Database& db)
        : m_db(db)
    { }

    // Saves `variant` under `name` (creating the prompt): a new version when it differs from the
    // newest one, else the newest one unchanged. Names are 1..100 characters, no '@'.
    Expected<PromptVersion> save(const std::string& name, const promptlab::PromptVariant& variant);
    Expected<std::optional<PromptVersion>> latest(const std::string& name);
    Expected<std::optional<PromptVersion>> version(const std::string& name, int version);
    Expected<std::optional<PromptVersion>> byId(int64_t versionId);
    // "name" (the newest version) or "name@3"; an error names what was not found.
    Expected<PromptVersion> resolve(const std::string& reference);
    Expected<std::vector<std::string>> names(); // sorted
    Expected<std::vector<PromptVersion>> versions(const std::string& name); // oldest first
    Status remove(const std::string& name); // the prompt and its versions

private:
    Database& m_db;
};

} // namespace ts
