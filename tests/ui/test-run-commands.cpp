// "Copy as command" (issue 12, gap 19) and run names and forms per project (defect 10): the command a page copies,
// run through the real tunesmith-cli with --dry-run, resolves to the very settings the page would run with; automatic
// run names are unique within a project; a project opened after another starts from fresh forms.
#include <QApplication>
#include <QCheckBox>
#include <QClipboard>
#include <QComboBox>
#include <QDoubleSpinBox>
#include <QFileInfo>
#include <QJsonDocument>
#include <QLineEdit>
#include <QProcess>
#include <QPushButton>
#include <QSpinBox>
#include <QTemporaryDir>
#include <QtTest>

#include <nlohmann/json.hpp>

#include "bridge/job_controller.h"
#include "bridge/path_conversion.h"
#include "bridge/run_names.h"
#include "commands/shell_command.h"
#include "commands/train_command_line.h"
#include "main/main_window.h"
#include "promptlab/ab_test_config.h"
#include "promptlab/prompt_lab_page.h"
#include "promptlab/prompt_repository.h"
#include "promptlab/run_panel.h"
#include "store/run_repository.h"
#include "train/train_config_json.h"
#include "training/model_picker.h"
#include "training/runs_model.h"
#include "training/train_settings_form.h"
#include "training/training_page.h"
#include "ui_test_support.h"

using ts::ui::RunPanel;
using ts::ui::TrainingPage;

namespace {

// Runs `commandLine` (as copied: it starts with "tunesmith-cli") in /bin/sh with the built CLI first on PATH, plus
// `extra`; returns its stdout parsed as JSON (null when it failed).
nlohmann::json runInShell(const QString& commandLine, const QString& extra)
{
    QProcess shell;
    QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
    env.insert(QStringLiteral("PATH"),
               QFileInfo(QStringLiteral(TUNESMITH_CLI)).absolutePath() + QLatin1Char(':') + env.value("PATH"));
    shell.setProcessEnvironment(env);
    shell.start(QStringLiteral("/bin/sh"), {QStringLiteral("-c"), commandLine + QLatin1Char(' ') + extra});
    if (!shell.waitForFinished(60000) || shell.exitCode() != 0) {
        qWarning("the command failed (%d): %s\n%s", shell.exitCode(), qPrintable(commandLine),
                 shell.readAllStandardError().constData());
        return nullptr;
    }
    return nlohmann::json::parse(shell.readAllStandardOutput().toStdString(), nullptr, false);
}

void savePrompt(ts::Project& project, const std::string& name, const std::string& instructions)
{
    auto variant = ts::promptlab::variantFromJson({{"role", "a claims clerk"}, {"instructions", instructions}});
    QVERIFY(variant.ok());
    QVERIFY(ts::PromptRepository(project.writer()).save(name, *variant).ok());
}

} // namespace

class TestRunCommands : public QObject
{
    Q_OBJECT

private slots:
    void initTestCase();
    void init();
    void cleanup();

    void shellQuotingSurvivesTheShell();
    void runNamesAreUniqueWithinAProject();
    void trainingCommandResolvesToTheFormsSettings();
    void trainingCommandOfAListedRunRepeatsItsSettings();
    void abCommandResolvesToTheFormsSettings();
    void abRunsWithoutANameGetDistinctNames();
    void trainingRunsWithoutANameGetDistinctNames();
    void anotherProjectStartsFromFreshForms();

private:
    QString path(const QString& name) const { return m_dir->filePath(name); }

    std::unique_ptr<QTemporaryDir> m_dir;
};

void TestRunCommands::initTestCase()
{
    ts::test::initUiTesting();
}

void TestRunCommands::init()
{
    // A folder name a shell would split and a quote that naive quoting breaks on.
    m_dir = std::make_unique<QTemporaryDir>(QDir::tempPath() + QStringLiteral("/run commands it's-XXXXXX"));
    QVERIFY(m_dir->isValid());
}

void TestRunCommands::cleanup()
{
    m_dir.reset();
}

