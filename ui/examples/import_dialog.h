// ImportDialog: pick a dataset file, its format (and CSV column mapping), then run an ImportJob with progress.
#pragma once

#include <memory>
#include <vector>

#include <QDialog>

#include "data/formats.h"
#include "data/import_job.h"

class QCheckBox;
class QComboBox;
class QDialogButtonBox;
class QGroupBox;
class QLabel;
class QLineEdit;
class QListWidget;
class QProgressBar;
class QPushButton;
class QTableWidget;

namespace ts {
class Project;
}

namespace ts::ui {

class JobController;

// Import is all-or-nothing (see ImportJob): when rows are bad, the dialog lists the first
// problems by line ("problemList") and the project stays unchanged, unless "Import only valid
// rows" is checked, in which case the skipped rows are listed after the import.
// On success imported() carries the new ids; the examples page puts them on the undo stack.
class ImportDialog final : public QDialog
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(ImportDialog)

public:
    static constexpr int kListedProblems = 20;

    ImportDialog(ts::Project& project, JobController& jobs, QWidget* parent = nullptr);

    // Test seams (the Browse button and the Import button call these).
    void setFile(const QString& path);
    QString file() const { return m_file; }
    void setFormat(ts::DataFormat format);
    ts::DataFormat format() const;
    void setSkipInvalid(bool skip);
    ts::ImportOptions options() const;
    bool isRunning() const { return m_running; }
    QListWidget* problemList() const { return m_problems; }

public slots:
    bool startImport();
    void reject() override;

signals:
    void imported(const std::vector<int64_t>& ids, const QString& fileName);
    void importFinished(bool ok);

private:
    void browse();
    void onFormatChanged();
    void loadCsvPreview();
    void applySuggestedMapping(const ts::CsvMapping& mapping);
    void onProgress(quint64 jobId, qint64 done, qint64 total, const QString& message);
    void onFinished(quint64 jobId, bool ok, const QString& error, bool cancelled);
    void showProblems(const QString& heading, const ts::ImportResult& result);
    void setRunning(bool running);

    ts::Project& m_project;
    JobController& m_jobs;
    std::shared_ptr<ts::ImportJob> m_job;
    quint64 m_jobId = 0; // m_job in the JobController
    QString m_file;
    bool m_running = false;
    bool m_closeWhenDone = false;
    bool m_done = false;

    QLineEdit* m_fileEdit = nullptr;
    QPushButton* m_browse = nullptr;
    QComboBox* m_format = nullptr;
    QGroupBox* m_csvGroup = nullptr;
    QCheckBox* m_csvHeader = nullptr;
    QTableWidget* m_csvPreview = nullptr;
    QComboBox* m_mapInput = nullptr;
    QComboBox* m_mapOutput = nullptr;
    QComboBox* m_mapSystem = nullptr;
    QComboBox* m_mapSplit = nullptr;
    QComboBox* m_mapTags = nullptr;
    QCheckBox* m_skipInvalid = nullptr;
    QComboBox* m_forceSplit = nullptr;
    QLabel* m_problemLabel = nullptr;
    QListWidget* m_problems = nullptr;
    QProgressBar* m_progress = nullptr;
    QLabel* m_status = nullptr;
    QDialogButtonBox* m_buttons = nullptr;
    QPushButton* m_importButton = nullptr;
};

} // namespace ts::ui
