// Scorers suggested from golden references (issue 12 #15) and the schema inferred from them: JSON references
// get json_parses, field_f1 and json_schema_valid with reasons; plain text gets none; the inferred schema
// accepts every reference and rejects a wrong shape.
#include <gtest/gtest.h>

#include "eval/json_schema.h"
#include "eval/schema_inference.h"
#include "eval/scorer_suggestions.h"

using namespace ts::eval;
using json = nlohmann::json;

TEST(SchemaInference, ObjectsRequireSharedKeysAndLabelsBecomeEnums)
{
    const std::vector<json> refs {
        json::parse(R"({"label": "auto", "score": 1, "note": "x"})"), json::parse(R"({"label": "home", "score": 2.5})"),
        json::parse(R"({"label": "auto", "score": 3})"), json::parse(R"({"label": "home", "score": 0})")};
    const json schema = inferSchema(refs);
    EXPECT_EQ(schema["type"], "object");
    EXPECT_EQ(schema["required"], json::parse(R"(["label", "score"])"));
    EXPECT_EQ(schema["properties"]["label"]["enum"], json::parse(R"(["auto", "home"])"));
    EXPECT_EQ(schema["properties"]["score"]["type"], "number");
    EXPECT_EQ(schema["properties"]["note"]["type"], "string");
    EXPECT_FALSE(schema["properties"]["note"].contains("enum"));
    ASSERT_TRUE(checkSchema(schema));
    for (const json& r : refs)
        EXPECT_FALSE(validateAgainstSchema(schema, r)) << r.dump();
    EXPECT_TRUE(validateAgainstSchema(schema, json::parse(R"({"label": "boat", "score": 1})")));
    EXPECT_TRUE(validateAgainstSchema(schema, json::parse(R"({"score": 1})")));
}

TEST(SchemaInference, ArraysAndMixedTypes)
{
    const json arrays = inferSchema({json::parse("[1, 2]"), json::parse("[3]")});
    EXPECT_EQ(arrays, json::parse(R"({"type": "array", "items": {"type": "integer"}})"));
    const json mixed = inferSchema({json("a"), json(1)});
    EXPECT_EQ(mixed, json::parse(R"({"type": ["integer", "string"]})"));
    EXPECT_EQ(inferSchema({}), json(true));
}

TEST(ScorerSuggestions, JsonReferencesGetJsonScorersWithReasons)
{
    const auto s = suggestScorers({R"({"category": "auto", "urgent": true})",
                                   "```json\n{\"category\": \"home\", "
                                   "\"urgent\": false}\n```",
                                   ""});
    ASSERT_EQ(s.suggestions.size(), 3u);
    EXPECT_EQ(s.suggestions[0].spec.kind, ScorerKind::JsonParses);
    EXPECT_EQ(s.suggestions[1].spec.kind, ScorerKind::FieldF1);
    EXPECT_NE(s.suggestions[1].reason.find("category, urgent"), std::string::npos) << s.suggestions[1].reason;
    EXPECT_EQ(s.suggestions[2].spec.kind, ScorerKind::JsonSchemaValid);
    EXPECT_EQ(s.suggestions[2].spec.schema["required"], json::parse(R"(["category", "urgent"])"));
    EXPECT_NE(s.suggestions[2].reason.find("2 references"), std::string::npos) << s.suggestions[2].reason;
    for (const auto& suggestion : s.suggestions) {
        EXPECT_FALSE(suggestion.reason.empty());
        EXPECT_TRUE(validateScorer(suggestion.spec));
    }
    EXPECT_EQ(s.summary, "All 2 references are JSON.");
}

TEST(ScorerSuggestions, PlainTextReferencesGetNone)
{
    const auto s = suggestScorers({"auto", "{\"a\": 1}", "home"});
    EXPECT_TRUE(s.suggestions.empty());
    EXPECT_EQ(s.summary, "The references are plain text (1 of 3 references parse as JSON): no JSON scorers suggested.");
    const auto none = suggestScorers({});
    EXPECT_TRUE(none.suggestions.empty());
    EXPECT_FALSE(none.summary.empty());
    // Bare JSON scalars are JSON but have no fields: no field F1.
    const auto scalars = suggestScorers({"1", "2"});
    ASSERT_EQ(scalars.suggestions.size(), 2u);
    EXPECT_EQ(scalars.suggestions[1].spec.kind, ScorerKind::JsonSchemaValid);
}
