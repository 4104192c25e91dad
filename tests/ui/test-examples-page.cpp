// ExamplesPage driven by objectName: filter widgets, the side editor, in-table editors, import through the dialog
// seam (good, bad and CSV files), export, and editing switched off while a job runs.
#include <QAbstractItemModelTester>
#include <QAction>
#include <QComboBox>
#include <QDialogButtonBox>
#include <QLabel>
#include <QLineEdit>
#include <QListWidget>
#include <QPlainTextEdit>
#include <QProgressBar>
#include <QPushButton>
#include <QSignalSpy>
#include <QTableView>
#include <QTableWidget>
#include <QTemporaryDir>
#include <QUndoStack>
#include <QtTest>

#include <chrono>
#include <thread>

#include "bridge/job_controller.h"
#include "dialogs/dialogs.h"
#include "examples/dataset_overview_dialog.h"
#include "examples/example_editor.h"
#include "examples/examples_delegate.h"
#include "examples/examples_model.h"
#include "examples/examples_page.h"
#include "examples/export_dialog.h"
#include "examples/import_dialog.h"
#include "promptlab/few_shot_picker.h"
#include "store/run_repository.h"
#include "ui_test_support.h"

using ts::ui::Dialogs;
using ts::ui::ExamplesModel;
using ts::ui::ExamplesPage;

namespace {

// A job that runs until it is cancelled: keeps the controller busy for as long as a test needs.
class WaitingJob final : public ts::Job
{
public:
    std::string title() const override { return "Waiting"; }
    ts::Status run(const ts::CancelToken& cancel, ts::ProgressSink& progress) override
    {
        int step = 0;
        while (!cancel.stopRequested()) {
            progress.report({step++, 0, "waiting"});
            std::this_thread::sleep_for(std::chrono::milliseconds(2));
        }
        return ts::cancelledError();
    }
};

} // namespace

class TestExamplesPage final : public QObject
{
    Q_OBJECT

private slots:
    void initTestCase();
    void init();
    void cleanup();

    void filterWidgetsChangeRows();
    void sidePanelEditsPersist();
    void sidePanelCommitsWhenSwitchingRows();
    void sidePanelShowsEarlierTurns();
    void viewEditorEditsAndUndo();
    void pageActionsAddDuplicateDelete();
    void importJsonlThroughDialogSeam();
    void importBadFileListsProblems();
    void importSkippingInvalidRows();
    void importCsvWithMapping();
    void cancelLargeImportLeavesProjectUnchanged();
    void exportSelectedRows();
    void editingStaysAvailableWhileJobsRun();
    void escClearsSearchAndMatchesAreHighlighted();
    void emptyProjectShowsHintWithActions();
    void noMatchHintClearsFilters();
    void deleteOffersUndo();
    void jsonOutputIsCheckedAndFormatted();
    void exportDestinationCanBeTyped();
    void fewShotPickerWarnsAboutEvalShots();
    void overviewCountsLengthsAndDuplicates();

private:
    template <typename T> T* child(const char* name) const
    {
        auto* widget = m_page->findChild<T*>(QLatin1String(name));
        if (!widget)
            qWarning("no child named %s", name);
        return widget;
    }
    QString path(const char* name) const { return m_dir->filePath(QLatin1String(name)); }

    std::unique_ptr<QTemporaryDir> m_dir;
    std::unique_ptr<ts::Project> m_project;
    std::unique_ptr<QUndoStack> m_stack;
    std::unique_ptr<ts::ui::JobController> m_jobs;
    std::unique_ptr<ExamplesPage> m_page;
    std::vector<ts::Example> m_examples;
};

void TestExamplesPage::initTestCase()
{
    ts::test::initUiTesting();
}

void TestExamplesPage::init()
{
    Dialogs::clear();
    m_dir = std::make_unique<QTemporaryDir>();
    QVERIFY(m_dir->isValid());
    m_project = ts::test::createProject(path("page.tunesmith"));
    QVERIFY(m_project);
    m_examples.clear();
    for (int i = 0; i < 12; ++i) {
        ts::Example ex
            = ts::test::makeExample("question " + std::to_string(i) + (i % 2 ? " alpha" : " beta"),
                                    "answer " + std::to_string(i), i % 3 == 0 ? ts::Split::Eval : ts::Split::Train);
        if (i % 2 == 0)
            ex.tags = {"even"};
        if (i == 5) {
            ex.messages = {{"system", "Be brief."},
                           {"user", "first turn"},
                           {"assistant", "first answer"},
                           {"user", "question 5 alpha"},
                           {"assistant", "answer 5"}};
        }
        m_examples.push_back(ex);
    }
    ts::test::insertExamples(*m_project, m_examples);

    m_stack = std::make_unique<QUndoStack>();
    m_jobs = std::make_unique<ts::ui::JobController>();
    m_page = std::make_unique<ExamplesPage>(*m_stack, *m_jobs);
    m_page->setProject(m_project.get());
    QTRY_VERIFY(!m_page->isLoading()); // the rows load in the background
    m_page->resize(1100, 700);
    m_page->show();
    QVERIFY(QTest::qWaitForWindowExposed(m_page.get()));
}

void TestExamplesPage::cleanup()
{
    m_jobs->cancelAllAndWait();
    m_page.reset();
    m_stack.reset();
    m_jobs.reset();
    m_project.reset();
    m_dir.reset();
}

static void selectRows(QTableView* view, std::initializer_list<int> rows)
{
    view->clearSelection();
    QItemSelection selection;
    auto* model = view->model();
    for (int row : rows)
        selection.select(model->index(row, 0), model->index(row, model->columnCount() - 1));
    view->selectionModel()->setCurrentIndex(model->index(*rows.begin(), 0), QItemSelectionModel::NoUpdate);
    view->selectionModel()->select(selection, QItemSelectionModel::ClearAndSelect);
}

