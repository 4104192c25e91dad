// MainWindow end to end: welcome page, opening (and refusing) projects, the sidebar's pages (Training built, the rest
// not yet), undo with the keyboard, New / Save As through the dialog seam, the recent list, the demo project (with a
// screenshot) and German.
#include <QAction>
#include <QApplication>
#include <QComboBox>
#include <QDir>
#include <QDoubleSpinBox>
#include <QFileInfo>
#include <QLabel>
#include <QListWidget>
#include <QMenu>
#include <QMenuBar>
#include <QPushButton>
#include <QStackedWidget>
#include <QStatusBar>
#include <QTableView>
#include <QTemporaryDir>
#include <QTranslator>
#include <QUndoStack>
#include <QWheelEvent>
#include <QtTest>

#include "bridge/job_controller.h"
#include "bridge/path_conversion.h"
#include "dialogs/dialogs.h"
#include "examples/examples_model.h"
#include "examples/examples_page.h"
#include "llm/endpoint_repository.h"
#include "main/main_window.h"
#include "main/recent_projects.h"
#include "main/welcome_page.h"
#include "promptlab/prompt_lab_page.h"
#include "promptlab/prompt_repository.h"
#include "store/database.h"
#include "store/example_repository.h"
#include "synth/synthetic_page.h"
#include "training/metrics_plot.h"
#include "training/model_picker.h"
#include "training/train_settings_form.h"
#include "training/training_page.h"
#include "ui_test_support.h"
#include "widgets/unbuilt_page.h"

using ts::ui::Dialogs;
using ts::ui::ExamplesModel;
using ts::ui::MainWindow;

class TestMainWindow final : public QObject
{
    Q_OBJECT

private slots:
    void initTestCase();
    void init();
    void cleanup();

    void startsOnWelcomePage();
    void opensProjectFromPath();
    void refusesNewerSchemaAndCorruptFiles();
    void sidebarReachesUnbuiltPages();
    void keyboardUndoRedoOfTableEdit();
    void wheelChangesOnlyTheFocusedField();
    void newProjectThroughSeam();
    void saveAsMakesOpenableCopy();
    void recentProjectsListAndPruning();
    void demoProjectAndScreenshot();
    void recentEntriesWithTheSameNameShowTheirFolder();
    void germanTranslation();
    void fitsASmallLaptopScreen();

private:
    QString path(const QString& name) const { return m_dir->filePath(name); }
    QString makeProject(const QString& name, int rows);

    std::unique_ptr<QTemporaryDir> m_dir;
    std::unique_ptr<MainWindow> m_window;
};

void TestMainWindow::initTestCase()
{
    ts::test::initUiTesting();
}

void TestMainWindow::init()
{
    Dialogs::clear();
    ts::ui::RecentProjects::clear();
    m_dir = std::make_unique<QTemporaryDir>();
    QVERIFY(m_dir->isValid());
    m_window = std::make_unique<MainWindow>();
    m_window->resize(1280, 800);
}

void TestMainWindow::cleanup()
{
    m_window.reset();
    m_dir.reset();
}

QString TestMainWindow::makeProject(const QString& name, int rows)
{
    const QString file = path(name);
    auto project = ts::test::createProject(file);
    if (!project)
        return {};
    std::vector<ts::Example> examples;
    for (int i = 0; i < rows; ++i)
        examples.push_back(ts::test::makeExample("input " + std::to_string(i), "output " + std::to_string(i)));
    ts::test::insertExamples(*project, examples);
    return file;
}

// Lists the widgets under `root` whose minimum width or height exceeds the bounds (the ones that hold a window open).
QString widestChildren(QWidget* root, int maxWidth, int maxHeight)
{
    QStringList out;
    for (QWidget* child : root->findChildren<QWidget*>()) {
        if (!child->isVisibleTo(root) && !qEnvironmentVariableIsSet("TS_DUMP_MIN"))
            continue;
        const QSize min = child->minimumSizeHint().expandedTo(child->minimumSize());
        if (min.width() > maxWidth || min.height() > maxHeight)
            out << QStringLiteral("%1(%2) %3x%4")
                       .arg(QString::fromLatin1(child->metaObject()->className()), child->objectName())
                       .arg(min.width())
                       .arg(min.height());
    }
    return out.join(QStringLiteral(", "));
}