void TestRunCommands::shellQuotingSurvivesTheShell()
{
    QCOMPARE(ts::ui::shellQuoted(QStringLiteral("plain/path-1.tunesmith")), QStringLiteral("plain/path-1.tunesmith"));
    QCOMPARE(ts::ui::shellQuoted(QStringLiteral("a b")), QStringLiteral("'a b'"));
    QCOMPARE(ts::ui::shellQuoted(QString()), QStringLiteral("''"));
    QCOMPARE(ts::ui::exactNumberText(0.0002), QStringLiteral("0.0002"));
    QCOMPARE(ts::ui::exactNumberText(1e-8), QStringLiteral("1e-08"));
    QCOMPARE(ts::ui::exactNumberText(0.1 + 0.2).toDouble(), 0.1 + 0.2); // every digit it needs
    const QStringList words {QStringLiteral("it's"), QStringLiteral("$HOME `x` \"y\""), QStringLiteral("run 3 · ß")};
    QProcess shell;
    shell.start(QStringLiteral("/bin/sh"),
                {QStringLiteral("-c"), QStringLiteral("printf '%s\\n' ") + ts::ui::shellCommandLine(words)});
    QVERIFY(shell.waitForFinished(10000));
    QCOMPARE(QString::fromUtf8(shell.readAllStandardOutput()), words.join(QLatin1Char('\n')) + QLatin1Char('\n'));
}

void TestRunCommands::runNamesAreUniqueWithinAProject()
{
    const QStringList taken {QStringLiteral("run 1 · small-fast"), QStringLiteral("mine"), QStringLiteral("mine (2)")};
    QCOMPARE(ts::ui::newRunName({}, QStringLiteral("run"), QStringLiteral("small-fast"), 0, taken),
             QStringLiteral("run 2 · small-fast"));
    QCOMPARE(ts::ui::newRunName(QStringLiteral("  mine "), QStringLiteral("run"), {}, 3, taken),
             QStringLiteral("mine (3)"));
    QCOMPARE(ts::ui::newRunName(QStringLiteral("fresh"), QStringLiteral("run"), {}, 3, taken), QStringLiteral("fresh"));
    QCOMPARE(ts::ui::automaticRunName(QStringLiteral("ab"), {}, 4, {}), QStringLiteral("ab 5"));
}

void TestRunCommands::trainingCommandResolvesToTheFormsSettings()
{
    auto project = ts::test::createProject(path(QStringLiteral("claims.tunesmith")));
    ts::ui::JobController jobs;
    TrainingPage page(jobs);
    page.setProject(project.get());
    const QString modelDir = ts::test::makeTinyLlama(path(QStringLiteral("base model")));
    QVERIFY(!modelDir.isEmpty());
    page.modelPicker()->setModelDir(modelDir);
    QVERIFY(page.settingsForm()->applyPreset(QStringLiteral("small-fast")));
    auto config = page.settingsForm()->config();
    QVERIFY(config);
    // Settings off every default: numbers that need exact digits, a list, booleans both ways, text.
    config->maxSteps = 7;
    config->learningRate = 3.3e-4;
    config->adamBeta1 = 0.85;
    config->adamEps = 1e-7;
    config->lora.targetModules = {"q_proj", "v_proj"};
    config->lora.useRsLora = true;
    config->packing = true;
    config->gradientCheckpointing = false;
    config->overLong = ts::OverLongPolicy::Drop;
    config->seed = 1234;
    config->device = "cpu";
    page.settingsForm()->setConfig(*config);
    page.findChild<QLineEdit*>(QStringLiteral("runNameEdit"))->setText(QStringLiteral("Claims' \"first\" try"));

    auto* copy = page.findChild<QPushButton*>(QStringLiteral("copyTrainCommandButton"));
    QVERIFY(copy);
    QApplication::clipboard()->clear();
    copy->click();
    const QString command = QApplication::clipboard()->text();
    QVERIFY2(command.startsWith(QStringLiteral("tunesmith-cli train --project ")), qPrintable(command));
    const auto resolved = runInShell(command, QStringLiteral("--dry-run"));
    QVERIFY(resolved.is_object());
    QCOMPARE(resolved.at("project").get<std::string>(), project->path().string());
    QCOMPARE(resolved.at("model").get<std::string>(), modelDir.toStdString());
    QCOMPARE(resolved.at("name").get<std::string>(), std::string("Claims' \"first\" try"));
    const auto formConfig = page.settingsForm()->config();
    QVERIFY(formConfig);
    QCOMPARE(QString::fromStdString(resolved.at("config").dump()),
             QString::fromStdString(ts::trainConfigToJson(*formConfig).dump()));
    page.setProject(nullptr);
}

