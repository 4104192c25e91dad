// The A/B results view fed cells the way AbFeed sends them: the failure filter tells failed checks from call errors
// and counts both ("12 of 12 rows"); repeats group in one row ("◐ 2/3 pass", mean scores, each repeat in the
// tooltip) and ungroup; a header click sorts by score; the input and reference columns hide; verdicts give the
// difference with its sign and unit; "Cost unknown" instead of "$0.0000"; export as CSV (read back by Python's csv
// module) and JSON Lines, written off the GUI thread; scorer failures read as plain words in every tooltip.
#include <QAction>
#include <QCheckBox>
#include <QComboBox>
#include <QHeaderView>
#include <QLabel>
#include <QProcess>
#include <QPushButton>
#include <QStandardPaths>
#include <QTableView>
#include <QTemporaryDir>
#include <QtTest>

#include <nlohmann/json.hpp>

#include "dialogs/dialogs.h"
#include "eval/scorer.h"
#include "promptlab/ab_feed.h"
#include "promptlab/ab_summary.h"
#include "promptlab/results_model.h"
#include "promptlab/results_view.h"
#include "ui_test_support.h"

using ts::ui::ResultsModel;
using ts::ui::ResultsView;

namespace {

ts::eval::ScorerSpec specOf(ts::eval::ScorerKind kind)
{
    ts::eval::ScorerSpec spec;
    spec.kind = kind;
    return spec;
}

// A cell whose output was scored by the real scorers (exact_match and json_parses against `reference`).
ts::Cell scoredCell(const std::string& variant, int64_t exampleId, int repeat, const std::string& output,
                    const std::string& reference)
{
    ts::Cell cell;
    cell.variant = variant;
    cell.exampleId = exampleId;
    cell.repeat = repeat;
    cell.output = output;
    cell.latencyMs = 10 + repeat;
    cell.tokensIn = 12;
    cell.tokensOut = 4;
    for (auto kind : {ts::eval::ScorerKind::ExactMatch, ts::eval::ScorerKind::JsonParses}) {
        const ts::eval::ScorerSpec spec = specOf(kind);
        const ts::eval::ScoreResult r = ts::eval::score(spec, output, reference);
        cell.scores.push_back({spec.displayName(), r.value, r.pass, r.detail});
    }
    return cell;
}

ts::Cell failedCall(const std::string& variant, int64_t exampleId, int repeat)
{
    ts::Cell cell;
    cell.variant = variant;
    cell.exampleId = exampleId;
    cell.repeat = repeat;
    cell.error = "the model refused";
    cell.errorKind = "bad_request";
    cell.attempts = 2;
    return cell;
}

ts::Example example(int64_t id, const std::string& input, const std::string& reference)
{
    ts::Example e = ts::test::makeExample(input, reference, ts::Split::Eval);
    e.id = id;
    return e;
}

ts::ui::AbUpdate replaceWith(const std::vector<ts::Cell>& cells, const std::vector<ts::Example>& examples,
                             const QStringList& variants)
{
    ts::ui::AbUpdate update;
    update.runId = 1;
    update.replace = true;
    update.added = cells;
    update.examples = examples;
    update.variantOrder = variants;
    return update;
}

QStringList columnTexts(QAbstractItemModel* model, int column, int role = Qt::DisplayRole)
{
    QStringList texts;
    for (int r = 0; r < model->rowCount(); ++r)
        texts.append(model->index(r, column).data(role).toString());
    return texts;
}

} // namespace

class TestAbResults final : public QObject
{
    Q_OBJECT

private slots:
    void initTestCase();
    void init();
    void cleanup();
    void failedChecksAndCallErrorsFilterSeparately();
    void repeatsGroupInOneRow();
    void headerClickSortsByScore();
    void inputAndReferenceColumnsHide();
    void verdictSaysSignAndUnits();
    void costUnknownWithoutPrices();
    void exportsCsvAndJsonLines();
    void tooltipsSayScorerFailuresInPlainWords();

private:
    std::unique_ptr<ResultsView> m_view;
    std::unique_ptr<QTemporaryDir> m_dir;
};

void TestAbResults::initTestCase()
{
    ts::test::initUiTesting();
}

void TestAbResults::init()
{
    ts::ui::Dialogs::clear();
    m_dir = std::make_unique<QTemporaryDir>();
    m_view = std::make_unique<ResultsView>();
    m_view->resize(1100, 560);
    m_view->show();
    QVERIFY(QTest::qWaitForWindowExposed(m_view.get()));
}

