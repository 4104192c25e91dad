// The Synthetic data page in the main window, against a scripted OpenAI-compatible teacher served over real loopback
// HTTP: the form by objectName, the estimate, a run to its end with the funnel matching the project file, a cancel
// mid-run and its resume (every planned slot stored exactly once), and the page fitting a small laptop screen.
#include <QCheckBox>
#include <QComboBox>
#include <QDoubleSpinBox>
#include <QLabel>
#include <QListWidget>
#include <QPlainTextEdit>
#include <QPushButton>
#include <QSpinBox>
#include <QTemporaryDir>
#include <QTreeWidget>
#include <QtTest>

#include <condition_variable>
#include <mutex>
#include <random>
#include <set>

#include <nlohmann/json.hpp>

#include "../core/fault_http_server.h"
#include "bridge/path_conversion.h"
#include "dialogs/dialogs.h"
#include "llm/endpoint_repository.h"
#include "main/main_window.h"
#include "promptlab/api_key_store.h"
#include "store/run_repository.h"
#include "synth/evol_templates_dialog.h"
#include "synth/evolve_feed.h"
#include "synth/funnel_chart.h"
#include "synth/synthetic_page.h"
#include "synth/synthetic_row_repository.h"
#include "ui_test_support.h"

using ts::ui::MainWindow;
using ts::ui::SyntheticPage;

namespace {

// The teacher: a new instruction for a rewrite prompt, "Not Equal" for the information-gain check, "Rating: [[8]]"
// for the judge, an answer in the seeds' JSON form for anything else. Texts are random words so that no two rows are near duplicates. While
// the gate is closed, requests after the first `openFor` wait for it (a run paused mid-way, to cancel it).
class ScriptedTeacher
{
public:
    explicit ScriptedTeacher(tstest::FaultHttpServer& server)
    {
        server.setResponder([this](const tstest::RecordedRequest& request) { return answer(request); });
    }
    ~ScriptedTeacher() { open(); }

    void closeAfter(int requests)
    {
        std::lock_guard lock(m_mutex);
        m_openFor = requests;
    }
    void open()
    {
        {
            std::lock_guard lock(m_mutex);
            m_openFor = -1;
        }
        m_opened.notify_all();
    }
    int waiting() const
    {
        std::lock_guard lock(m_mutex);
        return m_waiting;
    }

private:
    std::optional<tstest::ScriptedResponse> answer(const tstest::RecordedRequest& request)
    {
        std::string text;
        {
            std::unique_lock lock(m_mutex);
            ++m_seen;
            if (m_openFor >= 0 && m_seen > m_openFor) {
                ++m_waiting;
                m_opened.wait(lock, [this] { return m_openFor < 0; });
                --m_waiting;
            }
            const auto body = nlohmann::json::parse(request.body, nullptr, false);
            std::string prompt;
            if (body.is_object() && body.contains("messages"))
                for (const auto& m : body["messages"])
                    if (m.contains("content") && m["content"].is_string())
                        prompt += m["content"].get<std::string>() + "\n";
            if (prompt.find("Rating: [[") != std::string::npos)
                text = "The answer is fine. Rating: [[8]]";
            else if (prompt.find("Equal or Not Equal") != std::string::npos)
                text = "Not Equal";
            else if (prompt.find("You rewrite instructions") != std::string::npos)
                text = "Explain " + words(14) + " in three steps?";
            else
                text = nlohmann::json {{"type", "claim"}, {"summary", words(18)}}.dump(); // the seeds' JSON form
        }
        const nlohmann::json reply {
            {"choices",
             {{{"index", 0}, {"message", {{"role", "assistant"}, {"content", text}}}, {"finish_reason", "stop"}}}},
            {"usage", {{"prompt_tokens", 40}, {"completion_tokens", 20}}}};
        return tstest::ScriptedResponse::json(200, reply.dump());
    }

