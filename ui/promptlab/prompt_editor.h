// PromptEditor: the prompt variants of a project (list with versions; new, duplicate, delete) and the editor of
// the selected one — every PromptVariant section with {{variable}} highlighting, the variables table, chain of
// thought, a JSON schema with its validation, endpoint and sampling, the few-shot picker — beside a live preview
// of the exact messages and their token count. Save (Ctrl+S) adds a version only when something changed.
// While the fields differ from the saved version, the list entry and the Prompts tab carry a "•" and the save bar
// under the form (never scrolled away) says so, with Save and Discard; History… shows every version with a diff
// against the fields and restores one as a new version.
#pragma once

#include <optional>
#include <vector>

#include <QPointer>
#include <QTimer>
#include <QWidget>

#include "promptlab/prompt_repository.h"
#include "promptlab/prompt_variant.h"
#include "store/example.h"

class QAction;
class QCheckBox;
class QComboBox;
class QDoubleSpinBox;
class QFormLayout;
class QFrame;
class QGroupBox;
class QHBoxLayout;
class QLabel;
class QListWidget;
class QPlainTextEdit;
class QPushButton;
class QScrollArea;
class QSpinBox;
class QTableWidget;

namespace ts {
class Project;
}

namespace ts::ui {

class FewShotPicker;
class PromptHistoryDialog;
class PromptPreview;
class VariableHighlighter;

class PromptEditor final : public QWidget
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(PromptEditor)

public:
    static constexpr int kPreviewDelayMs = 150;

    explicit PromptEditor(QWidget* parent = nullptr);

    void setProject(ts::Project* project);
    // The examples of the few-shot picker and of the preview are still being read (after setProject or a reload).
    bool isLoading() const;
    void reloadEndpoints(); // the endpoint combo, after the Endpoints dialog
    void reloadExamples(); // picker and preview, after edits on the Golden examples page
    void setShortcutsActive(bool active);

    QString currentName() const; // "" when no prompt is selected
    int currentVersion() const; // the saved version shown (0: none)
    // The fields as a variant; nullopt (and *error) when the JSON schema does not parse.
    std::optional<ts::promptlab::PromptVariant> variant(QString* error = nullptr) const;
    void setVariant(const ts::promptlab::PromptVariant& variant);
    bool isModified() const;
    bool selectPrompt(const QString& name);
    QStringList unknownVariables() const; // {{names}} used in the sections but not in the table

