// Prompt versions and the scorer checklist (issue 12 #14, #15), driven by objectName on real widgets and a real
// project file: the "•" unsaved marker in the variant list and the Prompts tab appears on an edit and clears on
// Save (and on Discard); the save bar stays outside the scrolled form; each save records a version; the History
// dialog's diff shows the changed line; Restore brings the old text back as a new version and can itself be undone.
// The Scorers dialog's checklist writes the same list as the raw JSON, the JSON rebuilds the checklist, and
// suggestions (json_parses, field F1, schema valid, with reasons) appear for JSON references, not for plain text.
#include <QCheckBox>
#include <QComboBox>
#include <QDialogButtonBox>
#include <QDoubleSpinBox>
#include <QLabel>
#include <QLineEdit>
#include <QListWidget>
#include <QPlainTextEdit>
#include <QPushButton>
#include <QScrollArea>
#include <QScrollBar>
#include <QSignalSpy>
#include <QSpinBox>
#include <QTabWidget>
#include <QTemporaryDir>
#include <QTextEdit>
#include <QtTest>

#include <set>

#include <nlohmann/json.hpp>

#include "bridge/job_controller.h"
#include "dialogs/dialogs.h"
#include "eval/scorer.h"
#include "promptlab/ab_test_job.h"
#include "promptlab/api_key_store.h"
#include "promptlab/prompt_editor.h"
#include "promptlab/prompt_history_dialog.h"
#include "promptlab/prompt_lab_page.h"
#include "promptlab/prompt_repository.h"
#include "promptlab/scorer_row.h"
#include "promptlab/scorers_dialog.h"
#include "ui_test_support.h"

using ts::ui::PromptEditor;
using ts::ui::PromptLabPage;
using ts::ui::ScorersDialog;

class TestPromptVersions : public QObject
{
    Q_OBJECT

private slots:
    void initTestCase();
    void init();
    void cleanup();

    void unsavedMarkerAppearsOnEditAndClearsOnSave();
    void discardPutsTheSavedFieldsBack();
    void saveBarStaysOutsideTheScrolledForm();
    void historyDiffShowsTheChangedLine();
    void restoreSavesTheOldTextAsANewVersion();
    void checklistWritesTheSameScorersAsTheJson();
    void jsonReferencesGetSuggestions();
    void plainTextReferencesGetNoSuggestions();

private:
    std::vector<ts::PromptVersion> storedVersions(const std::string& name);
    QListWidgetItem* listItem(const QString& name);
    ts::ui::PromptHistoryDialog* openHistory();
    void insertGolden(const std::vector<std::string>& outputs);

    std::unique_ptr<QTemporaryDir> m_dir;
    std::unique_ptr<ts::Project> m_project;
    std::unique_ptr<ts::ui::JobController> m_jobs;
    std::unique_ptr<PromptLabPage> m_page;
};

void TestPromptVersions::initTestCase()
{
    ts::test::initUiTesting();
    ts::ui::ApiKeyStore::setKeychainEnabled(false);
}

void TestPromptVersions::init()
{
    ts::ui::Dialogs::clear();
    m_dir = std::make_unique<QTemporaryDir>();
    m_project = ts::test::createProject(m_dir->filePath(QStringLiteral("versions.tunesmith")));
    QVERIFY(m_project);
    m_jobs = std::make_unique<ts::ui::JobController>();
    m_page = std::make_unique<PromptLabPage>(*m_jobs);
    m_page->resize(1200, 800);
    m_page->setProject(m_project.get());
    m_page->show();
    QVERIFY(QTest::qWaitForWindowExposed(m_page.get()));
}

void TestPromptVersions::cleanup()
{
    m_page.reset();
    m_jobs.reset();
    m_project.reset();
    m_dir.reset();
}

std::vector<ts::PromptVersion> TestPromptVersions::storedVersions(const std::string& name)
{
    auto reader = m_project->openReader();
    if (!reader)
        return {};
    auto versions = ts::PromptRepository(*reader).versions(name);
    return versions ? *versions : std::vector<ts::PromptVersion> {};
}

QListWidgetItem* TestPromptVersions::listItem(const QString& name)
{
    auto* list = m_page->findChild<QListWidget*>(QStringLiteral("promptList"));
    for (int i = 0; i < list->count(); ++i)
        if (list->item(i)->text().startsWith(name + QStringLiteral("  ")))
            return list->item(i);
    return nullptr;
}

