// core/ must never include a Qt header: it has to build and test on machines without Qt.
#include <filesystem>
#include <fstream>
#include <regex>
#include <string>

#include <gtest/gtest.h>

TEST(CoreIsQtFree, NoQtIncludeUnderCore)
{
    const std::filesystem::path core = std::filesystem::path(TUNESMITH_SOURCE_DIR) / "core";
    const std::regex qtInclude(R"(^\s*#\s*include\s*[<"](Q[A-Za-z]|qt[a-z]*/))");
    int filesChecked = 0;
    for (const auto& entry : std::filesystem::recursive_directory_iterator(core)) {
        if (!entry.is_regular_file())
            continue;
        const auto ext = entry.path().extension();
        if (ext != ".h" && ext != ".cpp" && ext != ".cu" && ext != ".cuh")
            continue;
        ++filesChecked;
        std::ifstream in(entry.path());
        std::string line;
        int lineNo = 0;
        while (std::getline(in, line)) {
            ++lineNo;
            EXPECT_FALSE(std::regex_search(line, qtInclude)) << entry.path() << ":" << lineNo << ": " << line;
        }
    }
    EXPECT_GT(filesChecked, 5);
}