    QListWidget* promptList() const { return m_list; }
    QPlainTextEdit* roleEdit() const { return m_role; }
    QPlainTextEdit* instructionsEdit() const { return m_instructions; }
    QPlainTextEdit* constraintsEdit() const { return m_constraints; }
    QPlainTextEdit* audienceEdit() const { return m_audience; }
    QPlainTextEdit* outputFormatEdit() const { return m_outputFormat; }
    QPlainTextEdit* schemaEdit() const { return m_schema; }
    QLabel* schemaStatus() const { return m_schemaStatus; }
    QCheckBox* chainOfThoughtCheck() const { return m_cot; }
    QTableWidget* variablesTable() const { return m_variables; }
    QLabel* unknownVariablesLabel() const { return m_unknown; }
    QComboBox* endpointCombo() const { return m_endpoint; }
    QDoubleSpinBox* temperatureSpin() const { return m_temperature; }
    QDoubleSpinBox* topPSpin() const { return m_topP; }
    QSpinBox* maxTokensSpin() const { return m_maxTokens; }
    FewShotPicker* fewShotPicker() const { return m_fewShot; }
    PromptPreview* preview() const { return m_preview; }
    QLabel* versionLabel() const { return m_versionLabel; }
    QAction* saveAction() const { return m_saveAction; }
    QFrame* saveBar() const { return m_saveBar; }
    QPushButton* saveButton() const { return m_saveButton; }
    QPushButton* discardButton() const { return m_discardButton; }
    QPushButton* historyButton() const { return m_historyButton; }
    PromptHistoryDialog* historyDialog() const; // the open one, if any

public slots:
    bool save();
    // An empty name asks for one. New prompts start empty; a duplicate copies the fields. Both are saved as v1.
    bool newPrompt(const QString& name = {});
    bool duplicatePrompt(const QString& name = {});
    bool deletePrompt(); // asks first
    void discardChanges(); // the fields back to the saved version
    void openHistory(); // the History dialog of the shown variant (not modal)
    // Saves version `version` of the shown variant again as its newest version; asks first when the fields have
    // unsaved changes (they are lost).
    bool restoreVersion(int version);
    void addVariable(const QString& name = {}, const QString& value = {});
    void removeSelectedVariable();
    void updatePreview(); // at once (edits schedule it after kPreviewDelayMs)

signals:
    void promptsChanged(); // a prompt was saved, added or deleted
    void modifiedChanged(bool modified); // the fields started or stopped differing from the saved version
    void endpointsRequested();
    void statusMessage(const QString& message);

private:
    // Constructor parts, in layout order: the variant list | the form (sections with the schema, variables, model,
    // few-shot examples; the save bar below it) | the preview; then the Ctrl+S action and the signal connections.
    QWidget* buildVariantList(QWidget* parent);
    QWidget* buildForm(QWidget* parent);
    QFormLayout* buildSectionsForm(); // role … output format, JSON schema, chain of thought
    void buildSchemaSection(QFormLayout* sections);
    QGroupBox* buildVariablesGroup();
    QGroupBox* buildModelGroup();
    QGroupBox* buildFewShotGroup();
    QFrame* buildSaveBar(QWidget* parent);
    void buildSaveAction();
    void connectSignals();
    QPlainTextEdit* makeSectionEdit(const QString& objectName, const QString& tooltip, int lines);
    void reloadList(const QString& select);
    void load(const ts::PromptVersion& version);
    void onCurrentChanged();
    bool confirmLeave(); // save / discard / cancel when modified
    void onEdited();
    void updateVariables();
    void updateSchemaStatus();
    void updateSaveState(); // save bar text and buttons, the list entry's "•", modifiedChanged()
    QString askName(const QString& title, const QString& suggestion);
    bool createAs(const QString& name, const ts::promptlab::PromptVariant& variant);
    QString localModelDir(const std::string& endpoint) const;

    ts::Project* m_project = nullptr;
    std::optional<ts::PromptVersion> m_loaded;
    std::vector<std::string> m_stop; // kept as loaded (no editor yet)
    bool m_loading = false;
    QString m_shownName;
    bool m_modified = false; // as last announced by modifiedChanged()
    QTimer m_previewTimer;
    std::vector<ts::Example> m_fewShotRows;

    QListWidget* m_list = nullptr;
    QPushButton* m_newButton = nullptr;
    QPushButton* m_duplicateButton = nullptr;
    QPushButton* m_deleteButton = nullptr;
    QPushButton* m_endpointsButton = nullptr;
    QWidget* m_form = nullptr;
    QPlainTextEdit* m_role = nullptr;
    QPlainTextEdit* m_instructions = nullptr;
    QPlainTextEdit* m_constraints = nullptr;
    QPlainTextEdit* m_audience = nullptr;
    QPlainTextEdit* m_outputFormat = nullptr;
    QPlainTextEdit* m_schema = nullptr;
    QLabel* m_schemaStatus = nullptr;
    QCheckBox* m_cot = nullptr;
    QTableWidget* m_variables = nullptr;
    QPushButton* m_addVariableButton = nullptr;
    QPushButton* m_removeVariableButton = nullptr;
    QLabel* m_unknown = nullptr;
    QComboBox* m_endpoint = nullptr;
    QDoubleSpinBox* m_temperature = nullptr;
    QDoubleSpinBox* m_topP = nullptr;
    QSpinBox* m_maxTokens = nullptr;
    FewShotPicker* m_fewShot = nullptr;
    PromptPreview* m_preview = nullptr;
    QFrame* m_saveBar = nullptr;
    QLabel* m_versionLabel = nullptr;
    QPushButton* m_historyButton = nullptr;
    QPushButton* m_discardButton = nullptr;
    QPushButton* m_saveButton = nullptr;
    QPointer<PromptHistoryDialog> m_history;
    QAction* m_saveAction = nullptr;
    QList<VariableHighlighter*> m_highlighters;
};

} // namespace ts::ui
