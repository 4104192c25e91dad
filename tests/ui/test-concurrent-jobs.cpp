// Several jobs at once in the real main window: a training run goes on while the user edits, undoes and imports
// golden examples and runs an A/B test to its end; the jobs panel lists them with progress and Cancel; the run ends
// with every metric step stored. Then closing the project during a run asks, cancels and closes.
#include <QAction>
#include <QLineEdit>
#include <QListWidget>
#include <QPointer>
#include <QSpinBox>
#include <QTableView>
#include <QTemporaryDir>
#include <QToolButton>
#include <QUndoStack>
#include <QtTest>

#include <atomic>
#include <chrono>
#include <thread>

#include "bridge/job_controller.h"
#include "bridge/path_conversion.h"
#include "dialogs/dialogs.h"
#include "event_loop_probe.h"
#include "examples/examples_model.h"
#include "examples/examples_page.h"
#include "examples/import_dialog.h"
#include "llm/endpoint_repository.h"
#include "main/jobs_panel.h"
#include "main/main_window.h"
#include "promptlab/prompt_lab_page.h"
#include "promptlab/prompt_repository.h"
#include "promptlab/run_panel.h"
#include "store/database.h"
#include "training/training_page.h"
#include "ui_test_support.h"

using ts::ui::Dialogs;
using ts::ui::MainWindow;

namespace {

// An HTTP-bound endpoint as the A/B job sees it: answers after a short wait, honouring cancel.
class SlowEchoProvider final : public ts::llm::Provider
{
public:
    std::atomic<int> calls {0};
    std::string describe() const override { return "slow echo"; }
    ts::llm::ChatOutcome chat(const std::vector<ts::llm::ChatMessage>& messages, const ts::llm::ChatParams&,
                              const ts::CancelToken& cancel, const ts::llm::DeltaCallback&) override
    {
        ++calls;
        for (int waited = 0; waited < 20; waited += 5) {
            if (cancel.stopRequested())
                return ts::llm::ChatError {ts::llm::ChatErrorKind::Cancelled, "cancelled"};
            std::this_thread::sleep_for(std::chrono::milliseconds(5));
        }
        ts::llm::ChatResult r;
        r.text = "echo: " + messages.back().content;
        r.usage = {10, 3};
        return r;
    }
};

int64_t countRows(ts::Project& project, const std::string& sql, int64_t arg)
{
    auto reader = project.openReader();
    if (!reader)
        return -1;
    auto stmt = reader->prepare(sql);
    if (!stmt)
        return -1;
    stmt->bind(1, arg);
    auto row = stmt->step();
    return row && *row ? stmt->columnInt(0) : -1;
}

} // namespace

class TestConcurrentJobs final : public QObject
{
    Q_OBJECT

private slots:
    void initTestCase();
    void init();
    void cleanup();

    void trainingGoesOnWhileTheUserEditsImportsAndRunsAnAbTest();
    void closingDuringARunAsksCancelsAndCloses();
    void aLargeImportLeavesTheWindowResponsive();

private:
    QString path(const char* name) const { return m_dir->filePath(QLatin1String(name)); }
    QString makeProjectWithModel();
    // Fills the training page for a run of `steps` small steps on the test's tiny model.
    void setUpRun(int steps);
    template <typename T> T* child(const char* name) const
    {
        T* widget = m_window->findChild<T*>(QLatin1String(name));
        if (!widget)
            qWarning("no child %s", name);
        return widget;
    }

    std::unique_ptr<QTemporaryDir> m_dir;
    std::unique_ptr<MainWindow> m_window;
    std::shared_ptr<SlowEchoProvider> m_provider;
    QString m_modelDir;
};

void TestConcurrentJobs::initTestCase()
{
    ts::test::initUiTesting();
}