void TestAbResults::cleanup()
{
    m_view.reset();
    m_dir.reset();
}

void TestAbResults::failedChecksAndCallErrorsFilterSeparately()
{
    // 12 examples × 2 variants: every answer fails exact_match (and json_parses); B's call on example 1 failed.
    std::vector<ts::Cell> cells;
    std::vector<ts::Example> examples;
    for (int64_t id = 1; id <= 12; ++id) {
        examples.push_back(
            example(id, "Extract the claim " + std::to_string(id), "{\"id\": " + std::to_string(id) + "}"));
        cells.push_back(scoredCell("terse", id, 0, "claim " + std::to_string(id), "{}"));
        cells.push_back(id == 1 ? failedCall("fields", id, 0) : scoredCell("fields", id, 0, "no idea", "{}"));
    }
    m_view->applyUpdate(replaceWith(cells, examples, {QStringLiteral("terse"), QStringLiteral("fields")}));
    QComboBox* filter = m_view->findChild<QComboBox*>(QStringLiteral("failureFilterCombo"));
    QLabel* count = m_view->findChild<QLabel*>(QStringLiteral("gridCountLabel"));
    QTableView* grid = m_view->findChild<QTableView*>(QStringLiteral("resultsGrid"));
    QCOMPARE(count->text(), QStringLiteral("12 of 12 rows"));

    filter->setCurrentIndex(filter->findText(QStringLiteral("Only failed checks")));
    QCOMPARE(grid->model()->rowCount(), 12);
    QCOMPARE(count->text(), QStringLiteral("12 of 12 rows"));
    ts::test::saveScreenshot(m_view.get(), QStringLiteral("ab-results-failed-checks"));

    filter->setCurrentIndex(filter->findText(QStringLiteral("Only call errors")));
    QCOMPARE(count->text(), QStringLiteral("1 of 12 rows"));
    QCOMPARE(grid->model()->index(0, ResultsModel::ExampleColumn).data().toString(), QStringLiteral("#1"));

    filter->setCurrentIndex(filter->findText(QStringLiteral("Only failures (checks or calls)")));
    QCOMPARE(count->text(), QStringLiteral("12 of 12 rows"));

    // Once example 2's answers pass their checks, only the call errors and the failed checks elsewhere are left.
    ts::ui::AbUpdate later;
    later.runId = 1;
    later.changed = {scoredCell("terse", 2, 0, "{}", "{}"), scoredCell("fields", 2, 0, "{}", "{}")};
    m_view->applyUpdate(later);
    QCOMPARE(count->text(), QStringLiteral("11 of 12 rows"));
    filter->setCurrentIndex(filter->findText(QStringLiteral("Only failed checks")));
    QCOMPARE(count->text(), QStringLiteral("11 of 12 rows"));
    filter->setCurrentIndex(filter->findText(QStringLiteral("All rows")));
    QCOMPARE(count->text(), QStringLiteral("12 of 12 rows"));
}

