// ExamplesModel and the undo commands on a real project file: model consistency (QAbstractItemModelTester),
// filters, sorting, undoable edits checked against fresh database reads, and lazy paging over 100,000 rows.
#include <QAbstractItemModelTester>
#include <QElapsedTimer>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QUndoStack>
#include <QtTest>

#include "bridge/background_task.h"
#include "examples/examples_model.h"
#include "examples/undo/delete_examples_command.h"
#include "examples/undo/edit_example_command.h"
#include "examples/undo/import_examples_command.h"
#include "examples/undo/insert_examples_command.h"
#include "examples/undo/set_split_command.h"
#include "examples/undo/set_tags_command.h"
#include "store/example_repository.h"
#include "ui_test_support.h"

using ts::ui::ExamplesModel;

class TestExamplesModel final : public QObject
{
    Q_OBJECT

private slots:
    void initTestCase();
    void init();
    void cleanup();

    void loadsInTheBackgroundAndDropsAReplacedProjectsRows();
    void modelTesterThroughFiltersSortsAndEdits();
    void editUndoRedoPersists();
    void editsDoNotReset();
    void filtersChangeRowCount();
    void sortByColumns();
    void addDuplicateDeleteUndo();
    void setSplitAndTagsUndo();
    void importCommandUndoRedo();
    void typingEditsMerge();
    void lazyFetchOf100kRows();

private:
    QString projectPath() const { return m_dir->filePath(QStringLiteral("model.tunesmith")); }

    std::unique_ptr<QTemporaryDir> m_dir;
    std::unique_ptr<ts::Project> m_project;
    std::vector<ts::Example> m_examples;
};

void TestExamplesModel::initTestCase()
{
    ts::test::initUiTesting();
}

void TestExamplesModel::init()
{
    m_dir = std::make_unique<QTemporaryDir>();
    QVERIFY(m_dir->isValid());
    m_project = ts::test::createProject(projectPath());
    QVERIFY(m_project);
    // 40 rows: every 4th is eval, every 5th test; "alpha" in 10 inputs; tags "billing" / "refund".
    m_examples.clear();
    for (int i = 0; i < 40; ++i) {
        const ts::Split split = i % 5 == 0 ? ts::Split::Test : i % 4 == 0 ? ts::Split::Eval : ts::Split::Train;
        std::vector<std::string> tags;
        if (i % 3 == 0)
            tags.push_back("billing");
        if (i % 7 == 0)
            tags.push_back("refund");
        const std::string word = i % 4 == 1 ? "alpha" : "beta";
        char input[64];
        std::snprintf(input, sizeof input, "q%02d %s question", 39 - i, word.c_str());
        m_examples.push_back(ts::test::makeExample(input, "answer " + std::to_string(i), split, tags));
    }
    ts::test::insertExamples(*m_project, m_examples);
}

void TestExamplesModel::cleanup()
{
    m_project.reset();
    m_dir.reset();
}

void TestExamplesModel::loadsInTheBackgroundAndDropsAReplacedProjectsRows()
{
    auto other = ts::test::createProject(m_dir->filePath(QStringLiteral("other.tunesmith")));
    QVERIFY(other);
    std::vector<ts::Example> one {ts::test::makeExample("only", "row")};
    ts::test::insertExamples(*other, one);

    ExamplesModel model;
    QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
    QSignalSpy loaded(&model, &ExamplesModel::loaded);
    // setProject() returns before anything is read: no rows yet, the load runs on the pool.
    model.setProject(m_project.get());
    QVERIFY(model.isLoading());
    QCOMPARE(model.rowCount(), 0);
    // Switched before the load arrived: only the second project's rows are ever shown.
    model.setProject(other.get());
    QVERIFY(model.isLoading());
    ts::ui::workPool().waitForDone(); // both reads have ended; their results are queued
    QCoreApplication::sendPostedEvents();
    QTRY_VERIFY(!model.isLoading());
    QCoreApplication::sendPostedEvents();
    QCOMPARE(loaded.count(), 1);
    QCOMPARE(model.rowCount(), 1);
    QCOMPARE(model.totalCount(), int64_t(1));
    QCOMPARE(model.cachedRowCount(), size_t(1)); // the first page came with the load
    QCOMPARE(model.data(model.index(0, ExamplesModel::InputColumn)).toString(), QStringLiteral("only"));

    // Closed before the load arrived: nothing is applied.
    model.setProject(m_project.get());
    model.setProject(nullptr);
    ts::ui::workPool().waitForDone();
    for (int round = 0; round < 3; ++round) // the result's watcher signals through queued events
        QCoreApplication::processEvents();
    QCOMPARE(loaded.count(), 1);
    QCOMPARE(model.rowCount(), 0);
    QVERIFY(!model.isLoading());
}

