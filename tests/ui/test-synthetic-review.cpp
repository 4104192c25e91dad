// SyntheticReviewPanel on a real project file: an evolve run's rows fed through applyRows(), then filters, accept /
// reject (buttons and the A / R keys) checked against fresh reads of the file, undo / redo on the shared undo
// stack, bulk accept above the threshold, "reject all like this", editing a row's text, promotion to the training
// set and its undo, the lineage view, and a project closed while a write is in flight.
#include <QComboBox>
#include <QDoubleSpinBox>
#include <QLabel>
#include <QLineEdit>
#include <QPlainTextEdit>
#include <QPushButton>
#include <QSignalSpy>
#include <QTableView>
#include <QTemporaryDir>
#include <QTreeWidget>
#include <QUndoStack>
#include <QtTest>

#include "store/example_repository.h"
#include "store/run_repository.h"
#include "synth/synthetic_review_panel.h"
#include "synth/synthetic_row_repository.h"
#include "synth/synthetic_rows_model.h"
#include "ui_test_support.h"

using ts::synth::SyntheticReview;
using ts::synth::SyntheticRow;
using ts::synth::SyntheticStage;
using ts::ui::SyntheticReviewPanel;

namespace {

const char* const kRefusal = "the response is a refusal: it says \"sorry\" in fewer than 80 words";

} // namespace

class TestSyntheticReview final : public QObject
{
    Q_OBJECT

private slots:
    void initTestCase();
    void init();
    void cleanup();

    void showsRowsAndFilters();
    void liveRowsKeepTheSelection();
    void acceptRejectUndoRedo();
    void keysAcceptAndReject();
    void acceptAllAboveThreshold();
    void rejectAllLikeThis();
    void editTextUndo();
    void promoteAndUndo();
    void lineageShowsSeedAndSteps();
    void projectClosedWhileWriting();

private:
    SyntheticRow makeRow(int64_t slot, int round, std::optional<int64_t> parent, const std::string& operation,
                         const std::string& instruction, SyntheticStage stage, std::optional<double> quality,
                         const std::string& reason = {});
    void storeRows();
    std::optional<SyntheticRow> fresh(int64_t id);
    QModelIndex indexOf(int64_t id) const;
    void select(const std::vector<int64_t>& ids);
    template <typename T> T* child(const char* name) const
    {
        auto* widget = m_panel->findChild<T*>(QString::fromLatin1(name));
        if (!widget)
            qFatal("no child named %s", name);
        return widget;
    }

    std::unique_ptr<QTemporaryDir> m_dir;
    std::unique_ptr<ts::Project> m_project;
    std::unique_ptr<QUndoStack> m_undo;
    std::unique_ptr<SyntheticReviewPanel> m_panel;
    int64_t m_runId = 0;
    int64_t m_seedId = 0;
    std::vector<SyntheticRow> m_rows; // as stored: [0] step 1, [1] step 2 (child of [0]), then the others
};

void TestSyntheticReview::initTestCase()
{
    ts::test::initUiTesting();
}

SyntheticRow TestSyntheticReview::makeRow(int64_t slot, int round, std::optional<int64_t> parent,
                                          const std::string& operation, const std::string& instruction,
                                          SyntheticStage stage, std::optional<double> quality,
                                          const std::string& reason)
{
    SyntheticRow row;
    row.runId = m_runId;
    row.slot = slot;
    row.round = round;
    row.seedExampleId = m_seedId;
    row.parentRowId = parent;
    row.operation = operation;
    row.instruction = instruction;
    row.output = "{\"answer\": \"" + instruction.substr(0, 12) + "\"}";
    row.stage = stage;
    row.quality = quality;
    row.reason = reason;
    row.teacherEndpoint = "teacher";
    row.teacherModel = "tiny";
    row.tokensIn = 100 + slot;
    row.tokensOut = 40 + slot;
    row.cost = 0.0012;
    return row;
}