void TestAbResults::repeatsGroupInOneRow()
{
    // Example 1: three repeats, two pass. Example 2: three repeats, one call failed, the others pass.
    std::vector<ts::Cell> cells = {
        scoredCell("A", 1, 0, "{}", "{}"),
        scoredCell("A", 1, 1, "{}", "{}"),
        scoredCell("A", 1, 2, "{ }", "{}"),
        scoredCell("A", 2, 0, "{}", "{}"),
        failedCall("A", 2, 1),
        scoredCell("A", 2, 2, "{}", "{}"),
    };
    std::vector<ts::Example> examples = {example(1, "first", "{}"), example(2, "second", "{}")};
    m_view->applyUpdate(replaceWith(cells, examples, {QStringLiteral("A")}));
    ResultsModel* model = m_view->model();
    QVERIFY(m_view->findChild<QCheckBox*>(QStringLiteral("groupRepeatsCheck"))->isChecked());
    QCOMPARE(model->rowCount(), 2);
    const QModelIndex first = model->index(0, ResultsModel::FirstVariantColumn);
    QCOMPARE(first.data(ResultsModel::RepeatsRole).toInt(), 3);
    QCOMPARE(first.data(ResultsModel::PassRole).toString(), QStringLiteral("\u25d0 2/3 pass"));
    QCOMPARE(first.data(ResultsModel::ScoresRole).toString(),
             QStringLiteral("mean of 3: exact_match 0.667 \u00b7 json_parses 1 \u00b7 11 ms"));
    const QString tip = first.data(Qt::ToolTipRole).toString();
    QVERIFY2(tip.contains(QStringLiteral("Repeat 1 \u2014 \u2713 pass"))
                 && tip.contains(QStringLiteral("Repeat 3 \u2014 \u2717 fail")),
             qPrintable(tip));
    QVERIFY2(tip.contains(QStringLiteral("exact_match: 0 (fail)")), qPrintable(tip));
    // The chip is colour and words: its text is in the cell, not only its background.
    const QString html = first.data(ResultsModel::HtmlRole).toString();
    QVERIFY2(html.contains(QStringLiteral("2/3 pass")) && html.contains(QStringLiteral("background-color")),
             qPrintable(html));
    const QModelIndex second = model->index(1, ResultsModel::FirstVariantColumn);
    QCOMPARE(second.data(ResultsModel::PassRole).toString(), QStringLiteral("\u25d0 2/3 pass"));
    QVERIFY(second.data(Qt::ToolTipRole).toString().contains(QStringLiteral("Repeat 2 \u2014 \u2717 call failed")));
    ts::test::saveScreenshot(m_view.get(), QStringLiteral("ab-results-grouped"));

    // Ungrouped: a row per repeat, each with its own chip; a repeat that arrives later joins its row.
    m_view->findChild<QCheckBox*>(QStringLiteral("groupRepeatsCheck"))->setChecked(false);
    QCOMPARE(model->rowCount(), 6);
    QCOMPARE(columnTexts(model, ResultsModel::ExampleColumn),
             (QStringList {"#1", "#1 (repeat 2)", "#1 (repeat 3)", "#2", "#2 (repeat 2)", "#2 (repeat 3)"}));
    QCOMPARE(columnTexts(model, ResultsModel::FirstVariantColumn, ResultsModel::PassRole),
             (QStringList {"\u2713 pass", "\u2713 pass", "\u2717 fail", "\u2713 pass", "\u2717 call failed",
                           "\u2713 pass"}));
    ts::test::saveScreenshot(m_view.get(), QStringLiteral("ab-results-ungrouped"));
    m_view->findChild<QCheckBox*>(QStringLiteral("groupRepeatsCheck"))->setChecked(true);
    ts::ui::AbUpdate later;
    later.runId = 1;
    later.added = {scoredCell("A", 1, 3, "{}", "{}")};
    m_view->applyUpdate(later);
    QCOMPARE(model->rowCount(), 2);
    QCOMPARE(first.data(ResultsModel::PassRole).toString(), QStringLiteral("\u25d0 3/4 pass"));
}

void TestAbResults::headerClickSortsByScore()
{
    // B passes on examples 2 and 4, fails on 1 and 3; its call on 5 failed.
    std::vector<ts::Cell> cells;
    std::vector<ts::Example> examples;
    for (int64_t id = 1; id <= 5; ++id) {
        examples.push_back(example(id, "input " + std::to_string(id), "{}"));
        cells.push_back(scoredCell("A", id, 0, "{}", "{}"));
        cells.push_back(id == 5 ? failedCall("B", id, 0) : scoredCell("B", id, 0, id % 2 ? "nope" : "{}", "{}"));
    }
    m_view->applyUpdate(replaceWith(cells, examples, {QStringLiteral("A"), QStringLiteral("B")}));
    QTableView* grid = m_view->findChild<QTableView*>(QStringLiteral("resultsGrid"));
    QHeaderView* header = grid->horizontalHeader();
    QCOMPARE(columnTexts(grid->model(), ResultsModel::ExampleColumn), (QStringList {"#1", "#2", "#3", "#4", "#5"}));

    const int column = ResultsModel::FirstVariantColumn + 1;
    const QPoint at(header->sectionViewportPosition(column) + header->sectionSize(column) / 2, header->height() / 2);
    QTest::mouseClick(header->viewport(), Qt::LeftButton, {}, at);
    QCOMPARE(header->sortIndicatorSection(), column);
    const QStringList ascending = columnTexts(grid->model(), column, ResultsModel::PassRole);
    QCOMPARE(ascending.mid(0, 3),
             (QStringList {"\u2717 call failed", "\u2717 fail", "\u2717 fail"})); // exact 0, json 0: share 0
    QCOMPARE(ascending.mid(3), (QStringList {"\u2713 pass", "\u2713 pass"}));
    QTest::mouseClick(header->viewport(), Qt::LeftButton, {}, at);
    const QStringList descending = columnTexts(grid->model(), column, ResultsModel::PassRole);
    QCOMPARE(descending.first(), QStringLiteral("\u2713 pass"));
    QCOMPARE(descending.last(), QStringLiteral("\u2717 call failed"));
    ts::test::saveScreenshot(m_view.get(), QStringLiteral("ab-results-sorted"));

    // The example column puts them back in order.
    const QPoint exampleAt(header->sectionViewportPosition(0) + header->sectionSize(0) / 2, header->height() / 2);
    QTest::mouseClick(header->viewport(), Qt::LeftButton, {}, exampleAt);
    if (header->sortIndicatorOrder() != Qt::AscendingOrder)
        QTest::mouseClick(header->viewport(), Qt::LeftButton, {}, exampleAt);
    QCOMPARE(columnTexts(grid->model(), ResultsModel::ExampleColumn), (QStringList {"#1", "#2", "#3", "#4", "#5"}));
}