void TestExamplesModel::modelTesterThroughFiltersSortsAndEdits()
{
    QUndoStack stack;
    ExamplesModel model;
    model.setUndoStack(&stack);
    QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
    model.setProject(m_project.get());
    QTRY_VERIFY(!model.isLoading()); // the rows load in the background
    QCOMPARE(model.rowCount(), 40);

    model.setFilter(QStringLiteral("alpha"), std::nullopt, {});
    model.sort(ExamplesModel::InputColumn, Qt::DescendingOrder);
    QVERIFY(model.setData(model.index(0, ExamplesModel::OutputColumn), QStringLiteral("edited")));
    QVERIFY(model.setData(model.index(1, ExamplesModel::SplitColumn), QStringLiteral("test")));
    QVERIFY(model.setData(model.index(2, ExamplesModel::TagsColumn), QStringLiteral("x, y")));
    model.sort(ExamplesModel::UpdatedColumn, Qt::AscendingOrder);
    model.setFilter({}, ts::Split::Eval, {});
    model.setFilter({}, std::nullopt, QStringLiteral("billing"));
    model.sort(ExamplesModel::TagsColumn, Qt::AscendingOrder);
    model.setFilter({}, std::nullopt, {});
    model.sort(-1, Qt::AscendingOrder);

    stack.push(ts::ui::InsertExamplesCommand::add(model, ts::test::makeExample("new", "row")).release());
    stack.push(ts::ui::InsertExamplesCommand::duplicate(model, model.examplesAt({0, 1, 2})).release());
    stack.push(new ts::ui::DeleteExamplesCommand(model, model.examplesAt({3, 5, 6, 7})));
    stack.push(new ts::ui::SetSplitCommand(model, model.examplesAt({0, 1}), ts::Split::Eval));
    while (stack.canUndo())
        stack.undo();
    while (stack.canRedo())
        stack.redo();
    model.setProject(nullptr);
    QCOMPARE(model.rowCount(), 0);
}

void TestExamplesModel::editUndoRedoPersists()
{
    QUndoStack stack;
    ExamplesModel model;
    model.setUndoStack(&stack);
    model.setProject(m_project.get());
    QTRY_VERIFY(!model.isLoading()); // the rows load in the background
    const int64_t id = model.idAt(0);
    const std::string oldInput = ts::test::readFresh(*m_project, id)->input();

    QVERIFY(model.setData(model.index(0, ExamplesModel::InputColumn), QStringLiteral("a better question")));
    QCOMPARE(stack.count(), 1);
    QCOMPARE(stack.undoText(), QStringLiteral("Edit input"));
    QCOMPARE(ts::test::readFresh(*m_project, id)->input(), std::string("a better question"));
    QCOMPARE(model.data(model.index(0, ExamplesModel::InputColumn)).toString(), QStringLiteral("a better question"));

    stack.undo();
    QCOMPARE(ts::test::readFresh(*m_project, id)->input(), oldInput);
    QCOMPARE(model.data(model.index(0, ExamplesModel::InputColumn), Qt::EditRole).toString(),
             QString::fromStdString(oldInput));

    stack.redo();
    QCOMPARE(ts::test::readFresh(*m_project, id)->input(), std::string("a better question"));

    // A split that is not a split name is refused without touching the stack.
    QVERIFY(!model.setData(model.index(0, ExamplesModel::SplitColumn), QStringLiteral("bogus")));
    QCOMPARE(stack.count(), 1);
    // Setting the same value is not an edit.
    QVERIFY(model.setData(model.index(0, ExamplesModel::InputColumn), QStringLiteral("a better question")));
    QCOMPARE(stack.count(), 1);
    // Without an undo stack the model is read-only.
    ExamplesModel readOnly;
    readOnly.setProject(m_project.get());
    QTRY_VERIFY(!readOnly.isLoading()); // the rows load in the background
    QVERIFY(!(readOnly.flags(readOnly.index(0, 0)) & Qt::ItemIsEditable));
    QVERIFY(!readOnly.setData(readOnly.index(0, 0), QStringLiteral("nope")));
}