void TestExamplesPage::filterWidgetsChangeRows()
{
    ExamplesModel* model = m_page->model();
    QAbstractItemModelTester tester(model, QAbstractItemModelTester::FailureReportingMode::QtTest);
    auto* search = child<QLineEdit>("searchEdit");
    auto* splitFilter = child<QComboBox>("splitFilter");
    auto* tagFilter = child<QComboBox>("tagFilter");
    auto* countLabel = child<QLabel>("countLabel");
    QVERIFY(search && splitFilter && tagFilter && countLabel);
    QCOMPARE(countLabel->text(), QStringLiteral("12 examples"));

    QTest::keyClicks(search, QStringLiteral("alpha"));
    QCOMPARE(model->rowCount(), 12); // debounced: nothing yet
    QTRY_COMPARE(model->rowCount(), 6);
    QCOMPARE(countLabel->text(), QStringLiteral("12 examples (6 shown)"));

    splitFilter->setCurrentIndex(splitFilter->findText(QStringLiteral("eval")));
    QCOMPARE(model->rowCount(), 2); // 3 and 9
    splitFilter->setCurrentIndex(0);
    search->clear();
    QTRY_COMPARE(model->rowCount(), 12);

    QVERIFY(tagFilter->findText(QStringLiteral("even")) > 0);
    tagFilter->setCurrentIndex(tagFilter->findText(QStringLiteral("even")));
    QCOMPARE(model->rowCount(), 6);
    tagFilter->setCurrentIndex(0);
    QCOMPARE(model->rowCount(), 12);
}

void TestExamplesPage::sidePanelEditsPersist()
{
    ExamplesModel* model = m_page->model();
    QTableView* view = child<QTableView>("examplesView");
    view->setCurrentIndex(model->index(2, 0));
    const int64_t id = model->idAt(2);
    QCOMPARE(m_page->editor()->exampleId(), id);
    auto* input = child<QPlainTextEdit>("inputEdit");
    QCOMPARE(input->toPlainText(), QStringLiteral("question 2 beta"));

    input->setFocus();
    input->selectAll();
    QTest::keyClicks(input, QStringLiteral("rewritten input"));
    QTRY_COMPARE(ts::test::readFresh(*m_project, id)->input(), std::string("rewritten input"));
    QCOMPARE(m_stack->count(), 1);
    QCOMPARE(model->data(model->index(2, ExamplesModel::InputColumn)).toString(), QStringLiteral("rewritten input"));

    m_stack->undo();
    QCOMPARE(ts::test::readFresh(*m_project, id)->input(), std::string("question 2 beta"));
    QCOMPARE(input->toPlainText(), QStringLiteral("question 2 beta"));
    m_stack->redo();
    QCOMPARE(input->toPlainText(), QStringLiteral("rewritten input"));

    auto* system = child<QPlainTextEdit>("systemEdit");
    system->setPlainText(QStringLiteral("You are terse."));
    m_page->commitPendingEdits();
    QCOMPARE(ts::test::readFresh(*m_project, id)->system(), std::string("You are terse."));

    auto* tags = child<QLineEdit>("tagsEdit");
    tags->setFocus();
    tags->selectAll();
    QTest::keyClicks(tags, QStringLiteral("even, checked"));
    QTest::keyClick(tags, Qt::Key_Return);
    QCOMPARE(ts::test::readFresh(*m_project, id)->tags, (std::vector<std::string> {"even", "checked"}));

    auto* split = child<QComboBox>("splitCombo");
    split->setCurrentIndex(split->findText(QStringLiteral("test")));
    QCOMPARE(ts::test::readFresh(*m_project, id)->split, ts::Split::Test);
    QCOMPARE(m_stack->undoText(), QStringLiteral("Change split"));
}

void TestExamplesPage::sidePanelCommitsWhenSwitchingRows()
{
    ExamplesModel* model = m_page->model();
    QTableView* view = child<QTableView>("examplesView");
    view->setCurrentIndex(model->index(4, 0));
    const int64_t id = model->idAt(4);
    auto* output = child<QPlainTextEdit>("outputEdit");
    output->setPlainText(QStringLiteral("switched before the idle commit"));
    view->setCurrentIndex(model->index(7, 0)); // no waiting
    QCOMPARE(ts::test::readFresh(*m_project, id)->output(), std::string("switched before the idle commit"));
    QCOMPARE(output->toPlainText(), QStringLiteral("answer 7"));
}

void TestExamplesPage::sidePanelShowsEarlierTurns()
{
    ExamplesModel* model = m_page->model();
    QTableView* view = child<QTableView>("examplesView");
    view->setCurrentIndex(model->index(5, 0));
    auto* note = child<QLabel>("turnsNote");
    QVERIFY(note->isVisible());
    QVERIFY2(note->text().contains(QStringLiteral("2 earlier messages")), qPrintable(note->text()));
    QCOMPARE(child<QPlainTextEdit>("systemEdit")->toPlainText(), QStringLiteral("Be brief."));
    child<QPlainTextEdit>("inputEdit")->setPlainText(QStringLiteral("changed last question"));
    m_page->commitPendingEdits();
    const auto stored = ts::test::readFresh(*m_project, model->idAt(5));
    QCOMPARE(stored->messages.size(), size_t(5));
    QCOMPARE(stored->messages[1].content, std::string("first turn"));
    QCOMPARE(stored->messages[3].content, std::string("changed last question"));
    view->setCurrentIndex(model->index(6, 0));
    QVERIFY(!note->isVisible());
}