void TestConcurrentJobs::init()
{
    Dialogs::clear();
    m_dir = std::make_unique<QTemporaryDir>();
    QVERIFY(m_dir->isValid());
    const QString file = makeProjectWithModel();
    QVERIFY(!file.isEmpty());
    m_window = std::make_unique<MainWindow>();
    m_window->resize(1280, 800);
    QVERIFY(m_window->openProject(file));
    m_provider = std::make_shared<SlowEchoProvider>();
    auto provider = m_provider;
    m_window->promptLabPage()->setProviderFactoryForTesting(
        [provider](const ts::Endpoint&) -> ts::Expected<std::shared_ptr<ts::llm::Provider>> {
            return std::shared_ptr<ts::llm::Provider>(provider);
        });
    m_window->show();
    QVERIFY(QTest::qWaitForWindowExposed(m_window.get()));
}

void TestConcurrentJobs::cleanup()
{
    m_window.reset(); // stops any job before the project closes
    m_dir.reset();
}

QString TestConcurrentJobs::makeProjectWithModel()
{
    m_modelDir = ts::test::makeTinyLlama(path("tiny-model"), 11);
    if (m_modelDir.isEmpty())
        return {};
    const QString file = path("busy.tunesmith");
    auto project = ts::test::createProject(file);
    if (!project)
        return {};
    std::vector<ts::Example> rows;
    for (int k = 1; k <= 6; ++k)
        rows.push_back(ts::test::makeExample("What is " + std::to_string(k) + " + " + std::to_string(k) + "?",
                                             std::to_string(2 * k), ts::Split::Train));
    for (int k = 7; k <= 10; ++k)
        rows.push_back(ts::test::makeExample("What is " + std::to_string(k) + " + " + std::to_string(k) + "?",
                                             std::to_string(2 * k), ts::Split::Eval));
    ts::test::insertExamples(*project, rows);
    auto lock = project->writeLock();
    ts::Endpoint endpoint;
    endpoint.name = "remote";
    endpoint.provider.kind = ts::llm::ProviderKind::OpenAiCompatible;
    endpoint.provider.baseUrl = "http://127.0.0.1:9/v1";
    endpoint.provider.model = "echo";
    if (!ts::EndpointRepository(project->writer()).save(endpoint).ok())
        return {};
    ts::PromptRepository prompts(project->writer());
    ts::promptlab::PromptVariant terse;
    terse.role = "Answer with the number only.";
    terse.endpoint = "remote";
    ts::promptlab::PromptVariant wordy = terse;
    wordy.role = "Explain, then answer.";
    if (!prompts.save("terse", terse).ok() || !prompts.save("wordy", wordy).ok())
        return {};
    return file;
}

void TestConcurrentJobs::setUpRun(int steps)
{
    QVERIFY(ts::test::setUpTinyTrainingRun(*m_window->trainingPage(), m_modelDir, steps, /*evalEvery=*/0,
                                           /*threads=*/1));
}