void TestAbResults::inputAndReferenceColumnsHide()
{
    m_view->applyUpdate(replaceWith({scoredCell("A", 1, 0, "{}", "{}")}, {example(1, "in", "{}")}, {"A"}));
    QTableView* grid = m_view->findChild<QTableView*>(QStringLiteral("resultsGrid"));
    QAction* input = m_view->findChild<QAction*>(QStringLiteral("showInputAction"));
    QAction* reference = m_view->findChild<QAction*>(QStringLiteral("showReferenceAction"));
    QVERIFY(!grid->isColumnHidden(ResultsModel::InputColumn));
    input->trigger();
    QVERIFY(grid->isColumnHidden(ResultsModel::InputColumn));
    QVERIFY(!grid->isColumnHidden(ResultsModel::ReferenceColumn));
    reference->trigger();
    QVERIFY(grid->isColumnHidden(ResultsModel::ReferenceColumn));
    ts::test::saveScreenshot(m_view.get(), QStringLiteral("ab-results-columns-hidden"));
    input->trigger();
    QVERIFY(!grid->isColumnHidden(ResultsModel::InputColumn));
}

void TestAbResults::verdictSaysSignAndUnits()
{
    // fields passes exact_match on 8 of 8 examples, terse on 2: terse − fields = −75 points. Lengths in words.
    std::vector<ts::Cell> cells;
    for (int64_t id = 1; id <= 8; ++id) {
        ts::Cell a = scoredCell("fields", id, 0, "{}", "{}");
        ts::Cell b = scoredCell("terse", id, 0, id <= 2 ? "{}" : "[]", "{}");
        a.scores.push_back({"length_words", 10, std::nullopt, ""});
        b.scores.push_back({"length_words", 4, std::nullopt, ""});
        cells.push_back(a);
        cells.push_back(b);
    }
    ts::eval::ScorerSpec length = specOf(ts::eval::ScorerKind::Length);
    length.unit = ts::eval::LengthUnit::Words;
    const std::map<std::string, double> points
        = {{"exact_match", 100}, {"json_parses", 100}, {"length_words", ts::eval::pointsPerUnit(length.kind)}};
    const std::map<std::string, std::string> units
        = {{"exact_match", "points"}, {"json_parses", "points"}, {"length_words", ts::eval::verdictUnit(length)}};
    auto summary = ts::promptlab::summarizeCells(cells, {"fields", "terse"}, points, {}, units);
    QVERIFY(summary.ok());
    ts::ui::AbUpdate update = replaceWith(cells, {}, {QStringLiteral("fields"), QStringLiteral("terse")});
    update.summaryChanged = true;
    update.summary = std::make_shared<const ts::promptlab::AbSummary>(*summary);
    update.resamples = 10000;
    m_view->applyUpdate(update);
    const QString verdicts = m_view->findChild<QLabel*>(QStringLiteral("verdictLabel"))->text();
    QVERIFY2(verdicts.contains(QStringLiteral("exact_match: terse \u2212 fields = \u221275.0 points (95% CI \u2212")),
             qPrintable(verdicts));
    QVERIFY2(verdicts.contains(QStringLiteral("): fields scores higher")), qPrintable(verdicts));
    QVERIFY2(verdicts.contains(QStringLiteral(
                 "length_words: terse \u2212 fields = \u22126.0 words (95% CI \u22126.0 \u2026 \u22126.0)")),
             qPrintable(verdicts));
    QVERIFY2(verdicts.contains(QStringLiteral("json_parses: terse \u2212 fields = 0.0 points")), qPrintable(verdicts));
    m_view->tabs()->setCurrentIndex(ResultsView::SummaryTab);
    ts::test::saveScreenshot(m_view.get(), QStringLiteral("ab-results-verdict"));
}