void TestExamplesPage::viewEditorEditsAndUndo()
{
    ExamplesModel* model = m_page->model();
    QTableView* view = child<QTableView>("examplesView");
    const QModelIndex input = model->index(1, ExamplesModel::InputColumn);
    const int64_t id = model->idAt(1);
    view->setCurrentIndex(input);
    view->edit(input);
    auto* line = view->viewport()->findChild<QLineEdit*>();
    QVERIFY(line);
    line->selectAll();
    QTest::keyClicks(line, QStringLiteral("edited in the table"));
    QTest::keyClick(line, Qt::Key_Return); // the delegate commits on the next event-loop turn
    QTRY_COMPARE(ts::test::readFresh(*m_project, id)->input(), std::string("edited in the table"));

    const QModelIndex split = model->index(1, ExamplesModel::SplitColumn);
    view->setCurrentIndex(split);
    view->edit(split);
    auto* combo = view->viewport()->findChild<QComboBox*>(QStringLiteral("splitEditor"));
    QVERIFY(combo);
    combo->setCurrentIndex(combo->findText(QStringLiteral("eval")));
    emit combo->activated(combo->currentIndex());
    QTRY_COMPARE(ts::test::readFresh(*m_project, id)->split, ts::Split::Eval);
    QCOMPARE(m_stack->count(), 2);

    m_stack->undo();
    QCOMPARE(ts::test::readFresh(*m_project, id)->split, ts::Split::Train);
    m_stack->undo();
    QCOMPARE(ts::test::readFresh(*m_project, id)->input(), std::string("question 1 alpha"));
    QCOMPARE(model->data(input).toString(), QStringLiteral("question 1 alpha"));
    m_stack->redo();
    QCOMPARE(ts::test::readFresh(*m_project, id)->input(), std::string("edited in the table"));
}

void TestExamplesPage::pageActionsAddDuplicateDelete()
{
    ExamplesModel* model = m_page->model();
    QTableView* view = child<QTableView>("examplesView");
    auto* add = child<QAction>("addAction");
    auto* duplicate = child<QAction>("duplicateAction");
    auto* remove = child<QAction>("deleteAction");

    add->trigger();
    QCOMPARE(model->rowCount(), 13);
    QCOMPARE(ts::test::countFresh(*m_project), 13);
    QCOMPARE(m_page->editor()->exampleId(), model->idAt(12));
    QCOMPARE(view->currentIndex().row(), 12);

    selectRows(view, {0, 1});
    duplicate->trigger();
    QCOMPARE(model->rowCount(), 15);
    QVERIFY(model->exampleAt(13)->sameContent(*model->exampleAt(0)));

    selectRows(view, {0, 1, 2});
    remove->trigger();
    QCOMPARE(model->rowCount(), 12);
    QCOMPARE(ts::test::countFresh(*m_project), 12);
    QCOMPARE(m_stack->undoText(), QStringLiteral("Delete 3 examples"));
    m_stack->undo();
    QCOMPARE(model->rowCount(), 15);
    QCOMPARE(ts::test::readFresh(*m_project, m_examples[0].id)->input(), m_examples[0].input());
    m_stack->undo();
    m_stack->undo();
    QCOMPARE(model->rowCount(), 12);
    QCOMPARE(ts::test::countFresh(*m_project), 12);

    selectRows(view, {0, 1});
    child<QAction>("split_test")->trigger();
    QCOMPARE(ts::test::readFresh(*m_project, model->idAt(0))->split, ts::Split::Test);
    QCOMPARE(ts::test::readFresh(*m_project, model->idAt(1))->split, ts::Split::Test);
    m_stack->undo();
    QCOMPARE(ts::test::readFresh(*m_project, model->idAt(0))->split, ts::Split::Eval);

    Dialogs::setNextText(QStringLiteral("reviewed, qa"));
    child<QAction>("tagAction")->trigger();
    QCOMPARE(ts::test::readFresh(*m_project, model->idAt(1))->tags, (std::vector<std::string> {"reviewed", "qa"}));
    QTRY_VERIFY(child<QComboBox>("tagFilter")->findText(QStringLiteral("reviewed")) > 0); // read in the background
}

void TestExamplesPage::importJsonlThroughDialogSeam()
{
    const QString file = path("good.jsonl");
    ts::test::writeText(
        file,
        R"({"messages":[{"role":"user","content":"new one"},{"role":"assistant","content":"n1"}],"tags":["fresh"]})"
        "\n"
        R"({"messages":[{"role":"user","content":"new two"},{"role":"assistant","content":"n2"}]})"
        "\n"
        R"({"messages":[{"role":"user","content":"new three"},{"role":"assistant","content":"n3"}],"split":"test"})"
        "\n");
    Dialogs::setNextFileName(file);
    child<QAction>("importAction")->trigger();
    auto* dialog = m_page->findChild<ts::ui::ImportDialog*>();
    QVERIFY(dialog);
    QVERIFY(dialog->isVisible());
    QCOMPARE(dialog->format(), ts::DataFormat::OpenAiJsonl);
    QTest::mouseClick(dialog->findChild<QPushButton*>(QStringLiteral("importButton")), Qt::LeftButton);
    QTRY_COMPARE(m_page->model()->rowCount(), 15);
    QCOMPARE(ts::test::countFresh(*m_project), 15);
    QCOMPARE(m_stack->undoText(), QStringLiteral("Import 3 examples from good.jsonl"));
    QTRY_VERIFY(!m_page->findChild<ts::ui::ImportDialog*>());
    QTRY_VERIFY(child<QComboBox>("tagFilter")->findText(QStringLiteral("fresh")) > 0); // read in the background

    m_stack->undo();
    QCOMPARE(m_page->model()->rowCount(), 12);
    QCOMPARE(ts::test::countFresh(*m_project), 12);
    m_stack->redo();
    QCOMPARE(m_page->model()->rowCount(), 15);
    QCOMPARE(m_page->model()->data(m_page->model()->index(14, 0)).toString(), QStringLiteral("new three"));
}