void TestMainWindow::startsOnWelcomePage()
{
    m_window->show();
    QCOMPARE(m_window->windowTitle(), QStringLiteral("Tunesmith"));
    auto* root = m_window->findChild<QStackedWidget*>(QStringLiteral("rootStack"));
    QCOMPARE(root->currentWidget(), m_window->welcomePage());
    QVERIFY(!m_window->findChild<QAction*>(QStringLiteral("saveAsAction"))->isEnabled());
    QVERIFY(!m_window->findChild<QAction*>(QStringLiteral("undoAction"))->isEnabled());
    QVERIFY(m_window->findChild<QPushButton*>(QStringLiteral("demoButton")));
}

void TestMainWindow::opensProjectFromPath()
{
    const QString file = makeProject(QStringLiteral("claims.tunesmith"), 7);
    QVERIFY(m_window->openProject(file));
    QTRY_VERIFY(!m_window->pagesLoading()); // the pages read the project in the background
    QCOMPARE(m_window->windowTitle(), QStringLiteral("claims.tunesmith — Tunesmith"));
    auto* root = m_window->findChild<QStackedWidget*>(QStringLiteral("rootStack"));
    QCOMPARE(root->currentWidget()->objectName(), QStringLiteral("workspace"));
    QCOMPARE(m_window->examplesPage()->model()->rowCount(), 7);
    QCOMPARE(m_window->findChild<QLabel*>(QStringLiteral("statusCount"))->text(), QStringLiteral("7 examples"));
    QCOMPARE(ts::ui::RecentProjects::list().value(0), QFileInfo(file).absoluteFilePath());

    m_window->findChild<QAction*>(QStringLiteral("closeAction"))->trigger();
    QVERIFY(!m_window->project());
    QCOMPARE(root->currentWidget(), m_window->welcomePage());
    QCOMPARE(m_window->welcomePage()->recentList()->count(), 1);
}

void TestMainWindow::refusesNewerSchemaAndCorruptFiles()
{
    const QString newer = makeProject(QStringLiteral("newer.tunesmith"), 1);
    {
        auto db = ts::Database::open(ts::ui::toPath(newer), ts::Database::Mode::ReadWrite);
        QVERIFY(db.ok());
        QVERIFY(db->exec("PRAGMA user_version = 999").ok());
    }
    QVERIFY(!m_window->openProject(newer));
    QVERIFY2(Dialogs::lastMessage().startsWith(QStringLiteral("Cannot Open Project")),
             qPrintable(Dialogs::lastMessage()));
    QVERIFY(!m_window->project());

    const QString corrupt = path(QStringLiteral("corrupt.tunesmith"));
    ts::test::writeText(corrupt, QByteArray("this is not a database").repeated(200));
    QVERIFY(!m_window->openProject(corrupt));
    QVERIFY(Dialogs::lastMessage().contains(QStringLiteral("corrupt.tunesmith")));

    QVERIFY(!m_window->openProject(path(QStringLiteral("missing.tunesmith"))));
    QVERIFY(Dialogs::lastMessage().contains(QStringLiteral("does not exist")));
    QCOMPARE(m_window->windowTitle(), QStringLiteral("Tunesmith"));
}