void TestSyntheticReview::storeRows()
{
    ts::synth::SyntheticRowRepository repo(m_project->writer());
    auto put = [&](SyntheticRow row) {
        auto stored = repo.put(row);
        QVERIFY2(stored, stored ? "" : stored.error().message.c_str());
        m_rows.push_back(row);
    };
    put(makeRow(0, 1, std::nullopt, "add_constraints", "Extract the claim amount and the date, in euros",
                SyntheticStage::Passed, 8.0));
    QVERIFY(!m_rows.empty());
    put(makeRow(1, 2, m_rows[0].id, "deepening", "Extract the claim amount, the date and the policy number",
                SyntheticStage::Passed, 9.0));
    put(makeRow(2, 1, std::nullopt, "concretizing", "Extract the amount of a car claim", SyntheticStage::LowQuality,
                3.0, "judged 3/10, below the threshold of 7"));
    put(makeRow(3, 1, std::nullopt, "breadth", "Write a poem about claims", SyntheticStage::Eliminated, std::nullopt,
                kRefusal));
    put(makeRow(4, 1, std::nullopt, "add_constraints", "Refuse to extract anything", SyntheticStage::Eliminated,
                std::nullopt, kRefusal));
    put(makeRow(5, 1, std::nullopt, "deepening", "Return nothing", SyntheticStage::Eliminated, std::nullopt,
                "the response is empty"));
    put(makeRow(6, 1, std::nullopt, "increase_reasoning", "Extract the amount step by step", SyntheticStage::Passed,
                6.5));
}

void TestSyntheticReview::init()
{
    m_dir = std::make_unique<QTemporaryDir>();
    QVERIFY(m_dir->isValid());
    m_project = ts::test::createProject(m_dir->filePath(QStringLiteral("synth.tunesmith")));
    QVERIFY(m_project);
    std::vector<ts::Example> seeds {ts::test::makeExample("Claim: my car was hit on 3 May, damage 1200 EUR",
                                                          "{\"amount\": 1200}", ts::Split::Train, {"claims"})};
    ts::test::insertExamples(*m_project, seeds);
    m_seedId = seeds[0].id;
    ts::Run run;
    run.kind = "evolve";
    run.name = "evolve test";
    run.config = "{}";
    ts::RunRepository runs(m_project->writer());
    QVERIFY(runs.create(run));
    m_runId = run.id;
    m_rows.clear();
    storeRows();
    QCOMPARE(m_rows.size(), size_t(7));

    m_undo = std::make_unique<QUndoStack>();
    m_panel = std::make_unique<SyntheticReviewPanel>(*m_undo);
    m_panel->resize(1400, 860);
    m_panel->setProject(m_project.get());
    m_panel->showRun(m_runId, 7.0);
    m_panel->applyRows(m_rows);
    m_panel->show();
    QVERIFY(QTest::qWaitForWindowExposed(m_panel.get()));
    QCOMPARE(child<QTableView>("syntheticRowsTable")->model()->rowCount(), 7);
}

void TestSyntheticReview::cleanup()
{
    m_undo->clear();
    m_panel.reset();
    m_undo.reset();
    m_project.reset();
    m_dir.reset();
}

std::optional<SyntheticRow> TestSyntheticReview::fresh(int64_t id)
{
    auto reader = m_project->openReader();
    if (!reader)
        qFatal("cannot open a reader: %s", reader.error().message.c_str());
    ts::synth::SyntheticRowRepository repo(*reader);
    auto row = repo.get(id);
    if (!row)
        qFatal("cannot read row %lld: %s", static_cast<long long>(id), row.error().message.c_str());
    return *row;
}

QModelIndex TestSyntheticReview::indexOf(int64_t id) const
{
    const QAbstractItemModel* model = child<QTableView>("syntheticRowsTable")->model();
    for (int r = 0; r < model->rowCount(); ++r) {
        const QModelIndex index = model->index(r, 0);
        if (index.data(ts::ui::SyntheticRowsModel::IdRole).toLongLong() == id)
            return index;
    }
    return {};
}

void TestSyntheticReview::select(const std::vector<int64_t>& ids)
{
    auto* table = child<QTableView>("syntheticRowsTable");
    table->selectionModel()->clearSelection();
    for (size_t i = 0; i < ids.size(); ++i) {
        const QModelIndex index = indexOf(ids[i]);
        QVERIFY2(index.isValid(), "row not shown");
        table->selectionModel()->setCurrentIndex(index, QItemSelectionModel::Select | QItemSelectionModel::Rows);
    }
}

static SyntheticReview reviewOf(const std::optional<SyntheticRow>& row)
{
    return row ? row->review : SyntheticReview::Pending;
}

