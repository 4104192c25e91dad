// ExportDialog: write examples (selected rows, shown rows or the whole project) to a dataset file via an ExportJob.
#pragma once

#include <memory>
#include <vector>

#include <QDialog>

#include "data/formats.h"
#include "data/import_job.h"

class QComboBox;
class QDialogButtonBox;
class QLabel;
class QLineEdit;
class QProgressBar;
class QPushButton;
class QRadioButton;

namespace ts {
class Project;
}

namespace ts::ui {

class JobController;

class ExportDialog final : public QDialog
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(ExportDialog)

public:
    enum class Scope { Selected, Shown, Project };

    ExportDialog(ts::Project& project, JobController& jobs, std::vector<int64_t> selectedIds,
                 std::vector<int64_t> shownIds, qint64 totalCount, QWidget* parent = nullptr);

    // Test seams (Browse and Export call these). The destination can also be typed: a relative path is taken
    // relative to the project's folder.
    void setFile(const QString& path);
    QString file() const { return m_file; }
    // Why the destination cannot be written ("" when it can): no name, a missing folder, a folder as the name.
    QString destinationProblem() const;
    void setFormat(ts::DataFormat format);
    ts::DataFormat format() const;
    void setScope(Scope scope);
    Scope scope() const;
    ts::ExportOptions options() const;
    bool isRunning() const { return m_running; }

public slots:
    bool startExport();
    void reject() override;

signals:
    void exportFinished(bool ok, const QString& message);

private:
    void browse();
    void onFileEdited(const QString& text);
    void updateExportButton();
    void onFormatChanged();
    void onProgress(quint64 jobId, qint64 done, qint64 total, const QString& message);
    void onFinished(quint64 jobId, bool ok, const QString& error, bool cancelled);
    void setRunning(bool running);

    ts::Project& m_project;
    JobController& m_jobs;
    std::vector<int64_t> m_selectedIds;
    std::vector<int64_t> m_shownIds;
    std::shared_ptr<ts::ExportJob> m_job;
    quint64 m_jobId = 0; // m_job in the JobController
    QString m_file;
    bool m_running = false;
    bool m_closeWhenDone = false;

    QComboBox* m_format = nullptr;
    QLineEdit* m_fileEdit = nullptr;
    QPushButton* m_browse = nullptr;
    QRadioButton* m_selected = nullptr;
    QRadioButton* m_shown = nullptr;
    QRadioButton* m_all = nullptr;
    QProgressBar* m_progress = nullptr;
    QLabel* m_status = nullptr;
    QDialogButtonBox* m_buttons = nullptr;
    QPushButton* m_exportButton = nullptr;
};

} // namespace ts::ui