ts::ui::PromptHistoryDialog* TestPromptVersions::openHistory()
{
    QTest::mouseClick(m_page->findChild<QPushButton*>(QStringLiteral("promptHistoryButton")), Qt::LeftButton);
    auto* dialog = m_page->editor()->historyDialog();
    if (dialog && dialog->isLoading()) {
        QSignalSpy loaded(dialog, &ts::ui::PromptHistoryDialog::historyLoaded);
        loaded.wait(10'000);
    }
    return dialog;
}

void TestPromptVersions::insertGolden(const std::vector<std::string>& outputs)
{
    std::vector<ts::Example> rows;
    for (size_t i = 0; i < outputs.size(); ++i)
        rows.push_back(ts::test::makeExample("claim " + std::to_string(i), outputs[i], ts::Split::Eval));
    ts::test::insertExamples(*m_project, rows);
}

void TestPromptVersions::unsavedMarkerAppearsOnEditAndClearsOnSave()
{
    PromptEditor* editor = m_page->editor();
    QVERIFY(editor->newPrompt(QStringLiteral("A")));
    auto* tabs = m_page->findChild<QTabWidget*>(QStringLiteral("promptLabTabs"));
    QCOMPARE(listItem(QStringLiteral("A"))->text(), QStringLiteral("A  v1"));
    QCOMPARE(tabs->tabText(0), QStringLiteral("&Prompts"));
    QVERIFY(!editor->discardButton()->isEnabled());

    QSignalSpy modified(editor, &PromptEditor::modifiedChanged);
    QTest::keyClicks(editor->instructionsEdit(), QStringLiteral("Label the claim."));
    QCOMPARE(listItem(QStringLiteral("A"))->text(), QStringLiteral("A  v1  \u2022"));
    QCOMPARE(tabs->tabText(0), QStringLiteral("&Prompts \u2022"));
    QVERIFY(editor->versionLabel()->text().contains(QStringLiteral("unsaved changes")));
    QVERIFY(editor->versionLabel()->text().contains(QStringLiteral("v2")));
    QVERIFY(editor->discardButton()->isEnabled());
    QCOMPARE(modified.count(), 1); // once, not per keystroke
    ts::test::saveScreenshot(m_page.get(), QStringLiteral("prompt-editor-unsaved"));

    QTest::keyClick(editor->instructionsEdit(), Qt::Key_S, Qt::ControlModifier);
    QCOMPARE(editor->currentVersion(), 2);
    QCOMPARE(listItem(QStringLiteral("A"))->text(), QStringLiteral("A  v2"));
    QCOMPARE(tabs->tabText(0), QStringLiteral("&Prompts"));
    QVERIFY(editor->versionLabel()->text().contains(QStringLiteral("A v2 \u2014 saved")));
    QCOMPARE(modified.count(), 2);
    QCOMPARE(modified.last().at(0).toBool(), false);
    // The save recorded a version with the text and a time.
    const auto versions = storedVersions("A");
    QCOMPARE(versions.size(), size_t(2));
    QCOMPARE(versions.back().variant.instructions, std::string("Label the claim."));
    QVERIFY(versions.back().createdAt > 0);
}

void TestPromptVersions::discardPutsTheSavedFieldsBack()
{
    PromptEditor* editor = m_page->editor();
    QVERIFY(editor->newPrompt(QStringLiteral("A")));
    editor->roleEdit()->setPlainText(QStringLiteral("You are terse."));
    QVERIFY(editor->isModified());
    QTest::mouseClick(editor->discardButton(), Qt::LeftButton);
    QVERIFY(!editor->isModified());
    QCOMPARE(editor->roleEdit()->toPlainText(), QString());
    QCOMPARE(listItem(QStringLiteral("A"))->text(), QStringLiteral("A  v1"));
    QCOMPARE(storedVersions("A").size(), size_t(1));
}

void TestPromptVersions::saveBarStaysOutsideTheScrolledForm()
{
    PromptEditor* editor = m_page->editor();
    QVERIFY(editor->newPrompt(QStringLiteral("A")));
    m_page->resize(1024, 560); // short enough that the form scrolls
    editor->roleEdit()->setPlainText(QStringLiteral("You are terse."));
    auto* scroll = editor->findChild<QScrollArea*>(QStringLiteral("promptFormScroll"));
    QVERIFY(scroll);
    QTRY_VERIFY(scroll->verticalScrollBar()->maximum() > 0);
    scroll->verticalScrollBar()->setValue(scroll->verticalScrollBar()->maximum());
    QVERIFY(!scroll->widget()->isAncestorOf(editor->saveBar()));
    QVERIFY(editor->saveBar()->isVisible());
    QVERIFY(editor->saveButton()->isVisible());
    // The bar lies inside the editor's visible area, below the scroll area.
    const QRect bar(editor->saveBar()->mapTo(editor, QPoint(0, 0)), editor->saveBar()->size());
    QVERIFY(editor->rect().contains(bar));
    QVERIFY(bar.top() >= scroll->mapTo(editor, QPoint(0, scroll->height())).y());
    ts::test::saveScreenshot(m_page.get(), QStringLiteral("prompt-editor-save-bar-scrolled"));
}

void TestPromptVersions::historyDiffShowsTheChangedLine()
{
    PromptEditor* editor = m_page->editor();
    QVERIFY(editor->newPrompt(QStringLiteral("A")));
    editor->instructionsEdit()->setPlainText(QStringLiteral("Label the claim."));
    QVERIFY(editor->save());
    editor->instructionsEdit()->setPlainText(QStringLiteral("Label the claim in one word."));
    QVERIFY(editor->save());

    auto* dialog = openHistory();
    QVERIFY(dialog);
    QCOMPARE(dialog->versionList()->count(), 3);
    QVERIFY(dialog->versionList()->item(0)->text().startsWith(QStringLiteral("v3")));
    QVERIFY(dialog->selectVersion(2));
    const QString diff = dialog->diffView()->toPlainText();
    QVERIFY2(diff.contains(QStringLiteral("-   Label the claim.\n")), qPrintable(diff));
    QVERIFY2(diff.contains(QStringLiteral("+   Label the claim in one word.\n")), qPrintable(diff));
    QVERIFY(diff.contains(QStringLiteral("  Chain of thought: off")));
    QCOMPARE(dialog->diffSummary()->text(),
             QStringLiteral("From v2 to the editor: 1 line added (green), 1 line "
                            "removed (red)."));
    // Removed and added lines are highlighted in different colours.
    const QString html = dialog->diffView()->toHtml();
    QVERIFY(html.contains(QStringLiteral("#fbd3d0")));
    QVERIFY(html.contains(QStringLiteral("#d2f4d3")));
    QVERIFY(dialog->selectVersion(3));
    QCOMPARE(dialog->diffSummary()->text(), QStringLiteral("v3 is the same as the editor."));

    // An unsaved edit is compared too.
    QVERIFY(dialog->selectVersion(2));
    editor->audienceEdit()->setPlainText(QStringLiteral("adjusters"));
    QVERIFY(dialog->diffSummary()->text().contains(QStringLiteral("the editor (unsaved changes)")));
    QVERIFY(dialog->diffView()->toPlainText().contains(QStringLiteral("+   adjusters")));
    ts::test::saveScreenshot(dialog, QStringLiteral("prompt-history-diff"));
}

void TestPromptVersions::restoreSavesTheOldTextAsANewVersion()
{
    PromptEditor* editor = m_page->editor();
    QVERIFY(editor->newPrompt(QStringLiteral("A")));
    editor->instructionsEdit()->setPlainText(QStringLiteral("Old text."));
    QVERIFY(editor->save()); // v2
    editor->instructionsEdit()->setPlainText(QStringLiteral("New text."));
    QVERIFY(editor->save()); // v3

    auto* dialog = openHistory();
    QVERIFY(dialog);
    QVERIFY(dialog->selectVersion(2));
    QSignalSpy reloaded(dialog, &ts::ui::PromptHistoryDialog::historyLoaded);
    QTest::mouseClick(dialog->restoreButton(), Qt::LeftButton);
    QCOMPARE(editor->currentVersion(), 4);
    QCOMPARE(editor->instructionsEdit()->toPlainText(), QStringLiteral("Old text."));
    QVERIFY(!editor->isModified());
    QVERIFY(reloaded.wait(10'000));
    QCOMPARE(dialog->versionList()->count(), 4);

    // The restore is undone by restoring v3: nothing was lost.
    QVERIFY(dialog->selectVersion(3));
    QTest::mouseClick(dialog->restoreButton(), Qt::LeftButton);
    QCOMPARE(editor->currentVersion(), 5);
    QCOMPARE(editor->instructionsEdit()->toPlainText(), QStringLiteral("New text."));
    const auto versions = storedVersions("A");
    QCOMPARE(versions.size(), size_t(5));
    QCOMPARE(versions[3].variant.instructions, std::string("Old text."));
    QCOMPARE(versions[4].variant.instructions, std::string("New text."));

    // With unsaved edits, restoring asks first; Cancel keeps them and adds nothing.
    QVERIFY(reloaded.wait(10'000));
    editor->instructionsEdit()->setPlainText(QStringLiteral("Unsaved text."));
    ts::ui::Dialogs::setNextAnswer(QMessageBox::Cancel);
    QVERIFY(dialog->selectVersion(2));
    QTest::mouseClick(dialog->restoreButton(), Qt::LeftButton);
    QVERIFY(ts::ui::Dialogs::lastMessage().contains(QStringLiteral("unsaved changes")));
    QCOMPARE(editor->instructionsEdit()->toPlainText(), QStringLiteral("Unsaved text."));
    QCOMPARE(storedVersions("A").size(), size_t(5));
}

void TestPromptVersions::checklistWritesTheSameScorersAsTheJson()
{
    // In the checklist's order: the default list's rows (length among them) come first.
    const QString raw = QStringLiteral(
        R"([{"kind": "length", "unit": "words", "max_words": 40},
            {"kind": "regex", "name": "label", "pattern": "^(auto|home)$", "full_match": true, "case_sensitive": false},
            {"kind": "field_f1", "pass_threshold": 0.8}])");
    const auto expected = ts::eval::scorersToJson(*ts::eval::scorersFromJson(nlohmann::json::parse(raw.toStdString())));

    // Ticked and filled in the checklist from the defaults...
    ScorersDialog dialog(m_project.get());
    for (ts::ui::ScorerRow* row : dialog.rows())
        row->findChild<QCheckBox*>(QStringLiteral("scorerCheck"))->setChecked(false);
    QCOMPARE(dialog.errorText(), QStringLiteral("Check at least one scorer."));
    auto* regex = dialog.row(ts::eval::ScorerKind::Regex);
    regex->findChild<QCheckBox*>(QStringLiteral("scorerCheck"))->setChecked(true);
    QTest::keyClicks(regex->findChild<QLineEdit*>(QStringLiteral("scorerNameEdit")), QStringLiteral("label"));
    QTest::keyClicks(regex->findChild<QLineEdit*>(QStringLiteral("patternEdit")), QStringLiteral("^(auto|home)$"));
    regex->findChild<QCheckBox*>(QStringLiteral("fullMatchCheck"))->setChecked(true);
    regex->findChild<QCheckBox*>(QStringLiteral("caseSensitiveCheck"))->setChecked(false);
    auto* f1 = dialog.row(ts::eval::ScorerKind::FieldF1);
    f1->findChild<QCheckBox*>(QStringLiteral("scorerCheck"))->setChecked(true);
    f1->findChild<QDoubleSpinBox*>(QStringLiteral("passThresholdSpin"))->setValue(0.8);
    auto* length = dialog.row(ts::eval::ScorerKind::Length);
    length->findChild<QCheckBox*>(QStringLiteral("scorerCheck"))->setChecked(true);
    length->findChild<QComboBox*>(QStringLiteral("unitCombo"))->setCurrentIndex(1);
    length->findChild<QLineEdit*>(QStringLiteral("scorerNameEdit"))->clear(); // the default's "length_words"
    length->findChild<QSpinBox*>(QStringLiteral("maxWordsSpin"))->setValue(40);
    QVERIFY2(dialog.errorText().isEmpty(), qPrintable(dialog.errorText()));
    // ... the Advanced view holds the same list as the raw JSON.
    QCOMPARE(nlohmann::json::parse(dialog.text().toStdString()), expected);
    ts::test::saveScreenshot(&dialog, QStringLiteral("scorers-checklist"));

    // A field the checklist cannot accept is named, and OK stays off.
    regex->findChild<QLineEdit*>(QStringLiteral("patternEdit"))->setText(QStringLiteral("("));
    QVERIFY(dialog.errorText().contains(QStringLiteral("pattern")));
    QVERIFY(!dialog.findChild<QDialogButtonBox*>()->button(QDialogButtonBox::Ok)->isEnabled());

    // The raw JSON rebuilds the checklist, which writes it back unchanged; saving stores that list.
    ScorersDialog fromJson(m_project.get());
    fromJson.setText(raw);
    QVERIFY(fromJson.errorText().isEmpty());
    QVERIFY(fromJson.row(ts::eval::ScorerKind::Regex)->isChecked());
    QCOMPARE(fromJson.row(ts::eval::ScorerKind::Regex)->findChild<QLineEdit*>(QStringLiteral("patternEdit"))->text(),
             QStringLiteral("^(auto|home)$"));
    QVERIFY(!fromJson.row(ts::eval::ScorerKind::ExactMatch)->isChecked());
    fromJson.row(ts::eval::ScorerKind::ExactMatch)->setChecked(true);
    fromJson.row(ts::eval::ScorerKind::ExactMatch)->setChecked(false);
    QCOMPARE(nlohmann::json::parse(fromJson.text().toStdString()), expected);
    fromJson.accept();
    QCOMPARE(fromJson.result(), int(QDialog::Accepted));
    auto stored = m_project->meta(ts::kProjectScorersKey);
    QVERIFY(stored.ok());
    QCOMPARE(nlohmann::json::parse(*stored), expected);
}

void TestPromptVersions::jsonReferencesGetSuggestions()
{
    insertGolden({R"({"category": "auto", "urgent": true})", R"({"category": "home", "urgent": false})",
                  R"({"category": "auto", "urgent": false})", R"({"category": "home", "urgent": true})"});
    ScorersDialog dialog(m_project.get());
    if (dialog.isLoadingSuggestions()) {
        QSignalSpy loaded(&dialog, &ScorersDialog::suggestionsLoaded);
        QVERIFY(loaded.wait(10'000));
    }
    const QString text = dialog.findChild<QLabel*>(QStringLiteral("suggestionsText"))->text();
    QVERIFY2(text.contains(QStringLiteral("All 4 references are JSON.")), qPrintable(text));
    QVERIFY(text.contains(QStringLiteral("Field F1")));
    QVERIFY(text.contains(QStringLiteral("category, urgent")));
    auto* use = dialog.findChild<QPushButton*>(QStringLiteral("useSuggestionsButton"));
    QVERIFY(!use->isHidden());
    auto* schemaRow = dialog.row(ts::eval::ScorerKind::JsonSchemaValid);
    QVERIFY(schemaRow->findChild<QLabel*>(QStringLiteral("scorerReason"))
                ->text()
                .startsWith(QStringLiteral("Suggested: Schema inferred from the 4 references")));
    QVERIFY(!schemaRow->isChecked());

    QTest::mouseClick(use, Qt::LeftButton);
    QVERIFY(dialog.errorText().isEmpty());
    auto list = ts::eval::scorersFromJson(nlohmann::json::parse(dialog.text().toStdString()));
    QVERIFY(list.ok());
    std::set<std::string> kinds;
    for (const auto& spec : *list)
        kinds.insert(ts::eval::scorerKindName(spec.kind));
    for (const char* kind : {"exact_match", "json_parses", "field_f1", "json_schema_valid"})
        QVERIFY2(kinds.count(kind), kind);
    const auto schema = std::find_if(list->begin(), list->end(),
                                     [](const auto& s) { return s.kind == ts::eval::ScorerKind::JsonSchemaValid; });
    QCOMPARE(schema->schema["properties"]["category"]["enum"], nlohmann::json::parse(R"(["auto", "home"])"));
    dialog.resize(760, 900);
    ts::test::saveScreenshot(&dialog, QStringLiteral("scorers-suggestions"));
}

void TestPromptVersions::plainTextReferencesGetNoSuggestions()
{
    insertGolden({"auto", "home", "travel"});
    ScorersDialog dialog(m_project.get());
    if (dialog.isLoadingSuggestions()) {
        QSignalSpy loaded(&dialog, &ScorersDialog::suggestionsLoaded);
        QVERIFY(loaded.wait(10'000));
    }
    QVERIFY(dialog.suggestions().suggestions.empty());
    QVERIFY(
        dialog.findChild<QLabel*>(QStringLiteral("suggestionsText"))->text().contains(QStringLiteral("plain text")));
    QVERIFY(dialog.findChild<QPushButton*>(QStringLiteral("useSuggestionsButton"))->isHidden());
    for (ts::ui::ScorerRow* row : dialog.rows())
        QVERIFY(row->findChild<QLabel*>(QStringLiteral("scorerReason"))->isHidden());
}

QTEST_MAIN(TestPromptVersions)

#include "test-prompt-versions.moc"
