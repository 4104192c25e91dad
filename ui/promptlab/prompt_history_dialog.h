// PromptHistoryDialog: the saved versions of one prompt variant (newest first, with their time), and for the
// selected one a line diff of its full definition (promptlab/variant_text.h) against the editor's current
// fields — removed lines red, added lines green. "Restore" asks the editor to save the selected version as a
// new version, so a restore is itself in the history and can be undone by restoring the version before it.
#pragma once

#include <vector>

#include <QDialog>

#include "bridge/project_load.h"
#include "promptlab/prompt_repository.h"
#include "promptlab/prompt_variant.h"

class QLabel;
class QListWidget;
class QPushButton;
class QTextEdit;

namespace ts {
class Project;
}

namespace ts::ui {

class PromptHistoryDialog final : public QDialog
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(PromptHistoryDialog)

public:
    PromptHistoryDialog(ts::Project* project, const QString& name, QWidget* parent = nullptr);

    // What the diff compares against: the editor's fields, and whether they differ from the newest version.
    void setCurrent(const ts::promptlab::PromptVariant& current, bool unsaved);
    void reload(); // reads the versions again (after a save or a restore); historyLoaded() when shown

    bool isLoading() const { return m_load.isLoading(); }
    const QString& promptName() const { return m_name; }
    int selectedVersion() const; // 0: none
    bool selectVersion(int version);

    QListWidget* versionList() const { return m_list; }
    QTextEdit* diffView() const { return m_diff; }
    QLabel* diffSummary() const { return m_summary; }
    QPushButton* restoreButton() const { return m_restore; }

signals:
    void historyLoaded();
    void restoreRequested(int version);

private:
    void showDiff();

    ts::Project* m_project = nullptr;
    QString m_name;
    ts::promptlab::PromptVariant m_current;
    bool m_unsaved = false;
    std::vector<ts::PromptVersion> m_versions; // newest first
    ProjectLoad m_load {this};

    QListWidget* m_list = nullptr;
    QLabel* m_summary = nullptr;
    QTextEdit* m_diff = nullptr;
    QPushButton* m_restore = nullptr;
};

} // namespace ts::ui
