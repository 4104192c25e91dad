// Orientation (issue 12, gap 18): the first-run checklist ticks its steps from the project and links to their pages;
// Ctrl+1 … Ctrl+7 switch pages in sidebar order; Help lists every shortcut from the window's own actions and opens
// the README through a seam; the sidebar icons are drawn for their pages.
#include <QAction>
#include <QLabel>
#include <QListWidget>
#include <QMenuBar>
#include <QStackedWidget>
#include <QTemporaryDir>
#include <QTreeWidget>
#include <QtTest>

#include <nlohmann/json.hpp>

#include "dialogs/dialogs.h"
#include "main/first_run_checklist.h"
#include "main/main_window.h"
#include "main/readme_link.h"
#include "main/shortcuts_dialog.h"
#include "store/run_repository.h"
#include "ui_test_support.h"

using ts::ui::FirstRunChecklist;
using ts::ui::MainWindow;

class TestOrientation : public QObject
{
    Q_OBJECT

private slots:
    void initTestCase();
    void init();
    void cleanup();

    void checklistTicksStepsFromTheProject();
    void checklistLinksOpenTheirPages();
    void ctrlDigitSwitchesPagesInSidebarOrder();
    void shortcutsDialogListsEveryShortcut();
    void readmeOpensThroughTheSeam();
    void sidebarIconsAreDrawnPerPage();

private:
    QString path(const QString& name) const { return m_dir->filePath(name); }
    void addRun(ts::Project& project, const std::string& kind, const nlohmann::json& config);

    std::unique_ptr<QTemporaryDir> m_dir;
    std::unique_ptr<MainWindow> m_window;
};

void TestOrientation::initTestCase()
{
    ts::test::initUiTesting();
}

void TestOrientation::init()
{
    ts::ui::Dialogs::clear();
    m_dir = std::make_unique<QTemporaryDir>();
    QVERIFY(m_dir->isValid());
    m_window = std::make_unique<MainWindow>();
    m_window->resize(1100, 720);
    m_window->show();
    QVERIFY(QTest::qWaitForWindowExposed(m_window.get()));
}

void TestOrientation::cleanup()
{
    ts::ui::setExternalUrlOpenerForTesting(nullptr);
    m_window.reset();
    m_dir.reset();
}

void TestOrientation::addRun(ts::Project& project, const std::string& kind, const nlohmann::json& config)
{
    ts::Run run;
    run.kind = kind;
    run.name = kind + " run";
    run.status = ts::RunStatus::Succeeded;
    run.config = config.dump();
    QVERIFY(ts::RunRepository(project.writer()).create(run).ok());
}

void TestOrientation::checklistTicksStepsFromTheProject()
{
    const QString file = path(QStringLiteral("steps.tunesmith"));
    {
        auto project = ts::test::createProject(file);
        std::vector<ts::Example> examples;
        for (int i = 0; i < 10; ++i)
            examples.push_back(ts::test::makeExample("q" + std::to_string(i), "a", ts::Split::Train));
        ts::test::insertExamples(*project, examples);
    }
    QVERIFY(m_window->openProject(file));
    FirstRunChecklist* checklist = m_window->checklist();
    QTRY_VERIFY(!checklist->isLoading());
    for (int step = 0; step < FirstRunChecklist::kStepCount; ++step)
        QVERIFY(!checklist->stepDone(step));
    QVERIFY(checklist->stepLabel(0)->text().contains(QStringLiteral("10 of 20 examples")));

    // More examples (some for eval), an A/B test, a training run, then an A/B test on the test split.
    ts::Project& project = *m_window->project();
    std::vector<ts::Example> more;
    for (int i = 0; i < 12; ++i)
        more.push_back(ts::test::makeExample("e" + std::to_string(i), "a", ts::Split::Eval));
    ts::test::insertExamples(project, more);
    addRun(project, "ab_test", {{"split", "eval"}});
    checklist->refresh();
    QTRY_VERIFY(!checklist->isLoading());
    QVERIFY(checklist->stepDone(0));
    QVERIFY(checklist->stepDone(1));
    QVERIFY(!checklist->stepDone(2));
    QVERIFY(!checklist->stepDone(3));
    addRun(project, "train", {{"model_dir", "/m"}});
    addRun(project, "ab_test", {{"split", "test"}});
    checklist->refresh();
    QTRY_VERIFY(!checklist->isLoading());
    QVERIFY(checklist->stepDone(2));
    QVERIFY(checklist->stepDone(3));
    QVERIFY(!checklist->stepDone(4)); // the Decision page is not built: nothing to tick it
    QCOMPARE(checklist->findChild<QLabel*>(QStringLiteral("checklistSummary"))->text(),
             QStringLiteral("4 of 5 steps done"));
    ts::test::saveScreenshot(m_window.get(), QStringLiteral("orientation-checklist"));
}