void TestMainWindow::sidebarReachesUnbuiltPages()
{
    QVERIFY(m_window->openProject(makeProject(QStringLiteral("pages.tunesmith"), 2)));
    QTRY_VERIFY(!m_window->pagesLoading()); // the pages read the project in the background
    QListWidget* sidebar = m_window->findChild<QListWidget*>(QStringLiteral("sidebar"));
    QVERIFY(sidebar);
    QCOMPARE(sidebar->count(), 7);
    const QStringList names
        = {QStringLiteral("Golden examples"), QStringLiteral("Prompt lab"), QStringLiteral("Decision"),
           QStringLiteral("Synthetic data"),  QStringLiteral("Training"),   QStringLiteral("Evaluation"),
           QStringLiteral("Export")};
    for (int row = 0; row < sidebar->count(); ++row) {
        QCOMPARE(sidebar->item(row)->text(), names.at(row));
        QVERIFY(!sidebar->item(row)->icon().isNull());
        sidebar->setCurrentRow(row);
        QWidget* page = m_window->pages()->currentWidget();
        if (row == 0) {
            QCOMPARE(page, static_cast<QWidget*>(m_window->examplesPage()));
            QVERIFY(m_window->examplesPage()->importAction()->isEnabled());
            continue;
        }
        if (row == MainWindow::PromptLabPageIndex) {
            QVERIFY(qobject_cast<ts::ui::PromptLabPage*>(page));
            QCOMPARE(page, static_cast<QWidget*>(m_window->promptLabPage()));
            QVERIFY(page->isEnabled());
            QVERIFY(m_window->promptLabPage()->startAction()->isEnabled());
            QVERIFY(!m_window->trainingPage()->startAction()->isEnabled());
            QVERIFY(!m_window->examplesPage()->importAction()->isEnabled());
            continue;
        }
        if (row == MainWindow::SyntheticPageIndex) {
            // Built: the real page, with the open project; its Ctrl+Return is the only one on.
            QCOMPARE(page, static_cast<QWidget*>(m_window->syntheticPage()));
            QVERIFY(!page->findChild<QLabel*>(QStringLiteral("unbuiltStatus")));
            QVERIFY(page->isEnabled());
            QVERIFY(m_window->syntheticPage()->startAction()->isEnabled());
            QVERIFY(!m_window->promptLabPage()->startAction()->isEnabled());
            QVERIFY(!m_window->trainingPage()->startAction()->isEnabled());
            continue;
        }
        QVERIFY(!m_window->syntheticPage()->startAction()->isEnabled()); // only on its own page
        if (row == MainWindow::TrainingPageIndex) {
            // Built: the real page, with the open project, and no "Not built yet".
            QVERIFY(qobject_cast<ts::ui::TrainingPage*>(page));
            QCOMPARE(page, static_cast<QWidget*>(m_window->trainingPage()));
            QVERIFY(!page->findChild<QLabel*>(QStringLiteral("unbuiltStatus")));
            QVERIFY(page->isEnabled());
            QVERIFY(m_window->trainingPage()->startAction()->isEnabled());
            QVERIFY(!m_window->promptLabPage()->startAction()->isEnabled()); // one Ctrl+Return at a time
            QVERIFY(!m_window->examplesPage()->importAction()->isEnabled());
            continue;
        }
        QVERIFY(qobject_cast<ts::ui::UnbuiltPage*>(page));
        QCOMPARE(page->findChild<QLabel*>(QStringLiteral("unbuiltStatus"))->text(), QStringLiteral("Not built yet"));
        QVERIFY(!m_window->trainingPage()->startAction()->isEnabled()); // its shortcuts are off elsewhere
        QVERIFY(!page->findChild<QLabel*>(QStringLiteral("unbuiltDescription"))->text().isEmpty());
        // The examples page's window-wide actions are off while another page is shown.
        QVERIFY(!m_window->examplesPage()->importAction()->isEnabled());
    }
}

void TestMainWindow::keyboardUndoRedoOfTableEdit()
{
    const QString file = makeProject(QStringLiteral("keys.tunesmith"), 3);
    QVERIFY(m_window->openProject(file));
    QTRY_VERIFY(!m_window->pagesLoading()); // the pages read the project in the background
    m_window->show();
    m_window->activateWindow();
    QVERIFY(QTest::qWaitForWindowActive(m_window.get()));
    QTableView* view = m_window->findChild<QTableView*>(QStringLiteral("examplesView"));
    ExamplesModel* model = m_window->examplesPage()->model();
    const QModelIndex cell = model->index(2, ExamplesModel::OutputColumn);
    const int64_t id = model->idAt(2);
    view->setFocus();
    view->setCurrentIndex(cell);
    QVERIFY(model->setData(cell, QStringLiteral("better output")));
    QCOMPARE(ts::test::readFresh(*m_window->project(), id)->output(), std::string("better output"));
    QAction* undo = m_window->findChild<QAction*>(QStringLiteral("undoAction"));
    QVERIFY(undo->isEnabled());
    QCOMPARE(undo->text(), QStringLiteral("&Undo Edit ideal output"));

    QTest::keyClick(view, Qt::Key_Z, Qt::ControlModifier);
    QCOMPARE(ts::test::readFresh(*m_window->project(), id)->output(), std::string("output 2"));
    QCOMPARE(model->data(cell).toString(), QStringLiteral("output 2"));
    QTest::keyClick(view, Qt::Key_Z, Qt::ControlModifier | Qt::ShiftModifier);
    QCOMPARE(ts::test::readFresh(*m_window->project(), id)->output(), std::string("better output"));
    // Redo has both usual shortcuts, each bound once (a sequence bound twice is ambiguous and does nothing).
    QTest::keyClick(view, Qt::Key_Z, Qt::ControlModifier);
    QCOMPARE(ts::test::readFresh(*m_window->project(), id)->output(), std::string("output 2"));
    QTest::keyClick(view, Qt::Key_Y, Qt::ControlModifier);
    QCOMPARE(ts::test::readFresh(*m_window->project(), id)->output(), std::string("better output"));
    const QList<QKeySequence> redoKeys = m_window->findChild<QAction*>(QStringLiteral("redoAction"))->shortcuts();
    QCOMPARE(QSet<QKeySequence>(redoKeys.begin(), redoKeys.end()).size(), redoKeys.size());

    // Delete key on the table deletes the selected row; Ctrl+Z brings it back.
    view->selectionModel()->setCurrentIndex(model->index(0, 0), QItemSelectionModel::NoUpdate);
    view->selectionModel()->select(model->index(0, 0), QItemSelectionModel::ClearAndSelect | QItemSelectionModel::Rows);
    QTest::keyClick(view, Qt::Key_Delete);
    QCOMPARE(model->rowCount(), 2);
    QTest::keyClick(view, Qt::Key_Z, Qt::ControlModifier);
    QCOMPARE(model->rowCount(), 3);
    QCOMPARE(ts::test::countFresh(*m_window->project()), 3);
}

