// EvolTemplates: JSON, defaults and the project setting.
#include "synth/evol_templates.h"

#include "store/project.h"

namespace ts::synth {

using json = nlohmann::json;

EvolTemplates defaultEvolTemplates()
{
    EvolTemplates t;
    for (size_t i = 0; i < kEvolOperations.size(); ++i)
        t.text[i] = defaultEvolTemplate(kEvolOperations[i]);
    return t;
}

json evolTemplatesToJson(const EvolTemplates& templates)
{
    json texts = json::object();
    for (size_t i = 0; i < kEvolOperations.size(); ++i)
        texts[std::string(evolOperationName(kEvolOperations[i]))] = templates.text[i];
    return {{"version", templates.version}, {"templates", texts}};
}

Expected<EvolTemplates> evolTemplatesFromJson(const json& j)
{
    if (!j.is_object())
        return makeError("evolution templates: not a JSON object");
    EvolTemplates t = defaultEvolTemplates();
    if (auto v = j.find("version"); v != j.end()) {
        if (!v->is_number_integer())
            return makeError("evolution templates: \"version\" is not an integer");
        t.version = v->get<int>();
    }
    if (auto texts = j.find("templates"); texts != j.end()) {
        if (!texts->is_object())
            return makeError("evolution templates: \"templates\" is not an object");
        for (const auto& [name, text] : texts->items()) {
            auto op = evolOperationFromName(name);
            if (!op)
                return makeError("evolution templates: unknown operation \"" + name + "\"");
            if (!text.is_string())
                return makeError("evolution templates: the text of \"" + name + "\" is not a string");
            const std::string value = text.get<std::string>();
            if (value.find("{instruction}") == std::string::npos)
                return makeError("evolution template \"" + name
                                 + "\" has no {instruction}: the teacher would not see what to rewrite");
            t.text[static_cast<size_t>(*op)] = value;
        }
    }
    return t;
}

Expected<EvolTemplates> loadEvolTemplates(Project& project)
{
    auto stored = project.meta(kEvolTemplatesKey);
    if (!stored)
        return stored.error();
    if (stored->empty())
        return defaultEvolTemplates();
    auto parsed = json::parse(*stored, nullptr, false);
    if (parsed.is_discarded())
        return makeError(std::string("project setting ") + kEvolTemplatesKey + " is not valid JSON");
    return evolTemplatesFromJson(parsed);
}

Expected<EvolTemplates> saveEvolTemplates(Project& project, const EvolTemplates& templates)
{
    auto current = loadEvolTemplates(project);
    if (!current)
        return current.error();
    EvolTemplates next = templates;
    next.version = current->version;
    if (next.text != current->text)
        ++next.version;
    else
        return *current;
    if (auto v = evolTemplatesFromJson(evolTemplatesToJson(next)); !v)
        return v.error();
    if (auto s = project.setMeta(kEvolTemplatesKey, evolTemplatesToJson(next).dump()); !s)
        return s.error();
    return next;
}

} // namespace ts::synth