void TestAbResults::costUnknownWithoutPrices()
{
    std::vector<ts::Cell> cells = {scoredCell("A", 1, 0, "{}", "{}"), scoredCell("B", 1, 0, "{}", "{}"),
                                   scoredCell("A", 2, 0, "{}", "{}"), scoredCell("B", 2, 0, "[]", "{}")};
    auto unpriced = ts::promptlab::summarizeCells(cells, {"A", "B"}, {});
    QVERIFY(unpriced.ok());
    ts::ui::AbUpdate update = replaceWith(cells, {}, {QStringLiteral("A"), QStringLiteral("B")});
    update.summaryChanged = true;
    update.summary = std::make_shared<const ts::promptlab::AbSummary>(*unpriced);
    m_view->applyUpdate(update);
    QLabel* spend = m_view->findChild<QLabel*>(QStringLiteral("summarySpendLabel"));
    QCOMPARE(spend->text(), QStringLiteral("Cost unknown: the endpoints of this run have no price per token"));
    QVERIFY(!spend->text().contains(QLatin1Char('$')));

    for (ts::Cell& c : cells)
        c.cost = 0.0021;
    auto priced = ts::promptlab::summarizeCells(cells, {"A", "B"}, {});
    QVERIFY(priced.ok());
    update = replaceWith(cells, {}, {QStringLiteral("A"), QStringLiteral("B")});
    update.summaryChanged = true;
    update.summary = std::make_shared<const ts::promptlab::AbSummary>(*priced);
    m_view->applyUpdate(update);
    QCOMPARE(spend->text(), QStringLiteral("Spent $0.0084: variants $0.0084"));
}