void TestMainWindow::wheelChangesOnlyTheFocusedField()
{
    QVERIFY(m_window->openProject(makeProject(QStringLiteral("wheel.tunesmith"), 1)));
    m_window->show();
    m_window->activateWindow();
    QVERIFY(QTest::qWaitForWindowActive(m_window.get()));
    m_window->sidebar()->setCurrentRow(MainWindow::TrainingPageIndex);
    auto* alpha = m_window->findChild<QDoubleSpinBox*>(QStringLiteral("loraAlphaSpin"));
    auto* schedule = m_window->findChild<QComboBox*>(QStringLiteral("scheduleCombo"));
    QVERIFY(alpha && schedule);
    QVERIFY(alpha->isVisible());
    QCOMPARE(alpha->focusPolicy(), Qt::StrongFocus); // the wheel does not focus it either
    auto turn = [](QWidget* widget) {
        const QPointF at(widget->width() / 2.0, widget->height() / 2.0);
        QWheelEvent wheel(at, widget->mapToGlobal(at), QPoint(), QPoint(0, 120), Qt::NoButton, Qt::NoModifier,
                          Qt::NoScrollPhase, false);
        QApplication::sendEvent(widget, &wheel);
    };
    // Scrolling over fields that do not have focus leaves them as they are.
    m_window->sidebar()->setFocus();
    const double alphaBefore = alpha->value();
    const int scheduleBefore = schedule->currentIndex();
    turn(alpha);
    turn(schedule);
    QCOMPARE(alpha->value(), alphaBefore);
    QCOMPARE(schedule->currentIndex(), scheduleBefore);
    // The focused field takes the wheel.
    alpha->setFocus();
    QTRY_VERIFY(alpha->hasFocus());
    turn(alpha);
    QVERIFY(alpha->value() != alphaBefore);
}

void TestMainWindow::newProjectThroughSeam()
{
    Dialogs::setNextFileName(path(QStringLiteral("fresh"))); // the suffix is added
    m_window->findChild<QAction*>(QStringLiteral("newAction"))->trigger();
    QVERIFY(m_window->project());
    QVERIFY(QFileInfo::exists(path(QStringLiteral("fresh.tunesmith"))));
    QCOMPARE(m_window->examplesPage()->model()->rowCount(), 0);
    QCOMPARE(m_window->windowTitle(), QStringLiteral("fresh.tunesmith — Tunesmith"));

    // An existing file is never overwritten.
    m_window->closeProject();
    Dialogs::setNextFileName(path(QStringLiteral("fresh.tunesmith")));
    m_window->newProject();
    QVERIFY(!m_window->project());
    QVERIFY(Dialogs::lastMessage().contains(QStringLiteral("already exists")));
}

