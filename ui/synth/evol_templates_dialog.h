// EvolTemplatesDialog: edits the project's teacher prompts of the evolution operations (synth/evol_templates.h),
// one text per operation, with the stored version shown; saving bumps the version when a text changed. Reads and
// writes run off the GUI thread.
#pragma once

#include <array>

#include <QDialog>

#include "synth/evol_templates.h"

class QComboBox;
class QDialogButtonBox;
class QLabel;
class QPlainTextEdit;
class QPushButton;

namespace ts {
class Project;
}

namespace ts::ui {

class EvolTemplatesDialog final : public QDialog
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(EvolTemplatesDialog)

public:
    EvolTemplatesDialog(ts::Project& project, QWidget* parent = nullptr);

    bool isLoading() const { return m_loading; }
    int storedVersion() const { return m_stored.version; } // as loaded, or as saved
    // Saves the texts (in the background; the dialog closes when stored, or shows why not).
    void save();
    QComboBox* operationCombo() const { return m_operation; }
    QPlainTextEdit* textEdit() const { return m_text; }
    QLabel* versionLabel() const { return m_version; }
    QLabel* errorLabel() const { return m_error; }

signals:
    void saved(int version);

private:
    void showLoaded(const ts::synth::EvolTemplates& templates);
    void keepText(); // the edit's text into m_edited for the operation shown
    void showOperation(int index);
    void setError(const QString& text);

    ts::Project& m_project;
    ts::synth::EvolTemplates m_stored;
    ts::synth::EvolTemplates m_edited;
    int m_shown = -1;
    bool m_loading = true;
    QComboBox* m_operation = nullptr;
    QPlainTextEdit* m_text = nullptr;
    QLabel* m_version = nullptr;
    QLabel* m_error = nullptr;
    QPushButton* m_reset = nullptr;
    QDialogButtonBox* m_buttons = nullptr;
};

} // namespace ts::ui