    // `n` words of a 400-word vocabulary (called with the lock held).
    std::string words(int n)
    {
        std::string out;
        std::uniform_int_distribution<int> pick(0, 399);
        for (int i = 0; i < n; ++i) {
            const int w = pick(m_rng);
            out += (i ? " " : "") + std::string(1, char('a' + w % 26)) + std::string(1, char('a' + w / 26 % 26)) + "zo"
                + std::to_string(w);
        }
        return out;
    }

    mutable std::mutex m_mutex;
    std::condition_variable m_opened;
    std::mt19937 m_rng {42};
    int m_seen = 0;
    int m_openFor = -1;
    int m_waiting = 0;
};

template <typename T> T* child(QWidget* parent, const char* name)
{
    T* found = parent->findChild<T*>(QString::fromLatin1(name));
    if (!found)
        qWarning("no %s named %s", T::staticMetaObject.className(), name);
    return found;
}

} // namespace

class TestSyntheticPage : public QObject
{
    Q_OBJECT

private slots:
    void initTestCase();
    void init();
    void cleanup();
    void runsToTheEndWithTheFunnelOfTheProjectFile();
    void cancelMidRunThenResumeStoresEverySlotOnce();
    void templatesDialogSavesANewVersion();
    void fitsASmallLaptopScreen();

private:
    void openProjectWithTeacher();
    void fillForm(int target, int rounds, int concurrency);
    ts::synth::SyntheticFunnel funnelInFile(int64_t runId);

    std::unique_ptr<QTemporaryDir> m_dir;
    std::unique_ptr<tstest::FaultHttpServer> m_server;
    std::unique_ptr<ScriptedTeacher> m_teacher;
    std::unique_ptr<MainWindow> m_window;
    SyntheticPage* m_page = nullptr;
};

void TestSyntheticPage::initTestCase()
{
    ts::test::initUiTesting();
    ts::ui::ApiKeyStore::setKeychainEnabled(false);
    qputenv("TS_SYNTH_TEACHER_KEY", "sk-teacher-test");
}

void TestSyntheticPage::init()
{
    ts::ui::Dialogs::clear();
    m_dir = std::make_unique<QTemporaryDir>();
    QVERIFY(m_dir->isValid());
    m_server = std::make_unique<tstest::FaultHttpServer>();
    m_teacher = std::make_unique<ScriptedTeacher>(*m_server);
    m_window = std::make_unique<MainWindow>();
    m_window->resize(1280, 800);
}

void TestSyntheticPage::cleanup()
{
    if (m_teacher)
        m_teacher->open(); // no request may stay waiting while the window stops its jobs
    m_window.reset();
    m_teacher.reset();
    m_server.reset();
    m_dir.reset();
}

void TestSyntheticPage::openProjectWithTeacher()
{
    const QString file = m_dir->filePath(QStringLiteral("synth.tunesmith"));
    {
        auto project = ts::test::createProject(file);
        QVERIFY(project);
        std::vector<ts::Example> examples;
        const char* claims[] = {"Water damage to the kitchen ceiling after a pipe burst",
                                "Rear bumper dented in a parking lot, other driver left",
                                "Laptop stolen from a locked car at the train station",
                                "Hail broke two skylights and flooded the attic"};
        for (int i = 0; i < 4; ++i)
            examples.push_back(ts::test::makeExample(claims[i], "{\"type\": \"claim " + std::to_string(i) + "\"}",
                                                     ts::Split::Train, {"claims"}));
        examples.push_back(
            ts::test::makeExample("An eval claim about a cracked windscreen", "{\"type\": \"auto\"}", ts::Split::Eval));
        ts::test::insertExamples(*project, examples);
        auto lock = project->writeLock();
        ts::Endpoint e;
        e.name = "teacher";
        e.provider.kind = ts::llm::ProviderKind::OpenAiCompatible;
        e.provider.baseUrl = m_server->baseUrl() + "/v1";
        e.provider.model = "scripted";
        e.provider.apiKeyEnv = "TS_SYNTH_TEACHER_KEY";
        e.provider.retry.maxAttempts = 1;
        e.price = ts::llm::ModelPrice {1.0, 2.0};
        QVERIFY(ts::EndpointRepository(project->writer()).save(e).ok());
    }
    QVERIFY(m_window->openProject(file));
    QTRY_VERIFY(!m_window->pagesLoading());
    m_window->sidebar()->setCurrentRow(MainWindow::SyntheticPageIndex);
    m_page = m_window->syntheticPage();
    QCOMPARE(m_window->pages()->currentWidget(), m_page);
    auto* teacher = child<QComboBox>(m_page, "evolveTeacherCombo");
    QVERIFY(teacher);
    QTRY_COMPARE(teacher->findData(QStringLiteral("teacher")), 0); // the choices load in the background
}