void TestAbResults::exportsCsvAndJsonLines()
{
    // Text with commas, quotes and line breaks in every text column.
    std::vector<ts::Cell> cells = {scoredCell("A, \"terse\"", 1, 0, "line one\nsaid \"hi\", then left", "{}"),
                                   failedCall("B", 1, 0), scoredCell("A, \"terse\"", 1, 1, "{}", "{}")};
    cells[0].cost = 0.0005;
    const std::vector<ts::Example> examples = {example(1, "Claim: \"A, B\"\nand C", "{}")};
    m_view->applyUpdate(replaceWith(cells, examples, {QStringLiteral("A, \"terse\""), QStringLiteral("B")}));
    QPushButton* button = m_view->findChild<QPushButton*>(QStringLiteral("exportResultsButton"));
    QVERIFY(button->isEnabled());
    QSignalSpy finished(m_view.get(), &ResultsView::exportFinished);

    const QString csvPath = m_dir->filePath(QStringLiteral("results.csv"));
    ts::ui::Dialogs::setNextFileName(csvPath);
    QTest::mouseClick(button, Qt::LeftButton);
    QVERIFY(finished.wait(10000));
    QCOMPARE(finished.at(0).at(1).toString(), QString());
    QCOMPARE(m_view->findChild<QLabel*>(QStringLiteral("exportStatusLabel"))->text(),
             QStringLiteral("Exported 3 results to %1").arg(QDir::toNativeSeparators(csvPath)));

    // Python's csv module reads it back field for field.
    const QString python = QStandardPaths::findExecutable(QStringLiteral("python3"));
    QVERIFY2(!python.isEmpty(), "python3 is needed to read the CSV with its csv module");
    QProcess reader;
    reader.start(python,
                 {QStringLiteral("-c"),
                  QStringLiteral("import csv, json, sys\n"
                                 "with open(sys.argv[1], newline='', encoding='utf-8') as f:\n"
                                 "    print(json.dumps(list(csv.reader(f, strict=True))))\n"),
                  csvPath});
    QVERIFY(reader.waitForFinished(30000));
    QCOMPARE(reader.exitCode(), 0);
    const auto rows = nlohmann::json::parse(reader.readAllStandardOutput().toStdString());
    QCOMPARE(rows.size(), size_t(4));
    const auto& header = rows[0];
    QCOMPARE(header[0].get<std::string>(), std::string("variant"));
    QCOMPARE(header[14].get<std::string>(), std::string("exact_match"));
    QCOMPARE(header.size(), size_t(18));
    for (const auto& row : rows)
        QCOMPARE(row.size(), size_t(18));
    QCOMPARE(rows[1][0].get<std::string>(), std::string("A, \"terse\""));
    QCOMPARE(rows[1][2].get<std::string>(), std::string("1"));
    QCOMPARE(rows[1][3].get<std::string>(), std::string("Claim: \"A, B\"\nand C"));
    QCOMPARE(rows[1][5].get<std::string>(), std::string("line one\nsaid \"hi\", then left"));
    QCOMPARE(rows[1][6].get<std::string>(), std::string("no"));
    QCOMPARE(rows[1][13].get<std::string>(), std::string("0.0005"));
    QCOMPARE(rows[2][0].get<std::string>(), std::string("A, \"terse\"")); // repeat 2 of the same variant next
    QCOMPARE(rows[2][6].get<std::string>(), std::string("yes"));
    QCOMPARE(rows[3][0].get<std::string>(), std::string("B"));
    QCOMPARE(rows[3][7].get<std::string>(), std::string("the model refused"));

    // JSON Lines: one object per cell.
    const QString jsonlPath = m_dir->filePath(QStringLiteral("results.jsonl"));
    ts::ui::Dialogs::setNextFileName(jsonlPath);
    QVERIFY(m_view->exportResults());
    QVERIFY(finished.wait(10000));
    QCOMPARE(finished.at(1).at(1).toString(), QString());
    QFile file(jsonlPath);
    QVERIFY(file.open(QIODevice::ReadOnly));
    const QList<QByteArray> lines = file.readAll().split('\n');
    QCOMPARE(lines.size(), 4); // three lines and the empty text after the last line break
    const auto firstLine = nlohmann::json::parse(lines[0].toStdString());
    QCOMPARE(firstLine["input"].get<std::string>(), std::string("Claim: \"A, B\"\nand C"));
    QCOMPARE(firstLine["scores"][1]["scorer"].get<std::string>(), std::string("json_parses"));
    QCOMPARE(nlohmann::json::parse(lines[2].toStdString())["error_kind"].get<std::string>(),
             std::string("bad_request"));
    ts::test::saveScreenshot(m_view.get(), QStringLiteral("ab-results-exported"));
}

void TestAbResults::tooltipsSayScorerFailuresInPlainWords()
{
    // Outputs that are not JSON in several ways, scored by the real json_parses scorer.
    const std::vector<std::string> outputs
        = {"{\"a\": x}", "{\"a\": [1, 2", "", "Sure! Here it is: {}", "{\n  \"b\": tru}"};
    std::vector<ts::Cell> cells;
    std::vector<ts::Example> examples;
    for (size_t i = 0; i < outputs.size(); ++i) {
        const auto id = static_cast<int64_t>(i + 1);
        examples.push_back(example(id, "input", "{}"));
        cells.push_back(scoredCell("A", id, 0, outputs[i], "{}"));
        cells.push_back(scoredCell("A", id, 1, outputs[i], "{}"));
    }
    m_view->applyUpdate(replaceWith(cells, examples, {QStringLiteral("A")}));
    ResultsModel* model = m_view->model();
    QCOMPARE(model->rowCount(), 5);
    for (int r = 0; r < model->rowCount(); ++r)
        for (int c = 0; c < model->columnCount(); ++c) {
            const QString tip = model->index(r, c).data(Qt::ToolTipRole).toString();
            QVERIFY2(!tip.contains(QStringLiteral("json.exception")) && !tip.contains(QStringLiteral("parse_error")),
                     qPrintable(tip));
        }
    const QString first = model->index(0, ResultsModel::FirstVariantColumn).data(Qt::ToolTipRole).toString();
    QVERIFY2(first.contains(QStringLiteral("json_parses: 0 (fail) \u2014 output is not valid JSON: unexpected 'x' at "
                                           "line 1, column 7")),
             qPrintable(first));
    const QString last = model->index(4, ResultsModel::FirstVariantColumn).data(Qt::ToolTipRole).toString();
    QVERIFY2(last.contains(QStringLiteral("at line 2, column")), qPrintable(last));
}

QTEST_MAIN(TestAbResults)
#include "test-ab-results.moc"