void TestConcurrentJobs::trainingGoesOnWhileTheUserEditsImportsAndRunsAnAbTest()
{
    ts::ui::JobController* jobs = m_window->jobController();
    ts::ui::TrainingPage* training = m_window->trainingPage();
    ts::ui::ExamplesPage* examples = m_window->examplesPage();
    ts::ui::PromptLabPage* lab = m_window->promptLabPage();
    ts::Project& project = *m_window->project();

    // 1. A training run starts (long enough to outlast what follows: the test checks that it still runs).
    constexpr int kSteps = 600;
    setUpRun(kSteps);
    QVERIFY(training->startTraining());
    QVERIFY(training->isTraining());
    QTRY_VERIFY_WITH_TIMEOUT(jobs->jobs().size() == 1 && jobs->jobs().front().state == ts::JobState::Running, 30000);

    // 2. The examples stay editable: an edit is stored, undone and redone with the keyboard's actions.
    m_window->sidebar()->setCurrentRow(MainWindow::ExamplesPageIndex);
    ts::ui::ExamplesModel* model = examples->model();
    QVERIFY(model->flags(model->index(0, ts::ui::ExamplesModel::OutputColumn)) & Qt::ItemIsEditable);
    const QModelIndex cell = model->index(0, ts::ui::ExamplesModel::OutputColumn);
    const int64_t id = model->idAt(0);
    const std::string original = ts::test::readFresh(project, id)->output();
    QVERIFY(model->setData(cell, QStringLiteral("edited during training")));
    QCOMPARE(ts::test::readFresh(project, id)->output(), std::string("edited during training"));
    QAction* undo = child<QAction>("undoAction");
    QVERIFY(undo->isEnabled());
    undo->trigger();
    QCOMPARE(ts::test::readFresh(project, id)->output(), original);
    child<QAction>("redoAction")->trigger();
    QCOMPARE(ts::test::readFresh(project, id)->output(), std::string("edited during training"));
    QVERIFY(child<QAction>("saveAsAction")->isEnabled());

    // 3. An import runs as a second job next to the training run.
    const QString file = path("more.jsonl");
    QByteArray lines;
    for (int k = 0; k < 50; ++k)
        lines += QStringLiteral(
                     R"({"messages":[{"role":"user","content":"extra %1"},{"role":"assistant","content":"x"}]})"
                     "\n")
                     .arg(k)
                     .toUtf8();
    ts::test::writeText(file, lines);
    const int64_t before = ts::test::countFresh(project);
    QPointer<ts::ui::ImportDialog> dialog = examples->showImportDialog(file);
    QVERIFY(dialog);
    QVERIFY(dialog->startImport());
    QTRY_VERIFY_WITH_TIMEOUT(!dialog || !dialog->isRunning(), 30000);
    QCOMPARE(ts::test::countFresh(project), before + 50);
    QVERIFY2(training->isTraining(), "the training run ended before the import: raise kSteps");
    if (dialog)
        dialog->accept();
    QVERIFY2(undo->text().contains(QStringLiteral("Import")), qPrintable(undo->text()));
    undo->trigger(); // the import is one undoable step
    QTRY_COMPARE(ts::test::countFresh(project), before);

    // 4. An A/B test over HTTP runs to its end while the training run goes on; the jobs panel lists both.
    m_window->sidebar()->setCurrentRow(MainWindow::PromptLabPageIndex);
    QVERIFY(lab->startAction()->isEnabled());
    lab->startAction()->trigger();
    QVERIFY(lab->isRunning());
    QTRY_VERIFY(jobs->activeCount() == 2);
    auto* button = child<QToolButton>("jobsButton");
    QVERIFY(button->isVisible());
    QCOMPARE(button->text(), QStringLiteral("2 jobs running"));
    button->click();
    auto* panel = m_window->findChild<ts::ui::JobsPanel*>(QStringLiteral("jobsPanel"));
    QVERIFY(panel && panel->isVisible());
    int cancelButtons = 0;
    for (const ts::ui::JobView& job : jobs->jobs())
        if (ts::isActive(job.state))
            cancelButtons += panel->findChild<QToolButton*>(QStringLiteral("cancelJob%1").arg(job.id)) ? 1 : 0;
    QCOMPARE(cancelButtons, 2);
    panel->hide();
    QTRY_VERIFY_WITH_TIMEOUT(!lab->isRunning(), 60000);
    QVERIFY2(lab->messageText().startsWith(QStringLiteral("Finished")), qPrintable(lab->messageText()));
    QVERIFY2(training->isTraining(), "the training run ended before the A/B test: raise kSteps");
    QCOMPARE(m_provider->calls.load(), 2 * 4); // two variants × four eval rows

    // 5. The training run finishes with every step's metrics; its live plots are in view meanwhile.
    m_window->sidebar()->setCurrentRow(MainWindow::TrainingPageIndex);
    ts::test::EventLoopProbe probe;
    probe.start();
    QTRY_VERIFY_WITH_TIMEOUT(!training->isTraining(), 240000);
    probe.stop();
    qInfo("event-loop stalls while training with the live plots in view: %s; %s", qPrintable(probe.describe()),
          qPrintable(probe.describeBusy()));
    // The issue's bounds (max 50 ms, p99 16 ms) on the GUI thread's own work between two ticks. The stalls also hold
    // the time the thread waits for a core, which on a shared 2-core machine with the training thread on one of them
    // reaches 100+ ms with no GUI work at all, so they are printed, not bounded. Before the charts drew their lines as
    // segments the busy time reached 18-32 ms (p99 14-21 ms); since, 7-13 ms (p99 3-4.5 ms).
    QVERIFY2(probe.maxBusyMs() < 50.0, qPrintable(probe.describeBusy()));
    QVERIFY2(probe.percentileBusyMs(99) < 16.0, qPrintable(probe.describeBusy()));
    QVERIFY2(training->messageText().startsWith(QStringLiteral("Training finished")),
             qPrintable(training->messageText()));
    const int64_t runId = training->activeRunId();
    QVERIFY(runId > 0);
    QCOMPARE(
        countRows(project, "SELECT COUNT(DISTINCT step) FROM metrics WHERE run_id = ? AND name = 'train/loss'", runId),
        int64_t(kSteps));
}

