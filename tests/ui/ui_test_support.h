// Shared helpers for the UI tests: real project files in temporary folders, example builders, fresh reads.
#pragma once

#include <memory>
#include <optional>
#include <string>
#include <vector>

#include <QString>

#include "data/formats.h"
#include "store/example.h"
#include "store/project.h"

namespace ts::test {

// Testing mode for the dialog seam, isolated QSettings/QStandardPaths, application names.
void initUiTesting();
QString sourceDir();
QString demoDataFile(); // resources/demo/claims.jsonl

std::unique_ptr<ts::Project> createProject(const QString& path);
ts::Example makeExample(const std::string& input, const std::string& output, ts::Split split = ts::Split::Train,
                        std::vector<std::string> tags = {});
// Inserts in one transaction; assigns ids.
void insertExamples(ts::Project& project, std::vector<ts::Example>& examples);
// A read through a new read-only connection, independent of any model cache.
std::optional<ts::Example> readFresh(ts::Project& project, int64_t id);
int64_t countFresh(ts::Project& project);
// Imports a dataset file with ImportJob on the calling thread; returns the imported ids.
std::vector<int64_t> importFile(ts::Project& project, const QString& file,
                                ts::DataFormat format = ts::DataFormat::OpenAiJsonl);
void writeText(const QString& path, const QByteArray& text);

} // namespace ts::test
