// SseParser: events come out the same however the byte stream is cut into chunks.
#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "llm/sse_parser.h"

using namespace ts::llm;

namespace {

std::vector<SseEvent> parseInPieces(const std::string& stream, size_t pieceSize)
{
    SseParser parser;
    std::vector<SseEvent> events;
    for (size_t i = 0; i < stream.size(); i += pieceSize)
        parser.feed(std::string_view(stream).substr(i, pieceSize), [&](const SseEvent& e) { events.push_back(e); });
    return events;
}

} // namespace

TEST(SseParser, ParsesDataEventCommentAndDone)
{
    const std::string stream = ": keep-alive\n\n"
                               "data: {\"a\":1}\n\n"
                               "event: message_start\r\ndata: first\r\ndata:second\r\nid: 7\r\n\r\n"
                               "data: [DONE]\n\n";
    auto events = parseInPieces(stream, stream.size());
    ASSERT_EQ(events.size(), 3u);
    EXPECT_EQ(events[0].data, "{\"a\":1}");
    EXPECT_TRUE(events[0].event.empty());
    EXPECT_EQ(events[1].event, "message_start");
    EXPECT_EQ(events[1].data, "first\nsecond"); // multi-line data joined with \n; no space after ':' is fine
    EXPECT_EQ(events[1].id, "7");
    EXPECT_TRUE(events[2].isDone());
    EXPECT_FALSE(events[0].isDone());
}

TEST(SseParser, SameEventsForEveryChunkSize)
{
    const std::string stream = "event: content_block_delta\r\n"
                               "data: {\"delta\":{\"text\":\"h\\u00e9llo\"}}\r\n\r\n"
                               ":comment line\n"
                               "data: line one\rdata: line two\r\r"
                               "data:  leading space kept after the first\n\n"
                               "data: [DONE]\n\n";
    const auto whole = parseInPieces(stream, stream.size());
    ASSERT_EQ(whole.size(), 4u);
    EXPECT_EQ(whole[1].data, "line one\nline two");
    EXPECT_EQ(whole[2].data, " leading space kept after the first");
    for (size_t piece = 1; piece < stream.size(); ++piece) {
        auto events = parseInPieces(stream, piece);
        ASSERT_EQ(events.size(), whole.size()) << "piece size " << piece;
        for (size_t i = 0; i < events.size(); ++i) {
            EXPECT_EQ(events[i].event, whole[i].event) << "piece size " << piece;
            EXPECT_EQ(events[i].data, whole[i].data) << "piece size " << piece;
        }
    }
}

TEST(SseParser, UnfinishedEventIsNotDispatched)
{
    SseParser parser;
    int count = 0;
    parser.feed("data: complete\n\ndata: partial\n", [&](const SseEvent&) { ++count; });
    EXPECT_EQ(count, 1);
    EXPECT_TRUE(parser.hasPartialEvent());
    parser.feed("\n", [&](const SseEvent&) { ++count; });
    EXPECT_EQ(count, 2);
    EXPECT_FALSE(parser.hasPartialEvent());
}

TEST(SseParser, EventWithoutDataIsIgnored)
{
    SseParser parser;
    std::vector<SseEvent> events;
    parser.feed("event: ping\n\ndata: x\n\n", [&](const SseEvent& e) { events.push_back(e); });
    ASSERT_EQ(events.size(), 1u);
    EXPECT_EQ(events[0].data, "x");
    EXPECT_TRUE(events[0].event.empty()); // the type of a dropped event does not leak into the next
}