void TestSyntheticPage::fillForm(int target, int rounds, int concurrency)
{
    child<QComboBox>(m_page, "evolveTeacherCombo")->setCurrentIndex(0);
    auto* tag = child<QComboBox>(m_page, "evolveSeedTagCombo");
    QTRY_VERIFY(tag->findData(QStringLiteral("claims")) > 0);
    tag->setCurrentIndex(tag->findData(QStringLiteral("claims")));
    child<QSpinBox>(m_page, "evolveTargetSpin")->setValue(target);
    child<QSpinBox>(m_page, "evolveRoundsSpin")->setValue(rounds);
    child<QSpinBox>(m_page, "evolveConcurrencySpin")->setValue(concurrency);
    child<QCheckBox>(m_page, "evolveInfoGainCheck")->setChecked(true);
    child<QDoubleSpinBox>(m_page, "evolveThresholdSpin")->setValue(7);
    child<QDoubleSpinBox>(m_page, "evolveWeightSpin_breadth")->setValue(0); // in-depth operations only
}

ts::synth::SyntheticFunnel TestSyntheticPage::funnelInFile(int64_t runId)
{
    auto reader = m_window->project()->openReader();
    if (!reader)
        return {};
    auto funnel = ts::synth::SyntheticRowRepository(*reader).funnel(runId);
    return funnel ? *funnel : ts::synth::SyntheticFunnel {};
}