void TestOrientation::checklistLinksOpenTheirPages()
{
    ts::test::createProject(path(QStringLiteral("links.tunesmith"))).reset();
    QVERIFY(m_window->openProject(path(QStringLiteral("links.tunesmith"))));
    FirstRunChecklist* checklist = m_window->checklist();
    const int expected[] = {MainWindow::ExamplesPageIndex, MainWindow::PromptLabPageIndex,
                            MainWindow::TrainingPageIndex, MainWindow::PromptLabPageIndex, MainWindow::DecisionPage};
    for (int step = FirstRunChecklist::kStepCount - 1; step >= 0; --step) {
        emit checklist->stepLabel(step)->linkActivated(QStringLiteral("page"));
        QCOMPARE(m_window->sidebar()->currentRow(), expected[step]);
        QCOMPARE(m_window->pages()->currentIndex(), expected[step]);
    }
}

void TestOrientation::ctrlDigitSwitchesPagesInSidebarOrder()
{
    ts::test::createProject(path(QStringLiteral("keys.tunesmith"))).reset();
    QVERIFY(m_window->openProject(path(QStringLiteral("keys.tunesmith"))));
    QCOMPARE(m_window->pageActions().size(), m_window->sidebar()->count());
    QCOMPARE(m_window->sidebar()->count(), 7);
    for (int row = 6; row >= 0; --row) {
        QTest::keyClick(m_window.get(), static_cast<Qt::Key>(Qt::Key_1 + row), Qt::ControlModifier);
        QCOMPARE(m_window->sidebar()->currentRow(), row);
        QCOMPARE(m_window->pages()->currentIndex(), row);
        QCOMPARE(m_window->pageActions().at(row)->text(), m_window->sidebar()->item(row)->text());
    }
}

void TestOrientation::shortcutsDialogListsEveryShortcut()
{
    ts::test::createProject(path(QStringLiteral("help.tunesmith"))).reset();
    QVERIFY(m_window->openProject(path(QStringLiteral("help.tunesmith"))));
    auto* help = m_window->findChild<QAction*>(QStringLiteral("shortcutsAction"));
    QVERIFY(help);
    help->trigger();
    auto* dialog = m_window->findChild<ts::ui::ShortcutsDialog*>();
    QVERIFY(dialog);
    QTreeWidget* table = dialog->table();
    QStringList listed;
    for (int i = 0; i < table->topLevelItemCount(); ++i)
        listed << table->topLevelItem(i)->text(0);
    // Every action with keys is a row with those keys: the list is generated, so it cannot miss one.
    int withKeys = 0;
    for (QAction* action : m_window->findChildren<QAction*>()) {
        if (action->shortcut().isEmpty())
            continue;
        ++withKeys;
        const QString keys = action->shortcut().toString(QKeySequence::NativeText);
        QVERIFY2(std::any_of(listed.begin(), listed.end(), [&](const QString& row) { return row.contains(keys); }),
                 qPrintable(keys + QStringLiteral(" (") + action->text() + QStringLiteral(") is not listed")));
    }
    QVERIFY(withKeys >= 15);
    for (const char* keys : {"Ctrl+1", "Ctrl+7", "Ctrl+O"})
        QVERIFY2(listed.contains(QLatin1String(keys)), keys);
    QVERIFY(std::any_of(listed.begin(), listed.end(),
                        [](const QString& row) { return row.startsWith(QStringLiteral("Ctrl+Shift+Z, Ctrl+Y")); }));
    ts::test::saveScreenshot(dialog, QStringLiteral("orientation-shortcuts"));
    dialog->close();
}

void TestOrientation::readmeOpensThroughTheSeam()
{
    QList<QUrl> opened;
    ts::ui::setExternalUrlOpenerForTesting([&opened](const QUrl& url) {
        opened << url;
        return true;
    });
    auto* readme = m_window->findChild<QAction*>(QStringLiteral("readmeAction"));
    QVERIFY(readme);
    readme->trigger();
    QCOMPARE(opened.size(), 1);
    QVERIFY(opened.front().isLocalFile());
    QFile file(opened.front().toLocalFile());
    QVERIFY(file.open(QIODevice::ReadOnly));
    QVERIFY(file.readLine().startsWith("# Tunesmith"));
    QVERIFY(ts::ui::Dialogs::messages().isEmpty());
}

void TestOrientation::sidebarIconsAreDrawnPerPage()
{
    ts::test::createProject(path(QStringLiteral("icons.tunesmith"))).reset();
    QVERIFY(m_window->openProject(path(QStringLiteral("icons.tunesmith"))));
    QListWidget* sidebar = m_window->sidebar();
    QList<QImage> images;
    for (int row = 0; row < sidebar->count(); ++row) {
        const QImage image = sidebar->item(row)->icon().pixmap(20, 20).toImage();
        QVERIFY(!image.isNull());
        int painted = 0;
        for (int y = 0; y < image.height(); ++y)
            for (int x = 0; x < image.width(); ++x)
                painted += qAlpha(image.pixel(x, y)) > 0 ? 1 : 0;
        QVERIFY2(painted > 20, qPrintable(sidebar->item(row)->text()));
        for (const QImage& other : images)
            QVERIFY(other != image); // one picture per page
        images << image;
    }
    ts::test::saveScreenshot(m_window.get(), QStringLiteral("orientation-sidebar"));
}

QTEST_MAIN(TestOrientation)
#include "test-orientation.moc"