void TestExamplesPage::importBadFileListsProblems()
{
    const QString file = path("bad.jsonl");
    ts::test::writeText(file,
                        R"({"messages":[{"role":"user","content":"ok"},{"role":"assistant","content":"ok"}]})"
                        "\n"
                        R"({"messages": [)"
                        "\n"
                        R"({"messages":[{"role":"user","content":"ok 2"},{"role":"assistant","content":"ok"}]})"
                        "\n"
                        R"({"messages":"not a list"})"
                        "\n");
    Dialogs::setNextFileName(file);
    child<QAction>("importAction")->trigger();
    auto* dialog = m_page->findChild<ts::ui::ImportDialog*>();
    QVERIFY(dialog);
    QVERIFY(dialog->startImport());
    auto* problems = dialog->findChild<QListWidget*>(QStringLiteral("problemList"));
    QTRY_VERIFY(problems->isVisible());
    QCOMPARE(problems->count(), 2);
    QVERIFY2(problems->item(0)->text().contains(QStringLiteral("line 2")), qPrintable(problems->item(0)->text()));
    QVERIFY2(problems->item(1)->text().contains(QStringLiteral("line 4")), qPrintable(problems->item(1)->text()));
    const QString heading = dialog->findChild<QLabel*>(QStringLiteral("problemLabel"))->text();
    QVERIFY2(heading.contains(QStringLiteral("bad.jsonl")), qPrintable(heading));
    QCOMPARE(ts::test::countFresh(*m_project), 12);
    QCOMPARE(m_page->model()->rowCount(), 12);
    QCOMPARE(m_stack->count(), 0);
    QVERIFY(dialog->isVisible());
    dialog->reject();

    // Many bad rows: the first 20 are listed, then "and N more".
    QByteArray many = R"({"messages":[{"role":"user","content":"ok"},{"role":"assistant","content":"ok"}]})"
                      "\n";
    for (int i = 0; i < 25; ++i)
        many += "{broken\n";
    const QString manyFile = path("many.jsonl");
    ts::test::writeText(manyFile, many);
    auto* second = m_page->showImportDialog(manyFile);
    QVERIFY(second);
    QVERIFY(second->startImport());
    QTRY_VERIFY(second->problemList()->isVisible());
    QCOMPARE(second->problemList()->count(), 21);
    QVERIFY(second->problemList()->item(0)->text().contains(QStringLiteral("line 2")));
    QVERIFY2(second->problemList()->item(20)->text().contains(QStringLiteral("5 more")),
             qPrintable(second->problemList()->item(20)->text()));
    QCOMPARE(ts::test::countFresh(*m_project), 12);
    second->reject();
}

void TestExamplesPage::importSkippingInvalidRows()
{
    const QString file = path("mixed.jsonl");
    ts::test::writeText(file,
                        R"({"messages":[{"role":"user","content":"keep 1"},{"role":"assistant","content":"k"}]})"
                        "\n"
                        "{not json\n"
                        R"({"messages":[{"role":"user","content":"keep 2"},{"role":"assistant","content":"k"}]})"
                        "\n");
    auto* dialog = m_page->showImportDialog(file);
    QVERIFY(dialog);
    dialog->setSkipInvalid(true);
    QVERIFY(dialog->startImport());
    QTRY_COMPARE(ts::test::countFresh(*m_project), 14);
    QTRY_VERIFY(dialog->problemList()->isVisible());
    QCOMPARE(dialog->problemList()->count(), 1);
    QVERIFY(dialog->problemList()->item(0)->text().contains(QStringLiteral("line 2")));
    QCOMPARE(dialog->findChild<QLabel*>(QStringLiteral("problemLabel"))->text(),
             QStringLiteral("Imported 2 examples from mixed.jsonl; skipped 1 invalid row:"));
    QCOMPARE(m_page->model()->rowCount(), 14);
    QTest::mouseClick(dialog->findChild<QPushButton*>(QStringLiteral("importButton")), Qt::LeftButton);
    QTRY_VERIFY(!m_page->findChild<ts::ui::ImportDialog*>());
    m_stack->undo();
    QCOMPARE(ts::test::countFresh(*m_project), 12);
}

void TestExamplesPage::importCsvWithMapping()
{
    const QString file = path("sheet.csv");
    ts::test::writeText(file,
                        "question,answer,bucket,labels\n"
                        "\"What is 2+2?\",4,eval,math\n"
                        "\"Capital of France?\",Paris,test,\"geo, europe\"\n");
    auto* dialog = m_page->showImportDialog(file);
    QVERIFY(dialog);
    QCOMPARE(dialog->format(), ts::DataFormat::Csv);
    QVERIFY(dialog->findChild<QWidget*>(QStringLiteral("csvGroup"))->isVisible());
    auto* preview = dialog->findChild<QTableWidget*>(QStringLiteral("csvPreview"));
    QCOMPARE(preview->columnCount(), 4);
    QCOMPARE(preview->rowCount(), 2);
    auto map = [dialog](const char* name, const QString& column) {
        auto* combo = dialog->findChild<QComboBox*>(QLatin1String(name));
        combo->setCurrentIndex(combo->findText(column));
    };
    map("mapInput", QStringLiteral("question"));
    map("mapOutput", QStringLiteral("answer"));
    map("mapSplit", QStringLiteral("bucket"));
    map("mapTags", QStringLiteral("labels"));
    QVERIFY(dialog->startImport());
    QTRY_COMPARE(m_page->model()->rowCount(), 14);
    const auto last = m_page->model()->exampleAt(13);
    QCOMPARE(last->input(), std::string("Capital of France?"));
    QCOMPARE(last->output(), std::string("Paris"));
    QCOMPARE(last->split, ts::Split::Test);
    QCOMPARE(last->tags, (std::vector<std::string> {"geo", "europe"}));
}