void TestExamplesModel::editsDoNotReset()
{
    QUndoStack stack;
    ExamplesModel model;
    model.setUndoStack(&stack);
    model.setProject(m_project.get());
    QTRY_VERIFY(!model.isLoading()); // the rows load in the background
    model.setFilter(QStringLiteral("alpha"), std::nullopt, {});
    const int shown = model.rowCount();
    QSignalSpy resets(&model, &QAbstractItemModel::modelReset);
    QSignalSpy layouts(&model, &QAbstractItemModel::layoutChanged);
    QSignalSpy changes(&model, &QAbstractItemModel::dataChanged);
    // The edit removes the filtered word, but the row stays until the filter changes.
    QVERIFY(model.setData(model.index(0, ExamplesModel::InputColumn), QStringLiteral("no longer matching")));
    QCOMPARE(resets.count(), 0);
    QCOMPARE(layouts.count(), 0);
    QCOMPARE(changes.count(), 1);
    QCOMPARE(model.rowCount(), shown);
    model.setFilter(QStringLiteral("alpha"), std::nullopt, {});
    QCOMPARE(resets.count(), 1);
    QCOMPARE(model.rowCount(), shown - 1);
}

void TestExamplesModel::filtersChangeRowCount()
{
    ExamplesModel model;
    model.setProject(m_project.get());
    QTRY_VERIFY(!model.isLoading()); // the rows load in the background
    QSignalSpy resets(&model, &QAbstractItemModel::modelReset);
    model.setFilter(QStringLiteral("ALPHA"), std::nullopt, {});
    QCOMPARE(resets.count(), 1);
    QCOMPARE(model.rowCount(), 10);
    QCOMPARE(model.totalCount(), 40);
    model.setFilter({}, ts::Split::Test, {});
    QCOMPARE(model.rowCount(), 8);
    model.setFilter({}, ts::Split::Eval, {});
    QCOMPARE(model.rowCount(), 8); // multiples of 4 that are not multiples of 5
    model.setFilter({}, std::nullopt, QStringLiteral("refund"));
    QCOMPARE(model.rowCount(), 6);
    model.setFilter(QStringLiteral("alpha"), ts::Split::Train, QStringLiteral("billing"));
    int expected = 0;
    for (int i = 0; i < 40; ++i)
        expected += (i % 4 == 1 && i % 5 != 0 && i % 3 == 0) ? 1 : 0;
    QCOMPARE(model.rowCount(), expected);
    model.setFilter({}, std::nullopt, {});
    QCOMPARE(model.rowCount(), 40);
    QCOMPARE(resets.count(), 6);
    QCOMPARE(model.allTags(), QStringList({QStringLiteral("billing"), QStringLiteral("refund")}));
}