void TestMainWindow::saveAsMakesOpenableCopy()
{
    const QString original = makeProject(QStringLiteral("original.tunesmith"), 5);
    QVERIFY(m_window->openProject(original));
    QTRY_VERIFY(!m_window->pagesLoading()); // the pages read the project in the background
    ExamplesModel* model = m_window->examplesPage()->model();
    QVERIFY(model->setData(model->index(0, ExamplesModel::InputColumn), QStringLiteral("edited before save as")));

    const QString copy = path(QStringLiteral("copy.tunesmith"));
    Dialogs::setNextFileName(copy);
    m_window->findChild<QAction*>(QStringLiteral("saveAsAction"))->trigger();
    QVERIFY(m_window->project());
    QTRY_VERIFY(!m_window->pagesLoading());
    QCOMPARE(QFileInfo(ts::ui::fromPath(m_window->project()->path())).absoluteFilePath(),
             QFileInfo(copy).absoluteFilePath());
    QCOMPARE(m_window->windowTitle(), QStringLiteral("copy.tunesmith — Tunesmith"));
    QCOMPARE(model->rowCount(), 5);
    QCOMPARE(model->data(model->index(0, ExamplesModel::InputColumn)).toString(),
             QStringLiteral("edited before save as"));

    // Edits now go to the copy; the original keeps what it had.
    QVERIFY(model->setData(model->index(1, ExamplesModel::InputColumn), QStringLiteral("only in the copy")));
    m_window->closeProject();
    auto reopened = ts::Project::open(ts::ui::toPath(copy));
    QVERIFY(reopened.ok());
    QCOMPARE(ts::test::countFresh(**reopened), 5);
    auto orig = ts::Project::open(ts::ui::toPath(original));
    QVERIFY(orig.ok());
    ts::ExampleRepository repo((*orig)->writer());
    auto all = repo.all();
    QVERIFY(all.ok());
    QCOMPARE(all->at(0).input(), std::string("edited before save as"));
    QCOMPARE(all->at(1).input(), std::string("input 1"));
}

void TestMainWindow::recentProjectsListAndPruning()
{
    const QString a = makeProject(QStringLiteral("a.tunesmith"), 1);
    const QString b = makeProject(QStringLiteral("b.tunesmith"), 1);
    QVERIFY(m_window->openProject(a));
    QTRY_VERIFY(!m_window->pagesLoading()); // the pages read the project in the background
    QVERIFY(m_window->openProject(b));
    QTRY_VERIFY(!m_window->pagesLoading()); // the pages read the project in the background
    QCOMPARE(ts::ui::RecentProjects::list(),
             QStringList({QFileInfo(b).absoluteFilePath(), QFileInfo(a).absoluteFilePath()}));

    QMenu* recent = m_window->recentMenu();
    emit recent->aboutToShow();
    QStringList titles;
    for (QAction* action : recent->actions())
        if (!action->isSeparator())
            titles << action->text();
    QCOMPARE(titles.mid(0, 2), QStringList({QStringLiteral("b.tunesmith"), QStringLiteral("a.tunesmith")}));
    recent->actions().at(1)->trigger(); // a.tunesmith
    QCOMPARE(m_window->windowTitle(), QStringLiteral("a.tunesmith — Tunesmith"));

    m_window->closeProject();
    QVERIFY(QFile::remove(b));
    QCOMPARE(ts::ui::RecentProjects::list(), QStringList({QFileInfo(a).absoluteFilePath()}));

    for (int i = 0; i < 10; ++i)
        ts::ui::RecentProjects::add(makeProject(QStringLiteral("p%1.tunesmith").arg(i), 0));
    QCOMPARE(ts::ui::RecentProjects::list().size(), ts::ui::RecentProjects::kMaxEntries);

    emit recent->aboutToShow();
    m_window->findChild<QAction*>(QStringLiteral("clearRecentAction"))->trigger();
    QVERIFY(ts::ui::RecentProjects::list().isEmpty());
    QCOMPARE(m_window->welcomePage()->recentList()->count(), 0);
}

