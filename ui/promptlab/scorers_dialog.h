// ScorersDialog: the project's scorer list (meta promptlab.scorers). The Checklist tab has one row per scorer
// (ScorerRow: a checkbox and the kind's options as fields) plus suggestions made from the golden references
// (eval/scorer_suggestions.h), each with the reason; the Advanced tab is the same list as JSON with live
// validation (eval::scorersFromJson: errors name the scorer and field). The two views stay in step: a change in
// the checklist rewrites the JSON, valid JSON rebuilds the checklist. A/B tests use the list when they name no
// scorers of their own.
#pragma once

#include <vector>

#include <QDialog>

#include "bridge/project_load.h"
#include "eval/scorer_suggestions.h"

class QDialogButtonBox;
class QGroupBox;
class QLabel;
class QPlainTextEdit;
class QPushButton;
class QTabWidget;
class QVBoxLayout;

namespace ts {
class Project;
}

namespace ts::ui {

class ScorerRow;

class ScorersDialog final : public QDialog
{
    Q_OBJECT
public:
    explicit ScorersDialog(ts::Project* project, QWidget* parent = nullptr);

    QString text() const; // the list as JSON (the Advanced tab)
    void setText(const QString& json);
    QString errorText() const; // empty when the list is a valid scorer list

    QList<ScorerRow*> rows() const { return m_rows; } // in list order: the checked ones first
    ScorerRow* row(ts::eval::ScorerKind kind) const; // the first of that kind
    bool isLoadingSuggestions() const { return m_suggestionsLoad.isLoading(); }
    const ts::eval::ScorerSuggestions& suggestions() const { return m_suggestions; }

public slots:
    void accept() override; // saves to the project, then closes
    void resetToDefaults();
    void applySuggestions(); // checks the suggested scorers and fills their options

signals:
    void suggestionsLoaded();

private:
    QWidget* buildChecklist();
    QWidget* buildSuggestions(QWidget* parent);
    void loadSuggestions();
    void showSuggestions();
    // Rows for `specs` (checked, in order) and one unchecked row for each kind they leave out.
    void rebuildRows(const std::vector<ts::eval::ScorerSpec>& specs);
    void onRowChanged(); // checklist → JSON
    void validate(); // JSON → error line, OK button and (when valid) the checklist

    ts::Project* m_project = nullptr;
    bool m_syncing = false;
    QString m_rowError;
    QTabWidget* m_tabs = nullptr;
    QVBoxLayout* m_rowsLayout = nullptr;
    QList<ScorerRow*> m_rows;
    QGroupBox* m_suggestionsBox = nullptr;
    QLabel* m_suggestionsText = nullptr;
    QPushButton* m_useSuggestions = nullptr;
    ts::eval::ScorerSuggestions m_suggestions;
    ProjectLoad m_suggestionsLoad {this};
    QPlainTextEdit* m_edit = nullptr;
    QLabel* m_error = nullptr;
    QDialogButtonBox* m_buttons = nullptr;
};

} // namespace ts::ui