void TestRunCommands::trainingCommandOfAListedRunRepeatsItsSettings()
{
    auto project = ts::test::createProject(path(QStringLiteral("listed.tunesmith")));
    ts::TrainConfig stored;
    stored.maxSteps = 3;
    stored.weightDecay = 0.01;
    ts::Run run;
    run.kind = "train";
    run.name = "night run";
    run.status = ts::RunStatus::Cancelled;
    run.config = nlohmann::json {{"model_dir", "/models/small one"}, {"train", ts::trainConfigToJson(stored)}}.dump();
    QVERIFY(ts::RunRepository(project->writer()).create(run).ok());

    ts::ui::JobController jobs;
    TrainingPage page(jobs);
    page.setProject(project.get());
    page.setPageActive(true);
    QTRY_COMPARE(page.runsModel()->rowCount(), 1);
    const QString again = page.copyRunCommand(run.id);
    QCOMPARE(QApplication::clipboard()->text(), again);
    const auto resolved = runInShell(again, QStringLiteral("--dry-run"));
    QVERIFY(resolved.is_object());
    QCOMPARE(resolved.at("model").get<std::string>(), std::string("/models/small one"));
    QCOMPARE(resolved.at("name").get<std::string>(), std::string("night run (2)")); // not the same name twice
    QCOMPARE(QString::fromStdString(resolved.at("config").dump()),
             QString::fromStdString(ts::trainConfigToJson(stored).dump()));
    const QString resume = page.copyRunCommand(run.id, /*resume=*/true);
    const auto resumed = runInShell(resume, QStringLiteral("--dry-run"));
    QVERIFY(resumed.is_object());
    QCOMPARE(resumed.at("resume").get<int64_t>(), run.id);
    page.setProject(nullptr);
}

void TestRunCommands::abCommandResolvesToTheFormsSettings()
{
    auto project = ts::test::createProject(path(QStringLiteral("ab.tunesmith")));
    savePrompt(*project, "terse", "Answer in one line.");
    savePrompt(*project, "fields", "Fill every field.");
    RunPanel panel;
    panel.setProject(project.get());
    panel.splitCombo()->setCurrentIndex(panel.splitCombo()->findText(QStringLiteral("test")));
    panel.limitSpin()->setValue(5);
    panel.repeatsSpin()->setValue(3);
    panel.seedSpin()->setValue(9);
    panel.concurrencySpin()->setValue(2);
    panel.spendCapCheck()->setChecked(true);
    panel.spendCapSpin()->setValue(2.5);
    QApplication::clipboard()->clear();
    panel.copyCommandButton()->click();
    const QString command = QApplication::clipboard()->text();
    QVERIFY2(command.startsWith(QStringLiteral("tunesmith-cli ab --project ")), qPrintable(command));
    const auto resolved = runInShell(command, QStringLiteral("--dry-run"));
    QVERIFY(resolved.is_object());
    QCOMPARE(resolved.at("project").get<std::string>(), project->path().string());
    QCOMPARE(resolved.at("name").get<std::string>(), std::string("ab 1 · fields vs terse"));
    const auto config = panel.config();
    QVERIFY(config);
    QCOMPARE(QString::fromStdString(resolved.at("config").dump()),
             QString::fromStdString(ts::promptlab::abTestConfigToJson(*config).dump()));
    panel.setProject(nullptr);
}

void TestRunCommands::abRunsWithoutANameGetDistinctNames()
{
    auto project = ts::test::createProject(path(QStringLiteral("names.tunesmith")));
    savePrompt(*project, "terse", "Answer in one line.");
    RunPanel panel;
    panel.setProject(project.get());
    const auto config = panel.config();
    QVERIFY(config);
    const QString first = panel.takeRunName(*config);
    const QString second = panel.takeRunName(*config);
    QCOMPARE(first, QStringLiteral("ab 1 · terse"));
    QCOMPARE(second, QStringLiteral("ab 2 · terse"));
    panel.runNameEdit()->setText(QStringLiteral("baseline"));
    QCOMPARE(panel.takeRunName(*config), QStringLiteral("baseline"));
    QCOMPARE(panel.takeRunName(*config), QStringLiteral("baseline (2)"));
    panel.setProject(nullptr);
}