void TestExamplesModel::sortByColumns()
{
    ExamplesModel model;
    model.setProject(m_project.get());
    QTRY_VERIFY(!model.isLoading()); // the rows load in the background
    QCOMPARE(model.data(model.index(0, ExamplesModel::InputColumn)).toString(), QStringLiteral("q39 beta question"));
    model.sort(ExamplesModel::InputColumn, Qt::AscendingOrder);
    QCOMPARE(model.rowCount(), 40);
    for (int r = 1; r < model.rowCount(); ++r)
        QVERIFY(model.data(model.index(r - 1, 0)).toString() < model.data(model.index(r, 0)).toString());
    model.sort(ExamplesModel::InputColumn, Qt::DescendingOrder);
    QCOMPARE(model.data(model.index(0, ExamplesModel::InputColumn)).toString(), QStringLiteral("q39 beta question"));
    model.sort(ExamplesModel::SplitColumn, Qt::AscendingOrder);
    QCOMPARE(model.data(model.index(0, ExamplesModel::SplitColumn)).toString(), QStringLiteral("eval"));
    QCOMPARE(model.data(model.index(39, ExamplesModel::SplitColumn)).toString(), QStringLiteral("train"));
    // Sorting keeps persistent indexes on their rows.
    QPersistentModelIndex tracked(model.index(5, 0));
    const int64_t trackedId = model.idAt(5);
    model.sort(ExamplesModel::InputColumn, Qt::AscendingOrder);
    QVERIFY(tracked.isValid());
    QCOMPARE(model.idAt(tracked.row()), trackedId);
}

void TestExamplesModel::addDuplicateDeleteUndo()
{
    QUndoStack stack;
    ExamplesModel model;
    model.setUndoStack(&stack);
    model.setProject(m_project.get());
    QTRY_VERIFY(!model.isLoading()); // the rows load in the background

    // Add
    auto add = ts::ui::InsertExamplesCommand::add(model, ts::test::makeExample("fresh", "row"));
    auto* addRaw = add.get();
    stack.push(add.release());
    QCOMPARE(model.rowCount(), 41);
    const int64_t newId = addRaw->ids().front();
    QCOMPARE(model.idAt(40), newId);
    QCOMPARE(ts::test::countFresh(*m_project), 41);
    stack.undo();
    QCOMPARE(model.rowCount(), 40);
    QCOMPARE(ts::test::countFresh(*m_project), 40);
    QVERIFY(!ts::test::readFresh(*m_project, newId).has_value());
    stack.redo();
    QCOMPARE(model.rowOf(newId), 40);
    QCOMPARE(ts::test::readFresh(*m_project, newId)->input(), std::string("fresh"));

    // Duplicate two rows
    const auto originals = model.examplesAt({1, 2});
    stack.push(ts::ui::InsertExamplesCommand::duplicate(model, originals).release());
    QCOMPARE(model.rowCount(), 43);
    QVERIFY(model.exampleAt(41)->sameContent(originals[0]));
    QVERIFY(model.exampleAt(42)->sameContent(originals[1]));
    QVERIFY(model.idAt(41) != originals[0].id);
    stack.undo();
    QCOMPARE(model.rowCount(), 41);

    // Delete three rows (not adjacent) and put them back with the same ids and content.
    const auto doomed = model.examplesAt({0, 10, 11});
    stack.push(new ts::ui::DeleteExamplesCommand(model, doomed));
    QCOMPARE(model.rowCount(), 38);
    QCOMPARE(ts::test::countFresh(*m_project), 38);
    for (const auto& ex : doomed)
        QVERIFY(!ts::test::readFresh(*m_project, ex.id).has_value());
    stack.undo();
    QCOMPARE(model.rowCount(), 41);
    for (const auto& ex : doomed) {
        const auto back = ts::test::readFresh(*m_project, ex.id);
        QVERIFY(back.has_value());
        QVERIFY(back->sameContent(ex));
    }
    // With the default id order the rows come back where they were.
    QCOMPARE(model.idAt(0), doomed[0].id);
    QCOMPARE(model.idAt(10), doomed[1].id);
    QCOMPARE(model.idAt(11), doomed[2].id);
    stack.redo();
    QCOMPARE(model.rowCount(), 38);
}

