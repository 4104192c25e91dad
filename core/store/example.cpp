// Example helpers: split/source names, message accessors, JSON encodings used by the store.
#include "store/example.h"

#include <algorithm>

#include <nlohmann/json.hpp>

namespace ts {

std::string_view splitName(Split split)
{
    switch (split) {
    case Split::Train:
        return "train";
    case Split::Eval:
        return "eval";
    case Split::Test:
        return "test";
    }
    return "train";
}

std::optional<Split> splitFromName(std::string_view name)
{
    std::string lower(name);
    std::transform(lower.begin(), lower.end(), lower.begin(), [](unsigned char c) { return std::tolower(c); });
    if (lower == "train" || lower == "training")
        return Split::Train;
    if (lower == "eval" || lower == "validation" || lower == "valid" || lower == "val" || lower == "dev")
        return Split::Eval;
    if (lower == "test")
        return Split::Test;
    return std::nullopt;
}

std::string_view sourceName(Source source)
{
    switch (source) {
    case Source::Golden:
        return "golden";
    case Source::Synthetic:
        return "synthetic";
    case Source::Imported:
        return "imported";
    }
    return "golden";
}

std::optional<Source> sourceFromName(std::string_view name)
{
    if (name == "golden")
        return Source::Golden;
    if (name == "synthetic")
        return Source::Synthetic;
    if (name == "imported")
        return Source::Imported;
    return std::nullopt;
}

bool isValidRole(std::string_view role)
{
    return role == "system" || role == "user" || role == "assistant";
}

namespace {

const Message* findFirst(const std::vector<Message>& messages, std::string_view role)
{
    for (const auto& m : messages)
        if (m.role == role)
            return &m;
    return nullptr;
}

const Message* findLast(const std::vector<Message>& messages, std::string_view role)
{
    for (auto it = messages.rbegin(); it != messages.rend(); ++it)
        if (it->role == role)
            return &*it;
    return nullptr;
}

} // namespace

std::string Example::system() const
{
    const Message* m = findFirst(messages, "system");
    return m ? m->content : std::string();
}

std::string Example::input() const
{
    const Message* m = findLast(messages, "user");
    return m ? m->content : std::string();
}

std::string Example::output() const
{
    const Message* m = findLast(messages, "assistant");
    return m ? m->content : std::string();
}

void Example::setSystem(const std::string& text)
{
    auto it = std::find_if(messages.begin(), messages.end(), [](const Message& m) { return m.role == "system"; });
    if (text.empty()) {
        if (it != messages.end())
            messages.erase(it);
    } else if (it != messages.end()) {
        it->content = text;
    } else {
        messages.insert(messages.begin(), Message {"system", text});
    }
}

void Example::setInput(const std::string& text)
{
    auto m = const_cast<Message*>(findLast(messages, "user"));
    if (m) {
        m->content = text;
        return;
    }
    // No user turn yet: it goes after the system message, before any assistant turn.
    auto pos = std::find_if(messages.begin(), messages.end(), [](const Message& x) { return x.role != "system"; });
    messages.insert(pos, Message {"user", text});
}

void Example::setOutput(const std::string& text)
{
    auto m = const_cast<Message*>(findLast(messages, "assistant"));
    if (m)
        m->content = text;
    else
        messages.push_back(Message {"assistant", text});
}

bool Example::sameContent(const Example& other) const
{
    return messages == other.messages && split == other.split && tags == other.tags;
}

std::string messagesToJson(const std::vector<Message>& messages)
{
    nlohmann::json array = nlohmann::json::array();
    for (const auto& m : messages)
        array.push_back({{"role", m.role}, {"content", m.content}});
    return array.dump();
}

std::optional<std::vector<Message>> messagesFromJson(const std::string& json)
{
    auto parsed = nlohmann::json::parse(json, nullptr, false);
    if (parsed.is_discarded() || !parsed.is_array())
        return std::nullopt;
    std::vector<Message> messages;
    for (const auto& item : parsed) {
        if (!item.is_object() || !item.contains("role") || !item.contains("content") || !item["role"].is_string()
            || !item["content"].is_string())
            return std::nullopt;
        messages.push_back(Message {item["role"].get<std::string>(), item["content"].get<std::string>()});
    }
    return messages;
}

std::string tagsToJson(const std::vector<std::string>& tags)
{
    return nlohmann::json(tags).dump();
}

std::vector<std::string> tagsFromJson(const std::string& json)
{
    auto parsed = nlohmann::json::parse(json, nullptr, false);
    std::vector<std::string> tags;
    if (parsed.is_array())
        for (const auto& t : parsed)
            if (t.is_string())
                tags.push_back(t.get<std::string>());
    return tags;
}

std::vector<std::string> parseTagList(std::string_view text)
{
    std::vector<std::string> tags;
    size_t start = 0;
    while (start <= text.size()) {
        size_t comma = text.find(',', start);
        if (comma == std::string_view::npos)
            comma = text.size();
        std::string_view piece = text.substr(start, comma - start);
        while (!piece.empty() && std::isspace(static_cast<unsigned char>(piece.front())))
            piece.remove_prefix(1);
        while (!piece.empty() && std::isspace(static_cast<unsigned char>(piece.back())))
            piece.remove_suffix(1);
        if (!piece.empty() && std::find(tags.begin(), tags.end(), piece) == tags.end())
            tags.emplace_back(piece);
        start = comma + 1;
    }
    return tags;
}

std::string joinTags(const std::vector<std::string>& tags)
{
    std::string out;
    for (size_t i = 0; i < tags.size(); ++i) {
        if (i)
            out += ", ";
        out += tags[i];
    }
    return out;
}

} // namespace ts