void TestRunCommands::trainingRunsWithoutANameGetDistinctNames()
{
    auto project = ts::test::createProject(path(QStringLiteral("train-names.tunesmith")));
    std::vector<ts::Example> examples;
    for (int i = 0; i < 6; ++i)
        examples.push_back(ts::test::makeExample("claim " + std::to_string(i), "{\"id\": " + std::to_string(i) + "}",
                                                 i < 4 ? ts::Split::Train : ts::Split::Eval));
    ts::test::insertExamples(*project, examples);
    ts::ui::JobController jobs;
    TrainingPage page(jobs);
    page.setProject(project.get());
    page.setPageActive(true);
    const QString modelDir = ts::test::makeTinyLlama(path(QStringLiteral("model")));
    QVERIFY(!modelDir.isEmpty());
    QVERIFY(ts::test::setUpTinyTrainingRun(page, modelDir, /*steps=*/1, /*evalEvery=*/0, /*threads=*/1));
    for (int i = 0; i < 2; ++i) {
        QSignalSpy finished(&page, &TrainingPage::trainingFinished);
        QVERIFY(page.startTraining());
        QVERIFY(finished.wait(120000));
        QVERIFY(finished.front().at(0).toBool());
    }
    auto runs = ts::RunRepository(project->writer()).list("train");
    QVERIFY(runs.ok());
    QCOMPARE(runs->size(), size_t {2});
    QStringList names;
    for (const ts::Run& run : *runs)
        names << QString::fromStdString(run.name);
    names.sort();
    QCOMPARE(names, (QStringList {QStringLiteral("run 1 · custom"), QStringLiteral("run 2 · custom")}));
    page.setProject(nullptr);
}

void TestRunCommands::anotherProjectStartsFromFreshForms()
{
    auto a = ts::test::createProject(path(QStringLiteral("a.tunesmith")));
    savePrompt(*a, "terse", "Answer in one line.");
    a.reset();
    ts::test::createProject(path(QStringLiteral("b.tunesmith"))).reset();

    ts::ui::MainWindow window;
    QVERIFY(window.openProject(path(QStringLiteral("a.tunesmith"))));
    RunPanel* panel = window.promptLabPage()->runPanel();
    TrainingPage* training = window.trainingPage();
    const ts::promptlab::AbTestConfig defaults;
    const QString freshPreset = training->settingsForm()->presetName();
    const auto freshTraining = training->settingsForm()->config();
    QVERIFY(freshTraining);
    panel->limitSpin()->setValue(3);
    panel->repeatsSpin()->setValue(4);
    panel->seedSpin()->setValue(77);
    panel->spendCapCheck()->setChecked(true);
    panel->runNameEdit()->setText(QStringLiteral("A's run"));
    training->findChild<QLineEdit*>(QStringLiteral("runNameEdit"))->setText(QStringLiteral("A's training"));
    auto changed = *freshTraining;
    changed.maxSteps = 11;
    training->settingsForm()->setConfig(changed);
    ts::test::saveScreenshot(&window, QStringLiteral("run-commands-project-a"));

    QVERIFY(window.openProject(path(QStringLiteral("b.tunesmith"))));
    QCOMPARE(panel->limitSpin()->value(), 0);
    QCOMPARE(panel->repeatsSpin()->value(), defaults.repeats);
    QCOMPARE(panel->seedSpin()->value(), static_cast<int>(defaults.seed));
    QVERIFY(!panel->spendCapCheck()->isChecked());
    QVERIFY(panel->runNameEdit()->text().isEmpty());
    QVERIFY(training->findChild<QLineEdit*>(QStringLiteral("runNameEdit"))->text().isEmpty());
    const auto reset = training->settingsForm()->config();
    QVERIFY(reset);
    QCOMPARE(ts::trainConfigToJson(*reset).dump(), ts::trainConfigToJson(*freshTraining).dump());
    QCOMPARE(training->settingsForm()->presetName(), freshPreset);
    ts::test::saveScreenshot(&window, QStringLiteral("run-commands-project-b"));
}

QTEST_MAIN(TestRunCommands)
#include "test-run-commands.moc"