void TestExamplesPage::cancelLargeImportLeavesProjectUnchanged()
{
    // 100,000 rows: long enough to press Cancel while the progress bar moves.
    const QString file = path("large.jsonl");
    QByteArray text;
    for (int i = 0; i < 100000; ++i)
        text += QByteArray(R"({"messages":[{"role":"user","content":"claim )") + QByteArray::number(i)
            + R"( rear-ended at the lights"},{"role":"assistant","content":"{\"id\":)" + QByteArray::number(i)
            + "}\"}]}\n";
    ts::test::writeText(file, text);
    Dialogs::setNextFileName(file);
    child<QAction>("importAction")->trigger();
    auto* dialog = m_page->findChild<ts::ui::ImportDialog*>();
    QVERIFY(dialog);
    auto* progress = dialog->findChild<QProgressBar*>();
    QVERIFY(progress);
    QTest::mouseClick(dialog->findChild<QPushButton*>(QStringLiteral("importButton")), Qt::LeftButton);
    QVERIFY(dialog->isRunning());
    QTRY_VERIFY(progress->isVisible());
    QTRY_VERIFY_WITH_TIMEOUT(progress->value() > 0, 20000); // progress arrives while the GUI stays responsive
    QSignalSpy finished(dialog, &ts::ui::ImportDialog::importFinished);
    QPushButton* cancel = dialog->findChild<QDialogButtonBox*>()->button(QDialogButtonBox::Cancel);
    QVERIFY(cancel->isEnabled());
    QTest::mouseClick(cancel, Qt::LeftButton);
    QTRY_VERIFY_WITH_TIMEOUT(m_jobs->activeCount() == 0, 30000);
    QCOMPARE(ts::test::countFresh(*m_project), 12);
    QCOMPARE(m_page->model()->rowCount(), 12);
    QVERIFY(m_stack->undoText().isEmpty() || !m_stack->undoText().startsWith(QStringLiteral("Import")));
}

void TestExamplesPage::exportSelectedRows()
{
    QTableView* view = child<QTableView>("examplesView");
    selectRows(view, {0, 2});
    auto* dialog = m_page->showExportDialog();
    QVERIFY(dialog);
    QCOMPARE(dialog->scope(), ts::ui::ExportDialog::Scope::Selected);
    const QString out = path("out.jsonl");
    dialog->setFile(out);
    QVERIFY(dialog->startExport());
    QTRY_VERIFY(!m_page->findChild<ts::ui::ExportDialog*>());
    QFile file(out);
    QVERIFY(file.open(QIODevice::ReadOnly));
    const QByteArray text = file.readAll();
    const ts::ParsedFile parsed = ts::parseText(text.toStdString(), ts::DataFormat::OpenAiJsonl);
    QCOMPARE(parsed.examples.size(), size_t(2));
    QVERIFY(parsed.problems.empty());
    QVERIFY(parsed.examples[0].sameContent(m_examples[0]));
    QVERIFY(parsed.examples[1].sameContent(m_examples[2]));
}

void TestExamplesPage::editingStaysAvailableWhileJobsRun()
{
    auto* add = child<QAction>("addAction");
    auto* import = child<QAction>("importAction");
    QVERIFY(add->isEnabled());
    QSignalSpy progress(m_jobs.get(), &ts::ui::JobController::progress);
    QSignalSpy finished(m_jobs.get(), &ts::ui::JobController::finished);
    // Two jobs at once (a training run and an A/B test, say): neither blocks the other nor the editor.
    const ts::ui::JobId first = m_jobs->start(std::make_shared<WaitingJob>());
    const ts::ui::JobId second = m_jobs->start(std::make_shared<WaitingJob>());
    QVERIFY(first != 0 && second != 0 && first != second);
    QCOMPARE(m_jobs->activeCount(), 2);
    QVERIFY(add->isEnabled());
    QVERIFY(import->isEnabled());
    QVERIFY(m_page->model()->flags(m_page->model()->index(0, 0)) & Qt::ItemIsEditable);
    QVERIFY(!child<QPlainTextEdit>("inputEdit")->isReadOnly());

    // Each job reports every ~2 ms; the controller forwards at most ~10 per second for each.
    QTest::qWait(1000);
    int ofFirst = 0, ofSecond = 0;
    for (const QList<QVariant>& signal : progress) {
        const auto id = signal.at(0).value<ts::ui::JobId>();
        ofFirst += id == first ? 1 : 0;
        ofSecond += id == second ? 1 : 0;
    }
    QVERIFY2(ofFirst >= 5 && ofSecond >= 5, qPrintable(QStringLiteral("%1 %2").arg(ofFirst).arg(ofSecond)));
    QVERIFY2(ofFirst <= 12 && ofSecond <= 12, qPrintable(QStringLiteral("%1 %2").arg(ofFirst).arg(ofSecond)));

    m_jobs->cancel(first);
    QTRY_COMPARE(finished.count(), 1);
    QCOMPARE(finished.at(0).at(0).value<ts::ui::JobId>(), first);
    QCOMPARE(finished.at(0).at(1).toBool(), false); // ok
    QCOMPARE(finished.at(0).at(3).toBool(), true); // cancelled
    QVERIFY(m_jobs->isActive(second));
    m_jobs->cancel(second);
    QTRY_COMPARE(finished.count(), 2);
    QCOMPARE(m_jobs->activeCount(), 0);
}