void TestMainWindow::demoProjectAndScreenshot()
{
    // "Open demo" builds the demo as `tunesmith-cli demo` and packaging/setup.sh do (ts::demo): the golden examples
    // of resources/demo/claims.jsonl, the base model for training, a local-demo endpoint and two starter variants.
    QFile demo(ts::test::demoDataFile());
    QVERIFY(demo.open(QIODevice::ReadOnly));
    const ts::ParsedFile parsed = ts::parseText(demo.readAll().toStdString(), ts::DataFormat::OpenAiJsonl);
    QVERIFY(parsed.problems.empty());
    const QString assets = ts::test::sourceDir() + QStringLiteral("/resources/demo");
    m_window->setDemoAssetsFolder(assets);
    m_window->setDemoProjectFile(path(QStringLiteral("demo.tunesmith")));
    m_window->show();
    QVERIFY(QTest::qWaitForWindowExposed(m_window.get()));
    m_window->findChild<QPushButton*>(QStringLiteral("demoButton"))->click();
    QVERIFY(m_window->project());
    ExamplesModel* model = m_window->examplesPage()->model();
    QTRY_VERIFY(!m_window->pagesLoading());
    QTRY_COMPARE(size_t(model->rowCount()), parsed.examples.size());
    const int rows = model->rowCount();
    QCOMPARE(ts::test::countFresh(*m_window->project()), rows);
    QCOMPARE(m_window->undoStack()->count(), 0); // the demo's rows are not an undoable edit
    {
        auto reader = ts::Project::open(m_window->project()->path());
        QVERIFY(reader);
        ts::EndpointRepository endpoints((*reader)->writer());
        auto endpoint = endpoints.get("local-demo");
        QVERIFY(endpoint && *endpoint);
        QCOMPARE((*endpoint)->provider.kind, ts::llm::ProviderKind::Local);
        const QString baseModel = QFileInfo(assets + QStringLiteral("/base-model")).absoluteFilePath();
        QCOMPARE(QString::fromStdString((*endpoint)->provider.model), baseModel);
        ts::PromptRepository prompts((*reader)->writer());
        auto names = prompts.names();
        QVERIFY(names);
        QCOMPARE(*names, (std::vector<std::string> {"fields", "terse"}));
        auto modelDir = (*reader)->meta("training.model_dir");
        QVERIFY(modelDir);
        QCOMPARE(QString::fromStdString(*modelDir), baseModel);
    }
    // The Training page starts from the demo's base model, with the preset for a model that small.
    QTRY_VERIFY(m_window->trainingPage()->modelPicker()->modelConfig().has_value());
    QCOMPARE(m_window->trainingPage()->settingsForm()->presetName(), QStringLiteral("tiny-cpu"));

    // "Golden examples" with the first row selected, as a user sees it after Open Demo.
    QTableView* view = m_window->findChild<QTableView*>(QStringLiteral("examplesView"));
    view->setCurrentIndex(model->index(0, 0));
    QTest::qWait(50);
    QVERIFY(!ts::test::saveScreenshot(m_window.get(), QStringLiteral("main-demo-examples")).isEmpty());

    // Opening the demo again opens the same project instead of importing twice.
    m_window->closeProject();
    m_window->openDemo();
    QTRY_VERIFY(!m_window->pagesLoading());
    QCOMPARE(m_window->examplesPage()->model()->rowCount(), rows);
    QCOMPARE(ts::test::countFresh(*m_window->project()), rows);

    // A demo folder without the base model is refused with what is missing; no half-made project is left.
    QTemporaryDir incomplete;
    QVERIFY(QFile::copy(ts::test::demoDataFile(), incomplete.filePath(QStringLiteral("claims.jsonl"))));
    m_window->closeProject();
    m_window->setDemoAssetsFolder(incomplete.path());
    m_window->setDemoProjectFile(path(QStringLiteral("demo2.tunesmith")));
    ts::ui::Dialogs::clear();
    m_window->openDemo();
    QVERIFY(!m_window->project());
    QVERIFY(!QFileInfo::exists(path(QStringLiteral("demo2.tunesmith"))));
    QVERIFY(ts::ui::Dialogs::lastMessage().contains(QStringLiteral("base-model")));
}