void TestSyntheticReview::showsRowsAndFilters()
{
    auto* table = child<QTableView>("syntheticRowsTable");
    auto* stage = child<QComboBox>("syntheticStageFilter");
    auto* model = table->model();

    // The parent column names the parent row by its number, the first step its seed.
    const QModelIndex step2 = indexOf(m_rows[1].id);
    QCOMPARE(step2.siblingAtColumn(ts::ui::SyntheticRowsModel::Parent).data().toString(), QStringLiteral("row #1"));
    QCOMPARE(indexOf(m_rows[0].id).siblingAtColumn(ts::ui::SyntheticRowsModel::Parent).data().toString(),
             QStringLiteral("seed #%1").arg(m_seedId));
    QCOMPARE(indexOf(m_rows[3].id).siblingAtColumn(ts::ui::SyntheticRowsModel::Reason).data(Qt::ToolTipRole).toString(),
             QString::fromUtf8(kRefusal));

    stage->setCurrentIndex(stage->findText(QStringLiteral("Passed")));
    QCOMPARE(model->rowCount(), 3);
    stage->setCurrentIndex(stage->findText(QStringLiteral("Eliminated")));
    QCOMPARE(model->rowCount(), 3);
    stage->setCurrentIndex(stage->findText(QStringLiteral("Low quality")));
    QCOMPARE(model->rowCount(), 1);
    stage->setCurrentIndex(stage->findText(QStringLiteral("All")));
    QTest::keyClicks(child<QLineEdit>("syntheticSearch"), QStringLiteral("policy number"));
    QCOMPARE(model->rowCount(), 1);
    QCOMPARE(model->index(0, 0).data(ts::ui::SyntheticRowsModel::IdRole).toLongLong(), m_rows[1].id);
    child<QLineEdit>("syntheticSearch")->clear();
    QCOMPARE(model->rowCount(), 7);

    // Sorting by quality, highest first.
    table->sortByColumn(ts::ui::SyntheticRowsModel::Quality, Qt::DescendingOrder);
    QCOMPARE(model->index(0, 0).data(ts::ui::SyntheticRowsModel::IdRole).toLongLong(), m_rows[1].id);
    table->sortByColumn(ts::ui::SyntheticRowsModel::Number, Qt::AscendingOrder);

    select({m_rows[0].id});
    const QString shot = ts::test::saveScreenshot(m_panel.get(), QStringLiteral("synthetic-review"));
    QVERIFY(!shot.isEmpty());
}

void TestSyntheticReview::liveRowsKeepTheSelection()
{
    auto* table = child<QTableView>("syntheticRowsTable");
    select({m_rows[6].id});
    // The feed brings a changed row and a new one.
    ts::synth::SyntheticRowRepository repo(m_project->writer());
    SyntheticRow changed = m_rows[6];
    changed.quality = 7.5;
    changed.stage = SyntheticStage::Passed;
    QVERIFY(repo.updatePipeline(changed));
    SyntheticRow added
        = makeRow(7, 2, m_rows[0].id, "breadth", "A new task about invoices", SyntheticStage::Unique, std::nullopt);
    QVERIFY(repo.put(added));
    m_panel->applyRows({changed, added});
    QCOMPARE(table->model()->rowCount(), 8);
    QCOMPARE(table->selectionModel()->selectedRows().size(), 1);
    QCOMPARE(table->selectionModel()->selectedRows().first().data(ts::ui::SyntheticRowsModel::IdRole).toLongLong(),
             m_rows[6].id);
    QCOMPARE(indexOf(m_rows[6].id).siblingAtColumn(ts::ui::SyntheticRowsModel::Quality).data().toString(),
             QLocale().toString(7.5, 'f', 1));
}