void TestExamplesModel::setSplitAndTagsUndo()
{
    QUndoStack stack;
    ExamplesModel model;
    model.setUndoStack(&stack);
    model.setProject(m_project.get());
    QTRY_VERIFY(!model.isLoading()); // the rows load in the background
    const auto before = model.examplesAt({0, 1, 4});
    stack.push(new ts::ui::SetSplitCommand(model, before, ts::Split::Test));
    for (const auto& ex : before)
        QCOMPARE(ts::test::readFresh(*m_project, ex.id)->split, ts::Split::Test);
    QCOMPARE(model.data(model.index(4, ExamplesModel::SplitColumn)).toString(), QStringLiteral("test"));
    stack.undo();
    for (const auto& ex : before)
        QCOMPARE(ts::test::readFresh(*m_project, ex.id)->split, ex.split);

    QSignalSpy tagsChanged(&model, &ExamplesModel::tagsChanged);
    stack.push(new ts::ui::SetTagsCommand(model, before, {"reviewed", "billing"}, ts::ui::SetTagsCommand::Mode::Add));
    QTRY_VERIFY(tagsChanged.count() >= 1);
    const auto row0 = ts::test::readFresh(*m_project, before[0].id);
    // Row 0 already had "billing" (and "refund"); tags are not duplicated.
    QCOMPARE(row0->tags, (std::vector<std::string> {"billing", "refund", "reviewed"}));
    // The tag list is read again in the background.
    QTRY_VERIFY(model.allTags().contains(QStringLiteral("reviewed")));
    stack.undo();
    QCOMPARE(ts::test::readFresh(*m_project, before[0].id)->tags, before[0].tags);
    QTRY_VERIFY(!model.allTags().contains(QStringLiteral("reviewed")));
}

void TestExamplesModel::importCommandUndoRedo()
{
    QUndoStack stack;
    ExamplesModel model;
    model.setUndoStack(&stack);
    model.setProject(m_project.get());
    QTRY_VERIFY(!model.isLoading()); // the rows load in the background
    const QString file = m_dir->filePath(QStringLiteral("extra.jsonl"));
    ts::test::writeText(
        file,
        R"({"messages":[{"role":"user","content":"imported one"},{"role":"assistant","content":"a1"}]})"
        "\n"
        R"({"messages":[{"role":"user","content":"imported two"},{"role":"assistant","content":"a2"}],"split":"eval"})"
        "\n");
    const auto ids = ts::test::importFile(*m_project, file);
    QCOMPARE(ids.size(), size_t(2));
    stack.push(new ts::ui::ImportExamplesCommand(model, ids, QStringLiteral("extra.jsonl")));
    QCOMPARE(model.rowCount(), 42);
    QCOMPARE(model.data(model.index(41, ExamplesModel::InputColumn)).toString(), QStringLiteral("imported two"));
    QCOMPARE(model.data(model.index(41, ExamplesModel::SourceColumn)).toString(), QStringLiteral("imported"));
    stack.undo();
    QCOMPARE(model.rowCount(), 40);
    QCOMPARE(ts::test::countFresh(*m_project), 40);
    stack.redo();
    QCOMPARE(model.rowCount(), 42);
    QCOMPARE(model.idAt(40), ids[0]);
    QCOMPARE(ts::test::readFresh(*m_project, ids[1])->split, ts::Split::Eval);
}

void TestExamplesModel::typingEditsMerge()
{
    QUndoStack stack;
    ExamplesModel model;
    model.setUndoStack(&stack);
    model.setProject(m_project.get());
    QTRY_VERIFY(!model.isLoading()); // the rows load in the background
    const auto original = *model.exampleAt(3);
    ts::Example step1 = original;
    step1.setOutput("typ");
    stack.push(new ts::ui::EditExampleCommand(model, original, step1, true));
    ts::Example step2 = step1;
    step2.setOutput("typing done");
    stack.push(new ts::ui::EditExampleCommand(model, step1, step2, true));
    QCOMPARE(stack.count(), 1);
    QCOMPARE(ts::test::readFresh(*m_project, original.id)->output(), std::string("typing done"));
    ts::Example step3 = step2;
    step3.split = ts::Split::Test; // a different field: its own step
    stack.push(new ts::ui::EditExampleCommand(model, step2, step3, true));
    QCOMPARE(stack.count(), 2);
    stack.undo();
    stack.undo();
    QVERIFY(ts::test::readFresh(*m_project, original.id)->sameContent(original));
}