void TestSyntheticPage::runsToTheEndWithTheFunnelOfTheProjectFile()
{
    openProjectWithTeacher();
    m_window->show();
    QVERIFY(QTest::qWaitForWindowExposed(m_window.get()));
    fillForm(6, 2, 3);

    // The estimate: 6 / 0.75 = 8 candidates, each a rewrite, an answer, the information-gain check and the judge,
    // priced from the endpoint.
    auto* estimate = child<QLabel>(m_page, "evolveEstimate");
    QTRY_VERIFY(!m_page->estimatePending());
    QVERIFY2(estimate->text().contains(QStringLiteral("4 seed rows")), qPrintable(estimate->text()));
    QVERIFY2(estimate->text().contains(QStringLiteral("≈32 calls for 8 candidates")), qPrintable(estimate->text()));
    QVERIFY2(estimate->text().contains(QStringLiteral("≈$")), qPrintable(estimate->text()));
    // Another split: its one eval row is the only seed.
    auto* split = child<QComboBox>(m_page, "evolveSeedSplitCombo");
    split->setCurrentIndex(split->findData(QStringLiteral("eval")));
    child<QComboBox>(m_page, "evolveSeedTagCombo")->setCurrentIndex(0);
    QTRY_VERIFY(!m_page->estimatePending());
    QVERIFY2(estimate->text().contains(QStringLiteral("1 seed row:")), qPrintable(estimate->text()));
    split->setCurrentIndex(split->findData(QStringLiteral("train")));
    fillForm(6, 2, 3);
    QTRY_VERIFY(!m_page->estimatePending());
    ts::test::saveScreenshot(m_window.get(), QStringLiteral("synthetic-page-before-run"));

    QSignalSpy finished(m_page, &SyntheticPage::runFinished);
    QTest::mouseClick(child<QPushButton>(m_page, "startEvolveButton"), Qt::LeftButton);
    QTRY_VERIFY_WITH_TIMEOUT(finished.count() == 1, 60000);
    QVERIFY2(finished.at(0).at(0).toBool(), qPrintable(m_page->messageText()));
    QVERIFY2(m_page->messageText().startsWith(QStringLiteral("Finished: 8 rows stored")),
             qPrintable(m_page->messageText()));
    const qint64 runId = finished.at(0).at(2).toLongLong();
    QVERIFY(runId > 0);

    // The run is listed and selected; the funnel shows what the project file holds.
    auto* runs = child<QTreeWidget>(m_page, "evolveRuns");
    QTRY_COMPARE(runs->topLevelItemCount(), 1);
    QTRY_COMPARE(m_page->shownRunId(), runId);
    QTRY_COMPARE(runs->topLevelItem(0)->text(1), QStringLiteral("finished"));
    const ts::synth::SyntheticFunnel inFile = funnelInFile(runId);
    QCOMPARE(inFile.generated + inFile.failed, int64_t(8));
    QString reasons;
    auto reader = m_window->project()->openReader();
    const auto stored = ts::synth::SyntheticRowRepository(*reader).rows(runId);
    if (stored)
        for (const auto& row : *stored)
            reasons += ts::ui::fromStd(std::string(ts::synth::syntheticStageName(row.stage)) + ": " + row.reason)
                + QLatin1Char('\n');
    // The judge's 8 passes the threshold of 7.
    QVERIFY2(inFile.aboveThreshold > 0, qPrintable(ts::ui::funnelCountsText(inFile) + QLatin1Char('\n') + reasons));
    auto* counts = child<QLabel>(m_page, "funnelCounts");
    QTRY_COMPARE(counts->text(), ts::ui::funnelCountsText(inFile));
    QTRY_COMPARE(m_page->funnelChart()->values(),
                 (QVector<double> {double(inFile.generated), double(inFile.passedElimination), double(inFile.unique),
                                   double(inFile.aboveThreshold), double(inFile.accepted)}));
    // Every teacher call went over HTTP with the key from the endpoint's variable.
    const auto requests = m_server->requests();
    QVERIFY(requests.size() >= 16);
    QCOMPARE(requests.front().header("authorization").value_or(""), std::string("Bearer sk-teacher-test"));
    ts::test::saveScreenshot(m_window.get(), QStringLiteral("synthetic-page-after-run"));
}