void TestSyntheticReview::acceptRejectUndoRedo()
{
    QSignalSpy changed(m_panel.get(), &SyntheticReviewPanel::rowsChanged);
    select({m_rows[0].id, m_rows[1].id});
    QTest::mouseClick(child<QPushButton>("acceptRowsButton"), Qt::LeftButton);
    QTRY_COMPARE(reviewOf(fresh(m_rows[0].id)), SyntheticReview::Accepted);
    QTRY_COMPARE(reviewOf(fresh(m_rows[1].id)), SyntheticReview::Accepted);
    QTRY_VERIFY(changed.count() >= 1);
    QCOMPARE(indexOf(m_rows[0].id).siblingAtColumn(ts::ui::SyntheticRowsModel::Review).data().toString(),
             QStringLiteral("Accepted"));

    select({m_rows[2].id});
    QTest::mouseClick(child<QPushButton>("rejectRowsButton"), Qt::LeftButton);
    QTRY_COMPARE(reviewOf(fresh(m_rows[2].id)), SyntheticReview::Rejected);

    m_undo->undo(); // the rejection
    QTRY_COMPARE(reviewOf(fresh(m_rows[2].id)), SyntheticReview::Pending);
    m_undo->undo(); // the acceptance of both
    QTRY_COMPARE(reviewOf(fresh(m_rows[0].id)), SyntheticReview::Pending);
    QTRY_COMPARE(reviewOf(fresh(m_rows[1].id)), SyntheticReview::Pending);
    m_undo->redo();
    m_undo->redo();
    QTRY_COMPARE(reviewOf(fresh(m_rows[2].id)), SyntheticReview::Rejected);
    QTRY_COMPARE(reviewOf(fresh(m_rows[0].id)), SyntheticReview::Accepted);
    QTRY_COMPARE(reviewOf(fresh(m_rows[1].id)), SyntheticReview::Accepted);
    QTRY_VERIFY(
        child<QLabel>("reviewCounts")->text().startsWith(QStringLiteral("2 accepted (0 promoted), 1 rejected")));
    QVERIFY(!child<QLabel>("reviewMessage")->isVisible());
}

void TestSyntheticReview::keysAcceptAndReject()
{
    auto* table = child<QTableView>("syntheticRowsTable");
    m_panel->activateWindow();
    QVERIFY(QTest::qWaitForWindowActive(m_panel.get()));
    select({m_rows[6].id});
    table->setFocus();
    QTRY_VERIFY(table->hasFocus());
    QTest::keyClick(table, Qt::Key_A);
    QTRY_COMPARE(reviewOf(fresh(m_rows[6].id)), SyntheticReview::Accepted);
    QTest::keyClick(table, Qt::Key_R);
    QTRY_COMPARE(reviewOf(fresh(m_rows[6].id)), SyntheticReview::Rejected);
    QCOMPARE(m_undo->count(), 2);
}

void TestSyntheticReview::acceptAllAboveThreshold()
{
    auto* button = child<QPushButton>("acceptAboveButton");
    auto* threshold = child<QDoubleSpinBox>("acceptAboveThreshold");
    QCOMPARE(threshold->value(), 7.0); // the run's threshold
    QTRY_COMPARE(button->text(), QStringLiteral("Accept 2 Pending Rows")); // 8.0 and 9.0, not 6.5
    threshold->setValue(6.0);
    QTRY_COMPARE(button->text(), QStringLiteral("Accept 3 Pending Rows"));
    threshold->setValue(8.5);
    QTRY_COMPARE(button->text(), QStringLiteral("Accept 1 Pending Row"));
    threshold->setValue(7.0);
    QTRY_COMPARE(button->text(), QStringLiteral("Accept 2 Pending Rows"));
    QTest::mouseClick(button, Qt::LeftButton);
    QTRY_COMPARE(reviewOf(fresh(m_rows[0].id)), SyntheticReview::Accepted);
    QTRY_COMPARE(reviewOf(fresh(m_rows[1].id)), SyntheticReview::Accepted);
    QCOMPARE(reviewOf(fresh(m_rows[6].id)), SyntheticReview::Pending);
    QCOMPARE(m_undo->count(), 1);
    QTRY_VERIFY(!button->isEnabled());
    m_undo->undo();
    QTRY_COMPARE(reviewOf(fresh(m_rows[0].id)), SyntheticReview::Pending);
    QTRY_COMPARE(reviewOf(fresh(m_rows[1].id)), SyntheticReview::Pending);
}

void TestSyntheticReview::rejectAllLikeThis()
{
    auto* button = child<QPushButton>("rejectLikeThisButton");
    select({m_rows[3].id}); // a refusal
    QTRY_COMPARE(button->text(), QStringLiteral("Reject All Like This (2)"));
    QVERIFY(button->toolTip().contains(QStringLiteral("the response is a refusal")));
    QTest::mouseClick(button, Qt::LeftButton);
    QTRY_COMPARE(reviewOf(fresh(m_rows[3].id)), SyntheticReview::Rejected);
    QTRY_COMPARE(reviewOf(fresh(m_rows[4].id)), SyntheticReview::Rejected);
    QCOMPARE(reviewOf(fresh(m_rows[5].id)), SyntheticReview::Pending); // empty response: another kind
    QCOMPARE(m_undo->count(), 1);
    QVERIFY(child<QLabel>("reviewMessage")->text().contains(QStringLiteral("Rejected 2 rows")));
    QTRY_COMPARE(button->isEnabled(), false); // nothing pending like it is left
    m_undo->undo(); // one step for both
    QTRY_COMPARE(reviewOf(fresh(m_rows[3].id)), SyntheticReview::Pending);
    QTRY_COMPARE(reviewOf(fresh(m_rows[4].id)), SyntheticReview::Pending);

    select({m_rows[2].id}); // low quality: a kind of its own, whatever the score
    QTRY_COMPARE(button->text(), QStringLiteral("Reject All Like This (1)"));
}