void TestExamplesModel::lazyFetchOf100kRows()
{
    m_project.reset();
    const QString path = m_dir->filePath(QStringLiteral("big.tunesmith"));
    m_project = ts::test::createProject(path);
    QVERIFY(m_project);
    constexpr int kRows = 100000;
    QElapsedTimer timer;
    timer.start();
    {
        auto lock = m_project->writeLock();
        auto tx = ts::Transaction::begin(m_project->writer());
        QVERIFY(tx.ok());
        ts::ExampleRepository repo(m_project->writer());
        for (int i = 0; i < kRows; ++i) {
            ts::Example ex = ts::test::makeExample("input " + std::to_string(i), "output " + std::to_string(i),
                                                   i % 10 == 0 ? ts::Split::Eval : ts::Split::Train);
            QVERIFY(repo.insert(ex).ok());
        }
        QVERIFY(tx->commit().ok());
    }
    qInfo("inserted %d rows in %lld ms", kRows, timer.restart());

    QUndoStack stack;
    ExamplesModel model;
    model.setUndoStack(&stack);
    model.setProject(m_project.get());
    QTRY_VERIFY(!model.isLoading()); // the rows load in the background
    qInfo("opened the model in %lld ms", timer.restart());
    QCOMPARE(model.rowCount(), kRows);
    QCOMPARE(model.totalCount(), kRows);
    // The load read the first page with the ids (the rows shown first); the rest is read when shown.
    QCOMPARE(model.cachedRowCount(), size_t(ExamplesModel::kPageSize));

    QCOMPARE(model.data(model.index(kRows - 1, ExamplesModel::InputColumn)).toString(),
             QStringLiteral("input %1").arg(kRows - 1));
    QVERIFY(model.cachedRowCount() > size_t(ExamplesModel::kPageSize));
    QVERIFY(model.cachedRowCount() <= size_t(2 * ExamplesModel::kPageSize));
    qInfo("read the last row in %lld ms", timer.restart());

    // Touch rows all over the table: the cache stays bounded.
    for (int r = 0; r < kRows; r += 97)
        QVERIFY(!model.data(model.index(r, ExamplesModel::OutputColumn)).toString().isEmpty());
    QVERIFY(model.cachedRowCount() <= ExamplesModel::kMaxCachedRows);
    qInfo("read %d scattered rows in %lld ms; %zu cached", kRows / 97, timer.restart(), model.cachedRowCount());

    // Filter and sort re-query without fetching rows.
    model.setFilter({}, ts::Split::Eval, {});
    QCOMPARE(model.rowCount(), kRows / 10);
    model.sort(ExamplesModel::InputColumn, Qt::DescendingOrder);
    QCOMPARE(model.data(model.index(0, ExamplesModel::InputColumn)).toString(), QStringLiteral("input 99990"));
    qInfo("filter + sort in %lld ms", timer.restart());

    // An edit of the last row of the full table does not reload anything.
    model.setFilter({}, std::nullopt, {});
    QSignalSpy resets(&model, &QAbstractItemModel::modelReset);
    QVERIFY(model.setData(model.index(kRows - 1, ExamplesModel::OutputColumn), QStringLiteral("changed")));
    QCOMPARE(resets.count(), 0);
    QCOMPARE(ts::test::readFresh(*m_project, model.idAt(kRows - 1))->output(), std::string("changed"));
}

QTEST_MAIN(TestExamplesModel)
#include "test-examples-model.moc"