void TestSyntheticPage::cancelMidRunThenResumeStoresEverySlotOnce()
{
    openProjectWithTeacher();
    fillForm(9, 2, 2); // 12 candidates, 6 a round
    m_teacher->closeAfter(6); // a few rows, then the teacher holds its answers
    QSignalSpy finished(m_page, &SyntheticPage::runFinished);
    QVERIFY(m_page->startRun());
    QTRY_VERIFY_WITH_TIMEOUT(m_page->shownRunId() > 0, 20000);
    const qint64 runId = m_page->shownRunId();
    QTRY_VERIFY_WITH_TIMEOUT(funnelInFile(runId).generated + funnelInFile(runId).failed >= 1, 20000);
    QTRY_VERIFY_WITH_TIMEOUT(m_teacher->waiting() > 0, 20000);
    auto* cancel = child<QPushButton>(m_page, "cancelEvolveButton");
    QVERIFY(cancel->isEnabled());
    QTest::mouseClick(cancel, Qt::LeftButton);
    m_teacher->open(); // the calls in flight end; no new one starts
    QTRY_VERIFY_WITH_TIMEOUT(finished.count() == 1, 30000);
    QVERIFY2(finished.at(0).at(1).toBool(), qPrintable(m_page->messageText()));
    QVERIFY2(m_page->messageText().startsWith(QStringLiteral("Cancelled after")), qPrintable(m_page->messageText()));
    int64_t storedBefore = 0;
    {
        auto reader = m_window->project()->openReader();
        QCOMPARE((*ts::RunRepository(*reader).get(runId))->status, ts::RunStatus::Cancelled);
        storedBefore = static_cast<int64_t>(ts::synth::SyntheticRowRepository(*reader).rows(runId)->size());
    }
    QVERIFY2(storedBefore >= 1 && storedBefore < 12, qPrintable(QString::number(storedBefore)));

    // Resume the selected run: the stored rows are kept and skipped, the rest made now.
    auto* resume = child<QPushButton>(m_page, "resumeEvolveButton");
    QTRY_VERIFY(resume->isEnabled());
    QTest::mouseClick(resume, Qt::LeftButton);
    QTRY_VERIFY_WITH_TIMEOUT(finished.count() == 2, 60000);
    QVERIFY2(finished.at(1).at(0).toBool(), qPrintable(m_page->messageText()));
    QCOMPARE(finished.at(1).at(2).toLongLong(), runId);
    QVERIFY2(m_page->messageText().contains(QStringLiteral("(%1 kept from before)").arg(storedBefore)),
             qPrintable(m_page->messageText()));
    auto reader = m_window->project()->openReader();
    QCOMPARE((*ts::RunRepository(*reader).get(runId))->status, ts::RunStatus::Succeeded);
    QCOMPARE(ts::RunRepository(*reader).list("evolve")->size(), size_t(1));
    const auto rows = *ts::synth::SyntheticRowRepository(*reader).rows(runId);
    std::set<int64_t> storedSlots;
    for (const auto& row : rows)
        storedSlots.insert(row.slot);
    QCOMPARE(rows.size(), size_t(12));
    QCOMPARE(storedSlots.size(), size_t(12)); // every planned slot exactly once
    const auto inFile = *ts::synth::SyntheticRowRepository(*reader).funnel(runId);
    QTRY_COMPARE(child<QLabel>(m_page, "funnelCounts")->text(), ts::ui::funnelCountsText(inFile));
}

void TestSyntheticPage::templatesDialogSavesANewVersion()
{
    openProjectWithTeacher();
    ts::ui::EvolTemplatesDialog dialog(*m_window->project());
    QTRY_VERIFY(!dialog.isLoading());
    QCOMPARE(dialog.versionLabel()->text(), QStringLiteral("Built-in templates (never edited)"));
    dialog.textEdit()->setPlainText(QStringLiteral("no placeholder here"));
    dialog.save();
    QVERIFY2(dialog.errorLabel()->text().contains(QStringLiteral("{instruction}")),
             qPrintable(dialog.errorLabel()->text()));
    dialog.textEdit()->setPlainText(QStringLiteral("Make this harder: {instruction}"));
    QSignalSpy saved(&dialog, &ts::ui::EvolTemplatesDialog::saved);
    dialog.save();
    QTRY_COMPARE(saved.count(), 1);
    QCOMPARE(saved.at(0).at(0).toInt(), 1);
    QCOMPARE(dialog.versionLabel()->text(), QStringLiteral("Version 1"));
    auto templates = ts::synth::loadEvolTemplates(*m_window->project());
    QVERIFY(templates);
    QCOMPARE(templates->version, 1);
    QCOMPARE(templates->text[0], std::string("Make this harder: {instruction}"));
}

void TestSyntheticPage::fitsASmallLaptopScreen()
{
    openProjectWithTeacher();
    m_window->show();
    QVERIFY(QTest::qWaitForWindowExposed(m_window.get()));
    const QSize min = m_page->minimumSizeHint().expandedTo(m_page->minimumSize());
    QVERIFY2(min.width() <= 1024 - m_window->sidebar()->parentWidget()->width() && min.height() <= 620,
             qPrintable(QStringLiteral("the page needs %1x%2").arg(min.width()).arg(min.height())));
    m_window->resize(1024, 700);
    QTRY_VERIFY(m_window->width() <= 1024 && m_window->height() <= 700);
    ts::test::saveScreenshot(m_window.get(), QStringLiteral("synthetic-page-1024x700"));
}

QTEST_MAIN(TestSyntheticPage)

#include "test-synthetic-page.moc"