void TestSyntheticReview::editTextUndo()
{
    select({m_rows[0].id});
    auto* instruction = child<QPlainTextEdit>("syntheticInstructionEdit");
    auto* save = child<QPushButton>("saveSyntheticEditButton");
    QCOMPARE(instruction->toPlainText(), QString::fromStdString(m_rows[0].instruction));
    instruction->setPlainText(QStringLiteral("Extract the claim amount in euros, and nothing else"));
    QTRY_VERIFY(save->isEnabled());
    QTest::mouseClick(save, Qt::LeftButton);
    QTRY_COMPARE(QString::fromStdString(fresh(m_rows[0].id)->instruction),
                 QStringLiteral("Extract the claim amount in euros, and nothing else"));
    QVERIFY(fresh(m_rows[0].id)->edited);
    QCOMPARE(fresh(m_rows[0].id)->output, m_rows[0].output);

    // An edit in the table cell (double-click editing goes through setData).
    auto* table = child<QTableView>("syntheticRowsTable");
    const QModelIndex output = indexOf(m_rows[6].id).siblingAtColumn(ts::ui::SyntheticRowsModel::Output);
    QVERIFY(table->model()->setData(output, QStringLiteral("{\"amount\": 900}")));
    QTRY_COMPARE(fresh(m_rows[6].id)->output, std::string("{\"amount\": 900}"));
    QCOMPARE(m_undo->count(), 2);

    m_undo->undo();
    QTRY_COMPARE(fresh(m_rows[6].id)->output, m_rows[6].output);
    QVERIFY(!fresh(m_rows[6].id)->edited);
    m_undo->undo();
    QTRY_COMPARE(fresh(m_rows[0].id)->instruction, m_rows[0].instruction);
    QVERIFY(!fresh(m_rows[0].id)->edited);
    QTRY_COMPARE(instruction->toPlainText(), QString::fromStdString(m_rows[0].instruction));
}

void TestSyntheticReview::promoteAndUndo()
{
    QSignalSpy examplesChanged(m_panel.get(), &SyntheticReviewPanel::examplesChanged);
    auto* promote = child<QPushButton>("promoteButton");
    QVERIFY(!promote->isEnabled());
    select({m_rows[0].id, m_rows[1].id});
    QTest::mouseClick(child<QPushButton>("acceptRowsButton"), Qt::LeftButton);
    QTRY_COMPARE(promote->text(), QStringLiteral("Promote 2 Accepted Rows to Training"));
    QTRY_VERIFY(promote->isEnabled());
    QTest::mouseClick(promote, Qt::LeftButton);
    QTRY_VERIFY(fresh(m_rows[0].id)->promotedExampleId.has_value());
    QTRY_VERIFY(fresh(m_rows[1].id)->promotedExampleId.has_value());
    QTRY_COMPARE(examplesChanged.count(), 1);
    QTRY_VERIFY(child<QLabel>("reviewCounts")->text().startsWith(QStringLiteral("2 accepted (2 promoted)")));
    QTRY_VERIFY(!promote->isEnabled());

    const int64_t exampleId = *fresh(m_rows[1].id)->promotedExampleId;
    {
        auto reader = m_project->openReader();
        QVERIFY(reader);
        ts::ExampleRepository examples(*reader);
        auto example = examples.get(exampleId);
        QVERIFY(example && *example);
        QCOMPARE((*example)->split, ts::Split::Train);
        QCOMPARE((*example)->source, ts::Source::Synthetic);
        QCOMPARE((*example)->parentId, std::optional<int64_t>(m_seedId));
        QCOMPARE((*example)->input(), m_rows[1].instruction);
    }
    QCOMPARE(ts::test::countFresh(*m_project), int64_t(3));

    m_undo->undo(); // the promotion
    QTRY_COMPARE(ts::test::countFresh(*m_project), int64_t(1));
    QTRY_VERIFY(!fresh(m_rows[1].id)->promotedExampleId.has_value());
    QTRY_COMPARE(examplesChanged.count(), 2);
    QCOMPARE(reviewOf(fresh(m_rows[1].id)), SyntheticReview::Accepted);
    QTRY_VERIFY(promote->isEnabled());
    m_undo->redo();
    QTRY_COMPARE(ts::test::countFresh(*m_project), int64_t(3));
}