void TestExamplesPage::escClearsSearchAndMatchesAreHighlighted()
{
    auto* search = child<QLineEdit>("searchEdit");
    search->setFocus();
    QTest::keyClicks(search, "ALPHA");
    m_page->applyFilter();
    QCOMPARE(m_page->model()->rowCount(), 6); // the odd questions
    QCOMPARE(
        ts::ui::ExamplesDelegate::matchPositions(QStringLiteral("question 1 alpha, Alpha"), QStringLiteral("ALPHA")),
        QList<int>({11, 18}));
    QVERIFY(!ts::test::saveScreenshot(m_page.get(), QStringLiteral("examples-search-highlight")).isEmpty());

    QTest::keyClick(search, Qt::Key_Escape);
    QVERIFY(search->text().isEmpty());
    QCOMPARE(m_page->model()->rowCount(), 12); // at once, not after the debounce
    QVERIFY(search->hasFocus());
    // A second Esc in the empty field goes back to the table.
    QTest::keyClick(search, Qt::Key_Escape);
    QVERIFY(child<QTableView>("examplesView")->hasFocus());
}

void TestExamplesPage::emptyProjectShowsHintWithActions()
{
    auto empty = ts::test::createProject(path("empty.tunesmith"));
    QVERIFY(empty);
    m_page->setProject(empty.get());
    QTRY_VERIFY(!m_page->isLoading());
    const QString hint = m_page->emptyHintText();
    QVERIFY2(hint.startsWith(QStringLiteral("No examples yet")), qPrintable(hint));
    QVERIFY2(hint.contains(QStringLiteral("(Ins or Ctrl+Shift+N)"))
                 || hint.contains(QStringLiteral("(Insert or Ctrl+Shift+N)")),
             qPrintable(hint));
    QVERIFY2(hint.contains(QStringLiteral("(Ctrl+I)")), qPrintable(hint));
    auto* add = child<QPushButton>("emptyAddButton");
    QVERIFY(add->isVisible() && add->isEnabled());
    QVERIFY(child<QPushButton>("emptyImportButton")->isVisible());
    QVERIFY(!ts::test::saveScreenshot(m_page.get(), QStringLiteral("examples-empty-project")).isEmpty());

    QTest::mouseClick(add, Qt::LeftButton);
    QCOMPARE(m_page->model()->rowCount(), 1);
    QVERIFY(m_page->emptyHintText().isEmpty());
    QVERIFY(child<QTableView>("examplesView")->isVisible());
    m_page->setProject(nullptr);
}

void TestExamplesPage::noMatchHintClearsFilters()
{
    auto* search = child<QLineEdit>("searchEdit");
    search->setText(QStringLiteral("no such text"));
    m_page->applyFilter();
    QCOMPARE(m_page->model()->rowCount(), 0);
    QVERIFY2(m_page->emptyHintText().contains(QStringLiteral("“no such text”")), qPrintable(m_page->emptyHintText()));
    auto* clear = child<QPushButton>("emptyClearButton");
    QVERIFY(clear->isVisible());
    QVERIFY(!child<QPushButton>("emptyAddButton")->isVisible());
    QTest::mouseClick(clear, Qt::LeftButton);
    QVERIFY(search->text().isEmpty());
    QCOMPARE(m_page->model()->rowCount(), 12);
    QVERIFY(m_page->emptyHintText().isEmpty());
}

void TestExamplesPage::deleteOffersUndo()
{
    QTableView* view = child<QTableView>("examplesView");
    selectRows(view, {1, 3});
    m_page->deleteSelected();
    QCOMPARE(m_page->model()->rowCount(), 10);
    QCOMPARE(m_page->deletedNoticeText(), QStringLiteral("2 examples deleted."));
    QVERIFY(!ts::test::saveScreenshot(m_page.get(), QStringLiteral("examples-deleted-undo")).isEmpty());
    QTest::mouseClick(child<QPushButton>("deletedUndoButton"), Qt::LeftButton);
    QCOMPARE(m_page->model()->rowCount(), 12);
    QCOMPARE(ts::test::countFresh(*m_project), int64_t(12));
    QVERIFY(m_page->deletedNoticeText().isEmpty());

    // One row: singular; another change of the undo stack takes the notice away (its Undo would undo that).
    selectRows(view, {0});
    m_page->deleteSelected();
    QCOMPARE(m_page->deletedNoticeText(), QStringLiteral("1 example deleted."));
    m_page->addExample();
    QVERIFY(m_page->deletedNoticeText().isEmpty());
}

void TestExamplesPage::jsonOutputIsCheckedAndFormatted()
{
    QTableView* view = child<QTableView>("examplesView");
    view->setCurrentIndex(m_page->model()->index(0, 0));
    const int64_t id = m_page->editor()->exampleId();
    auto* output = child<QPlainTextEdit>("outputEdit");
    auto* status = child<QLabel>("outputJsonStatus");
    auto* format = child<QPushButton>("formatJsonButton");
    QVERIFY(!status->isVisible()); // "answer 0" is not JSON
    QVERIFY(!format->isVisible());

    output->setPlainText(QStringLiteral("{\n  \"a\": 1,\n  \"b\" [1, 2]\n}"));
    QVERIFY(status->isVisible());
    QCOMPARE(m_page->editor()->jsonProblem(),
             QStringLiteral("Line 3, column 7: unexpected [ (a comma or a colon may be missing before it)."));
    QVERIFY(!format->isEnabled());
    QVERIFY(!ts::test::saveScreenshot(m_page.get(), QStringLiteral("examples-json-invalid")).isEmpty());

    output->setPlainText(QStringLiteral("{\"b\": [1, 2], \"a\": {\"ü\": null}"));
    QCOMPARE(m_page->editor()->jsonProblem(),
             QStringLiteral("Line 1, column 31: the text ends before the JSON is complete (a closing }, ] or \" may be "
                            "missing)."));
    output->setPlainText(QStringLiteral("{\"b\": [1, 2], \"a\": {\"ü\": null}}"));
    QVERIFY(m_page->editor()->jsonProblem().isEmpty());
    QCOMPARE(status->text(), QStringLiteral("Valid JSON."));
    QVERIFY(format->isEnabled());
    m_page->commitPendingEdits();
    const int before = m_stack->index();
    QTest::mouseClick(format, Qt::LeftButton);
    const QString formatted = QStringLiteral("{\n  \"b\": [\n    1,\n    2\n  ],\n  \"a\": {\n    \"ü\": null\n  }\n}");
    QCOMPARE(output->toPlainText(), formatted); // keys keep their order
    QCOMPARE(m_stack->index(), before + 1); // one undoable step
    QCOMPARE(QString::fromStdString(ts::test::readFresh(*m_project, id)->output()), formatted);
    QVERIFY(!format->isEnabled()); // already formatted
    m_stack->undo();
    QCOMPARE(QString::fromStdString(ts::test::readFresh(*m_project, id)->output()),
             QStringLiteral("{\"b\": [1, 2], \"a\": {\"ü\": null}}"));
}

