// inferSchema: recursive over the examples' shared structure; each level looks at the types present.
#include "eval/schema_inference.h"

#include "eval/json_schema.h"

#include <map>
#include <set>
#include <string>

namespace ts::eval {

namespace {

using json = nlohmann::json;

json objectSchema(const std::vector<const json*>& objects)
{
    std::map<std::string, std::vector<json>> fields; // key order, as json objects keep it
    for (const json* object : objects)
        for (auto it = object->begin(); it != object->end(); ++it)
            fields[it.key()].push_back(it.value());
    json properties = json::object();
    json required = json::array();
    for (const auto& [key, values] : fields) {
        properties[key] = inferSchema(values);
        if (values.size() == objects.size())
            required.push_back(key);
    }
    json schema = {{"type", "object"}, {"properties", properties}};
    if (!required.empty())
        schema["required"] = required;
    return schema;
}

json arraySchema(const std::vector<const json*>& arrays)
{
    std::vector<json> elements;
    for (const json* array : arrays)
        for (const json& element : *array)
            elements.push_back(element);
    json schema = {{"type", "array"}};
    if (!elements.empty())
        schema["items"] = inferSchema(elements);
    return schema;
}

json stringSchema(const std::vector<const json*>& strings)
{
    json schema = {{"type", "string"}};
    std::set<std::string> distinct;
    for (const json* s : strings)
        distinct.insert(s->get<std::string>());
    if (distinct.size() <= kMaxEnumValues && strings.size() >= 2 * distinct.size() && strings.size() >= 4)
        schema["enum"] = json(distinct);
    return schema;
}

} // namespace

json inferSchema(const std::vector<json>& examples)
{
    if (examples.empty())
        return true;
    std::map<std::string, std::vector<const json*>> byType;
    for (const json& value : examples)
        byType[schemaTypeName(value)].push_back(&value);
    if (byType.count("integer") && byType.count("number")) {
        auto& numbers = byType["number"];
        numbers.insert(numbers.end(), byType["integer"].begin(), byType["integer"].end());
        byType.erase("integer");
    }
    if (byType.size() > 1) {
        json types = json::array();
        for (const auto& entry : byType)
            types.push_back(entry.first);
        return {{"type", types}};
    }
    const auto& [type, values] = *byType.begin();
    if (type == "object")
        return objectSchema(values);
    if (type == "array")
        return arraySchema(values);
    if (type == "string")
        return stringSchema(values);
    return {{"type", type}};
}

} // namespace ts::eval