void TestConcurrentJobs::closingDuringARunAsksCancelsAndCloses()
{
    setUpRun(100000);
    ts::ui::TrainingPage* training = m_window->trainingPage();
    QVERIFY(training->startTraining());
    QTRY_VERIFY_WITH_TIMEOUT(m_window->jobController()->jobs().front().state == ts::JobState::Running
                                 && m_window->jobController()->jobs().front().done > 0,
                             60000);
    // "No" keeps the project and the run.
    Dialogs::setNextAnswer(QMessageBox::No);
    QVERIFY(!m_window->closeProject());
    QVERIFY(training->isTraining());
    QVERIFY(Dialogs::lastMessage().contains(QStringLiteral("still running")));
    // "Yes" cancels (a checkpoint is kept for Resume) and closes.
    Dialogs::setNextAnswer(QMessageBox::Yes);
    QElapsedTimer closing;
    closing.start();
    QVERIFY(m_window->closeProject());
    qInfo("closing during a training step took %lld ms", static_cast<long long>(closing.elapsed()));
    QVERIFY(m_window->project() == nullptr);
    QCOMPARE(m_window->jobController()->activeCount(), 0);
}

// A large file imported through the dialog: parsing and saving run on the job's thread, the examples table takes the
// new rows at the end. Rows: TS_IMPORT_ROWS (default 20,000; the issue's measurement uses 100,000).
void TestConcurrentJobs::aLargeImportLeavesTheWindowResponsive()
{
    const int rows
        = qEnvironmentVariableIsSet("TS_IMPORT_ROWS") ? qEnvironmentVariableIntValue("TS_IMPORT_ROWS") : 20000;
    QVERIFY(rows > 0);
    const QString file = path("large.jsonl");
    QByteArray lines;
    lines.reserve(rows * 110);
    for (int k = 0; k < rows; ++k)
        lines += QStringLiteral(R"({"messages":[{"role":"user","content":"question number %1"},)"
                                R"({"role":"assistant","content":"answer number %1"}]})"
                                "\n")
                     .arg(k)
                     .toUtf8();
    ts::test::writeText(file, lines);
    ts::Project& project = *m_window->project();
    const int64_t before = ts::test::countFresh(project);
    m_window->sidebar()->setCurrentRow(MainWindow::ExamplesPageIndex);
    QPointer<ts::ui::ImportDialog> dialog = m_window->examplesPage()->showImportDialog(file);
    QVERIFY(dialog);
    ts::test::EventLoopProbe probe;
    probe.start();
    QVERIFY(dialog->startImport());
    QTRY_VERIFY_WITH_TIMEOUT(!dialog || !dialog->isRunning(), 300000);
    QTRY_COMPARE(qint64(m_window->examplesPage()->model()->totalCount()), qint64(before + rows));
    probe.stop();
    qInfo("event-loop stalls during a %d-row import: %s", rows, qPrintable(probe.describe()));
    QCOMPARE(ts::test::countFresh(project), before + rows);
    if (dialog)
        dialog->accept();
}

QTEST_MAIN(TestConcurrentJobs)
#include "test-concurrent-jobs.moc"
