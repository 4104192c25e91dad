// Example: one golden (or synthetic / imported) input -> ideal output pair, stored as
// role-structured chat messages so multi-turn conversations survive import and export.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace ts {

struct Message
{
    std::string role; // "system", "user" or "assistant"
    std::string content;

    bool operator==(const Message&) const = default;
};

enum class Split { Train, Eval, Test };
enum class Source { Golden, Synthetic, Imported };

std::string_view splitName(Split split); // "train", "eval", "test"
std::optional<Split> splitFromName(std::string_view name); // also accepts "validation", "valid", "val", "dev"
std::string_view sourceName(Source source); // "golden", "synthetic", "imported"
std::optional<Source> sourceFromName(std::string_view name);
bool isValidRole(std::string_view role);

struct Example
{
    int64_t id = 0; // 0 = not stored yet
    std::vector<Message> messages;
    Split split = Split::Train;
    std::vector<std::string> tags;
    Source source = Source::Golden;
    std::optional<int64_t> parentId; // lineage for synthetic rows
    std::string evolutionOp; // Evol-Instruct operation that produced it
    std::optional<double> quality; // quality-filter score
    int64_t createdAt = 0; // unix milliseconds
    int64_t updatedAt = 0;

    // The table's view of the conversation: the first system message, the last user
    // message (input) and the last assistant message (ideal output); "" when absent.
    std::string system() const;
    std::string input() const;
    std::string output() const;
    // Replace (or create) those messages, keeping earlier turns in place.
    void setSystem(const std::string& text); // "" removes the system message
    void setInput(const std::string& text);
    void setOutput(const std::string& text);

    // Same conversation, split and tags (what import/export round-trips).
    bool sameContent(const Example& other) const;
};

std::string messagesToJson(const std::vector<Message>& messages);
std::optional<std::vector<Message>> messagesFromJson(const std::string& json);
std::string tagsToJson(const std::vector<std::string>& tags);
std::vector<std::string> tagsFromJson(const std::string& json);
// Tags typed by a user: "a, b ,a" -> {"a", "b"} (trimmed, de-duplicated, order kept).
std::vector<std::string> parseTagList(std::string_view text);
std::string joinTags(const std::vector<std::string>& tags); // "a, b"

} // namespace ts