void TestExamplesPage::exportDestinationCanBeTyped()
{
    auto* dialog = m_page->showExportDialog();
    QVERIFY(dialog);
    auto* edit = dialog->findChild<QLineEdit*>(QStringLiteral("fileEdit"));
    auto* exportButton = dialog->findChild<QPushButton*>(QStringLiteral("exportButton"));
    auto* status = dialog->findChild<QLabel*>(QStringLiteral("statusLabel"));
    QVERIFY(edit && exportButton && status);
    QVERIFY(!edit->isReadOnly());
    QVERIFY(!exportButton->isEnabled());

    edit->setFocus();
    QTest::keyClicks(edit, path("missing/out.jsonl"));
    QVERIFY(!exportButton->isEnabled());
    QVERIFY2(status->text().startsWith(QStringLiteral("The folder "))
                 && status->text().endsWith(QStringLiteral(" does not exist.")),
             qPrintable(status->text()));
    QVERIFY(!dialog->startExport());

    edit->clear();
    QTest::keyClicks(edit, m_dir->path() + QStringLiteral("/"));
    QVERIFY(!exportButton->isEnabled());
    QVERIFY2(status->text().contains(QStringLiteral("is a folder: add a file name")), qPrintable(status->text()));
    QVERIFY(!ts::test::saveScreenshot(dialog, QStringLiteral("export-typed-destination")).isEmpty());

    // A bare name goes next to the project.
    edit->clear();
    QTest::keyClicks(edit, QStringLiteral("typed.jsonl"));
    QVERIFY(exportButton->isEnabled());
    QVERIFY(status->text().isEmpty());
    QCOMPARE(dialog->file(), path("typed.jsonl"));
    ts::test::writeText(path("typed.jsonl"), "old");
    Dialogs::setNextAnswer(QMessageBox::No);
    QVERIFY(!dialog->startExport()); // replacing was refused
    QVERIFY2(Dialogs::lastMessage().contains(QStringLiteral("typed.jsonl already exists")),
             qPrintable(Dialogs::lastMessage()));
    Dialogs::setNextAnswer(QMessageBox::Yes);
    QSignalSpy finished(dialog, &ts::ui::ExportDialog::exportFinished);
    QTest::mouseClick(exportButton, Qt::LeftButton);
    QTRY_COMPARE(finished.count(), 1);
    QVERIFY(finished.at(0).at(0).toBool());
    QFile file(path("typed.jsonl"));
    QVERIFY(file.open(QIODevice::ReadOnly));
    QCOMPARE(ts::parseText(file.readAll().toStdString(), ts::DataFormat::OpenAiJsonl).examples.size(), size_t(12));
}

void TestExamplesPage::fewShotPickerWarnsAboutEvalShots()
{
    ts::ui::FewShotPicker picker;
    picker.setProject(m_project.get());
    QTRY_VERIFY(!picker.isLoading());
    auto* warning = picker.findChild<QLabel*>(QStringLiteral("fewShotSplitWarning"));
    QVERIFY(warning);
    // m_examples[i] is eval when i % 3 == 0.
    picker.setIds({m_examples[1].id, m_examples[2].id});
    QVERIFY(picker.splitWarning().isEmpty());
    picker.setIds({m_examples[0].id, m_examples[1].id, m_examples[3].id});
    QCOMPARE(
        picker.splitWarning(),
        QStringLiteral("2 of the chosen shots are in the eval split: an A/B run on eval would see its own answers. "
                       "Pick shots from the train split."));
    picker.resize(700, 300);
    picker.show();
    QVERIFY(QTest::qWaitForWindowExposed(&picker));
    QVERIFY(warning->isVisible());
    QVERIFY(!ts::test::saveScreenshot(&picker, QStringLiteral("few-shot-eval-warning")).isEmpty());

    ts::Example test = ts::test::makeExample("held out", "answer", ts::Split::Test);
    std::vector<ts::Example> more {test};
    ts::test::insertExamples(*m_project, more);
    picker.setIds({m_examples[1].id, more[0].id});
    QCOMPARE(
        picker.splitWarning(),
        QStringLiteral("1 of the 2 chosen shots is in the test split: an A/B run on test would see its own answer. "
                       "Pick shots from the train split."));
    // Removing the leaking shot removes the warning.
    picker.chosenList()->setCurrentRow(1);
    picker.removeSelected();
    QVERIFY(picker.splitWarning().isEmpty());
    QVERIFY(!warning->isVisible());
}