void TestMainWindow::recentEntriesWithTheSameNameShowTheirFolder()
{
    QDir(m_dir->path()).mkpath(QStringLiteral("a/demo"));
    QDir(m_dir->path()).mkpath(QStringLiteral("b/demo"));
    const QString first = makeProject(QStringLiteral("a/demo/claims-demo.tunesmith"), 0);
    const QString second = makeProject(QStringLiteral("b/demo/claims-demo.tunesmith"), 0);
    const QString other = makeProject(QStringLiteral("other.tunesmith"), 0);
    ts::ui::RecentProjects::add(first);
    ts::ui::RecentProjects::add(second);
    ts::ui::RecentProjects::add(other);
    QMenu* recent = m_window->recentMenu();
    emit recent->aboutToShow();
    QStringList texts;
    for (QAction* action : recent->actions())
        if (!action->isSeparator())
            texts << action->text();
    QCOMPARE(texts.size(), 4); // three projects and "Clear List"
    QCOMPARE(texts[0], QStringLiteral("other.tunesmith")); // a unique name stays short
    QCOMPARE(texts[1], QStringLiteral("claims-demo.tunesmith — /…/b/demo"));
    QCOMPARE(texts[2], QStringLiteral("claims-demo.tunesmith — /…/a/demo"));
    // The home folder reads as ~.
    const QStringList home = ts::ui::RecentProjects::labels(
        {QDir::homePath() + QStringLiteral("/x/p.tunesmith"), QDir::homePath() + QStringLiteral("/y/p.tunesmith")});
    QCOMPARE(home, QStringList({QStringLiteral("p.tunesmith — ~/x"), QStringLiteral("p.tunesmith — ~/y")}));
}

void TestMainWindow::germanTranslation()
{
    QTranslator translator;
    QVERIFY(translator.load(QStringLiteral(":/i18n/tunesmith_de.qm")));
    QApplication::installTranslator(&translator);
    MainWindow german;
    QStringList menus;
    for (QAction* action : german.menuBar()->actions())
        menus << action->text();
    QCOMPARE(menus,
             QStringList({QStringLiteral("&Datei"), QStringLiteral("&Bearbeiten"), QStringLiteral("&Ansicht"),
                          QStringLiteral("&Hilfe")}));
    QListWidget* sidebar = german.findChild<QListWidget*>(QStringLiteral("sidebar"));
    QCOMPARE(sidebar->item(0)->text(), QStringLiteral("Goldene Beispiele"));
    QCOMPARE(german.findChild<QAction*>(QStringLiteral("importAction"))->text(), QStringLiteral("&Importieren…"));
    QCOMPARE(german.trainingPage()->findChild<QPushButton*>(QStringLiteral("startButton"))->text(),
             QStringLiteral("Training &starten"));
    QCOMPARE(german.trainingPage()->lossPlot()->xAxis->label(), QStringLiteral("Schritt"));
    QApplication::removeTranslator(&translator);
}

void TestMainWindow::fitsASmallLaptopScreen()
{
    // A 1366×768 laptop leaves about 1024×700 to a window: every page fits there, and shrinks to it.
    const QString file = makeProject(QStringLiteral("small.tunesmith"), 12);
    QVERIFY(m_window->openProject(file));
    QTRY_VERIFY(!m_window->pagesLoading());
    m_window->show();
    QVERIFY(QTest::qWaitForWindowExposed(m_window.get()));
    auto* pages = m_window->pages();
    for (int i = 0; i < pages->count(); ++i) {
        m_window->sidebar()->setCurrentRow(i);
        QWidget* page = pages->currentWidget();
        if (qEnvironmentVariableIsSet("TS_DUMP_MIN"))
            qInfo("%s", qPrintable(widestChildren(page, 250, 250)));
        const QSize min = page->minimumSizeHint().expandedTo(page->minimumSize());
        QVERIFY2(min.width() <= 1024 - m_window->sidebar()->parentWidget()->width() && min.height() <= 620,
                 qPrintable(QStringLiteral("page %1 needs %2x%3: %4")
                                .arg(i)
                                .arg(min.width())
                                .arg(min.height())
                                .arg(widestChildren(page, 700, 560))));
    }
    const QSize windowMin = m_window->minimumSizeHint().expandedTo(m_window->minimumSize());
    QVERIFY2(windowMin.width() <= 1024 && windowMin.height() <= 700,
             qPrintable(QStringLiteral("the window needs %1x%2").arg(windowMin.width()).arg(windowMin.height())));
    m_window->resize(1024, 700);
    QTRY_COMPARE(m_window->size(), QSize(1024, 700));
    for (int i = 0; i < pages->count(); ++i) {
        m_window->sidebar()->setCurrentRow(i);
        QCoreApplication::processEvents();
        QVERIFY(!ts::test::saveScreenshot(m_window.get(), QStringLiteral("window-1024x700-page%1").arg(i)).isEmpty());
    }
}

QTEST_MAIN(TestMainWindow)
#include "test-main-window.moc"