static QStringList treeTexts(QTreeWidgetItem* item, int depth, QStringList& out)
{
    out << QStringLiteral("%1%2 | %3").arg(QString(depth * 2, QLatin1Char(' ')), item->text(0), item->text(1));
    for (int i = 0; i < item->childCount(); ++i)
        treeTexts(item->child(i), depth + 1, out);
    return out;
}

void TestSyntheticReview::lineageShowsSeedAndSteps()
{
    auto* lineage = child<QTreeWidget>("lineageView");
    select({m_rows[1].id});
    QTRY_VERIFY(lineage->topLevelItemCount() == 1 && lineage->topLevelItem(0)->text(0).startsWith("Seed example"));
    QTreeWidgetItem* seed = lineage->topLevelItem(0);
    QCOMPARE(seed->text(0), QStringLiteral("Seed example #%1").arg(m_seedId));
    QStringList texts;
    treeTexts(seed, 0, texts);
    const QString all = texts.join(QLatin1Char('\n'));
    QVERIFY2(all.contains(QStringLiteral("Claim: my car was hit on 3 May")), qPrintable(all));
    QVERIFY2(all.contains(QStringLiteral("Step 1: add constraints")), qPrintable(all));
    QVERIFY2(all.contains(QStringLiteral("Step 2: deepening")), qPrintable(all));
    QVERIFY2(all.contains(QString::fromStdString(m_rows[0].instruction)), qPrintable(all));
    QVERIFY2(all.contains(QString::fromStdString(m_rows[1].instruction)), qPrintable(all));
    QVERIFY2(all.contains(QStringLiteral("quality 9.0")), qPrintable(all));
    QVERIFY2(all.contains(QStringLiteral("101 tokens in, 41 out")), qPrintable(all));
    // Step 2 is nested under step 1, which is under the seed.
    QTreeWidgetItem* step1 = nullptr;
    for (int i = 0; i < seed->childCount(); ++i)
        if (seed->child(i)->text(0).startsWith(QStringLiteral("Step 1")))
            step1 = seed->child(i);
    QVERIFY(step1);
    bool nested = false;
    for (int i = 0; i < step1->childCount(); ++i)
        nested = nested || step1->child(i)->text(0).startsWith(QStringLiteral("Step 2"));
    QVERIFY(nested);
    const QString shot = ts::test::saveScreenshot(m_panel.get(), QStringLiteral("synthetic-review-lineage"));
    QVERIFY(!shot.isEmpty());
}

void TestSyntheticReview::projectClosedWhileWriting()
{
    // An acceptance in flight when the project closes: setProject(nullptr) returns only once no pool thread uses
    // the project any more, so destroying it right after is safe (a use after free would crash here).
    select({m_rows[0].id, m_rows[1].id});
    QTest::mouseClick(child<QPushButton>("acceptRowsButton"), Qt::LeftButton);
    m_undo->clear();
    m_panel->setProject(nullptr);
    const QString path = QString::fromStdString(m_project->path().string());
    m_project.reset();
    QCOMPARE(child<QTableView>("syntheticRowsTable")->model()->rowCount(), 0);
    QVERIFY(!child<QPushButton>("acceptRowsButton")->isEnabled());
    // The write either landed whole or never began: both rows have the same review.
    auto reopened = ts::Project::open(path.toStdString());
    QVERIFY(reopened);
    m_project = std::move(*reopened);
    QCOMPARE(reviewOf(fresh(m_rows[0].id)), reviewOf(fresh(m_rows[1].id)));
    // The panel works with the reopened project.
    m_panel->setProject(m_project.get());
    m_panel->showRun(m_runId, 7.0);
    m_panel->applyRows(m_rows);
    QCOMPARE(child<QTableView>("syntheticRowsTable")->model()->rowCount(), 7);
}

QTEST_MAIN(TestSyntheticReview)
#include "test-synthetic-review.moc"