void TestExamplesPage::overviewCountsLengthsAndDuplicates()
{
    // Exact copy of example 2 (spacing differs) and a near copy of example 4 (one character more).
    std::vector<ts::Example> more {ts::test::makeExample("question  2 beta ", "answer 2", ts::Split::Test),
                                   ts::test::makeExample("question 4 beta", "answer 4!", ts::Split::Train, {"even"})};
    more[1].setInput("A much longer question number four about the refund of a parcel that arrived late and broken");
    std::vector<ts::Example> nearBase {m_examples[4]};
    nearBase[0].setInput(more[1].input());
    nearBase[0].setOutput("answer 4");
    m_page->model()->applyExample(nearBase[0]);
    ts::test::insertExamples(*m_project, more);
    {
        auto lock = m_project->writeLock();
        QVERIFY(m_project->setMeta("training.model_dir", ts::test::llama3TokenizerDir().toStdString()));
        ts::RunRepository runs(m_project->writer());
        ts::Run run;
        run.kind = "train";
        run.name = "earlier run";
        run.config = R"({"max_seq_len": 40})";
        QVERIFY(runs.create(run));
    }

    auto* dialog = m_page->showOverview();
    QVERIFY(dialog);
    QSignalSpy computed(dialog, &ts::ui::DatasetOverviewDialog::computed);
    QVERIFY(computed.wait(30000));
    QVERIFY(dialog->overview().has_value());
    const ts::DatasetOverview& o = *dialog->overview();
    QCOMPARE(o.total, int64_t(14));
    QCOMPARE(o.eval, int64_t(4)); // 0 3 6 9
    QCOMPARE(o.test, int64_t(1));
    QCOMPARE(o.train, int64_t(9));
    QCOMPARE(dialog->findChild<QLabel*>(QStringLiteral("splitCounts"))->text(),
             QStringLiteral("Train: 9 · Eval: 4 · Test: 1"));
    auto* tags = dialog->findChild<QTableWidget*>(QStringLiteral("tagTable"));
    QCOMPARE(tags->rowCount(), 2);
    QCOMPARE(tags->item(0, 0)->text(), QStringLiteral("even"));
    QCOMPARE(tags->item(0, 1)->text(), QStringLiteral("7")); // 0 2 4 6 8 10 and the near copy
    QCOMPARE(tags->item(1, 1)->text(), QStringLiteral("7"));
    QCOMPARE(o.exactDuplicateGroups, (std::vector<std::vector<int64_t>> {{m_examples[2].id, more[0].id}}));
    QCOMPARE(o.nearDuplicateGroups, (std::vector<std::vector<int64_t>> {{m_examples[4].id, more[1].id}}));
    QCOMPARE(dialog->findChild<QLabel*>(QStringLiteral("exactDuplicates"))->text(),
             QStringLiteral("1 exact duplicate (1 group)."));
    QCOMPARE(dialog->findChild<QLabel*>(QStringLiteral("nearDuplicates"))->text(),
             QStringLiteral("1 near duplicate (1 group)."));

    // Counted with the Llama 3 tokenizer and chat template, every example.
    QCOMPARE(o.uncounted, int64_t(0));
    QVERIFY(dialog->findChild<QLabel*>(QStringLiteral("lengthNote"))
                ->text()
                .startsWith(QStringLiteral("Counted as training")));
    QCOMPARE(dialog->maxLength(), 40); // from the latest training run
    const auto longest = std::max_element(o.tokenLengths.begin(), o.tokenLengths.end());
    const auto lengthOf = [&o](int64_t id) {
        return o.tokenLengths[size_t(std::find(o.ids.begin(), o.ids.end(), id) - o.ids.begin())];
    };
    // The long question pair is longer than a short question (the template adds the same header to both).
    const int64_t shortLength = lengthOf(m_examples[1].id);
    QVERIFY(lengthOf(m_examples[4].id) > shortLength && lengthOf(more[1].id) > shortLength);
    dialog->setMaxLength(static_cast<int>(shortLength));
    const int64_t longer = ts::countLongerThan(o.tokenLengths, shortLength);
    QVERIFY(longer >= 2 && longer < 14);
    QCOMPARE(dialog->longerText(),
             QStringLiteral("%1 of 14 examples are longer than %2 tokens: training cuts or drops them.")
                 .arg(longer)
                 .arg(shortLength));
    dialog->setMaxLength(static_cast<int>(*longest));
    QCOMPARE(dialog->longerText(), QStringLiteral("No example is longer than %1 tokens.").arg(*longest));
    dialog->setMaxLength(40);
    QVERIFY(!ts::test::saveScreenshot(dialog, QStringLiteral("dataset-overview")).isEmpty());

    // Clicking a group selects its rows on the page, even when a filter hid them.
    auto* search = child<QLineEdit>("searchEdit");
    search->setText(QStringLiteral("alpha"));
    m_page->applyFilter();
    auto* groups = dialog->findChild<QListWidget*>(QStringLiteral("duplicateGroups"));
    QCOMPARE(groups->count(), 2);
    QVERIFY(
        groups->item(0)->text().startsWith(QStringLiteral("Exact: #%1, #%2").arg(m_examples[2].id).arg(more[0].id)));
    QTest::mouseClick(groups->viewport(), Qt::LeftButton, {}, groups->visualItemRect(groups->item(1)).center());
    QVERIFY(search->text().isEmpty());
    std::vector<int64_t> selected;
    for (int row : m_page->selectedRows())
        selected.push_back(m_page->model()->idAt(row));
    QCOMPARE(selected.size(), size_t(2));
    QVERIFY(std::find(selected.begin(), selected.end(), m_examples[4].id) != selected.end());
    QVERIFY(std::find(selected.begin(), selected.end(), more[1].id) != selected.end());
    dialog->close();
}

QTEST_MAIN(TestExamplesPage)
#include "test-examples-page.moc"
