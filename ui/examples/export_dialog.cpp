// ExportDialog: format, destination (Dialogs seam) and row scope, then ExportJob with progress and Cancel.
#include "examples/export_dialog.h"

#include <QComboBox>
#include <QDialogButtonBox>
#include <QDir>
#include <QFileInfo>
#include <QFormLayout>
#include <QGroupBox>
#include <QHBoxLayout>
#include <QLabel>
#include <QLineEdit>
#include <QLocale>
#include <QProgressBar>
#include <QPushButton>
#include <QRadioButton>
#include <QVBoxLayout>

#include "bridge/job_controller.h"
#include "bridge/path_conversion.h"
#include "dialogs/dialogs.h"
#include "store/project.h"

namespace ts::ui {

namespace {

constexpr ts::DataFormat kFormats[]
    = {ts::DataFormat::OpenAiJsonl,  ts::DataFormat::AlpacaJson,    ts::DataFormat::AlpacaJsonl,
       ts::DataFormat::ShareGptJson, ts::DataFormat::ShareGptJsonl, ts::DataFormat::Csv};

QString suffixFor(ts::DataFormat format)
{
    switch (format) {
    case ts::DataFormat::AlpacaJson:
    case ts::DataFormat::ShareGptJson:
        return QStringLiteral("json");
    case ts::DataFormat::Csv:
        return QStringLiteral("csv");
    default:
        return QStringLiteral("jsonl");
    }
}

QString countText(qint64 n)
{
    return QLocale().toString(n);
}

} // namespace

ExportDialog::ExportDialog(ts::Project& project, JobController& jobs, std::vector<int64_t> selectedIds,
                           std::vector<int64_t> shownIds, qint64 totalCount, QWidget* parent)
    : QDialog(parent)
    , m_project(project)
    , m_jobs(jobs)
    , m_selectedIds(std::move(selectedIds))
    , m_shownIds(std::move(shownIds))
{
    setObjectName(QStringLiteral("exportDialog"));
    setWindowTitle(tr("Export Examples"));
    auto* layout = new QVBoxLayout(this);

    auto* form = new QFormLayout();
    m_format = new QComboBox(this);
    m_format->setObjectName(QStringLiteral("formatCombo"));
    for (ts::DataFormat f : kFormats)
        m_format->addItem(fromStd(ts::formatLabel(f)), static_cast<int>(f));
    form->addRow(tr("F&ormat:"), m_format);
    auto* fileRow = new QHBoxLayout();
    m_fileEdit = new QLineEdit(this);
    m_fileEdit->setObjectName(QStringLiteral("fileEdit"));
    m_fileEdit->setMinimumWidth(360);
    m_fileEdit->setPlaceholderText(tr("Type a file path or choose Browse…"));
    m_fileEdit->setToolTip(tr("The file to write. A path without a folder is written next to the project."));
    m_browse = new QPushButton(tr("&Browse…"), this);
    m_browse->setObjectName(QStringLiteral("browseButton"));
    fileRow->addWidget(m_fileEdit, 1);
    fileRow->addWidget(m_browse);
    auto* fileLabel = new QLabel(tr("&Destination:"), this);
    fileLabel->setBuddy(m_fileEdit);
    form->addRow(fileLabel, fileRow);
    layout->addLayout(form);

    auto* scopeGroup = new QGroupBox(tr("Rows"), this);
    auto* scopeLayout = new QVBoxLayout(scopeGroup);
    m_selected = new QRadioButton(
        tr("Only the selected rows (%1)").arg(countText(static_cast<qint64>(m_selectedIds.size()))), scopeGroup);
    m_selected->setObjectName(QStringLiteral("selectedRadio"));
    m_shown = new QRadioButton(tr("All shown rows (%1)").arg(countText(static_cast<qint64>(m_shownIds.size()))),
                               scopeGroup);
    m_shown->setObjectName(QStringLiteral("shownRadio"));
    m_all = new QRadioButton(tr("The whole project (%1)").arg(countText(totalCount)), scopeGroup);
    m_all->setObjectName(QStringLiteral("projectRadio"));
    scopeLayout->addWidget(m_selected);
    scopeLayout->addWidget(m_shown);
    scopeLayout->addWidget(m_all);
    m_selected->setEnabled(!m_selectedIds.empty());
    m_shown->setEnabled(!m_shownIds.empty());
    if (m_selectedIds.size() > 1)
        m_selected->setChecked(true);
    else if (m_shownIds.size() != size_t(totalCount) && !m_shownIds.empty())
        m_shown->setChecked(true);
    else
        m_all->setChecked(true);
    layout->addWidget(scopeGroup);

    auto* progressRow = new QHBoxLayout();
    m_status = new QLabel(this);
    m_status->setObjectName(QStringLiteral("statusLabel"));
    m_status->setWordWrap(true);
    m_progress = new QProgressBar(this);
    m_progress->setObjectName(QStringLiteral("progressBar"));
    m_progress->setVisible(false);
    progressRow->addWidget(m_status, 1);
    progressRow->addWidget(m_progress, 1);
    layout->addLayout(progressRow);

    m_buttons = new QDialogButtonBox(QDialogButtonBox::Cancel, this);
    m_exportButton = m_buttons->addButton(tr("&Export"), QDialogButtonBox::AcceptRole);
    m_exportButton->setObjectName(QStringLiteral("exportButton"));
    m_exportButton->setEnabled(false);
    layout->addWidget(m_buttons);

    connect(m_browse, &QPushButton::clicked, this, &ExportDialog::browse);
    connect(m_fileEdit, &QLineEdit::textEdited, this, &ExportDialog::onFileEdited);
    connect(m_format, &QComboBox::currentIndexChanged, this, &ExportDialog::onFormatChanged);
    connect(m_exportButton, &QPushButton::clicked, this, &ExportDialog::startExport);
    connect(m_buttons, &QDialogButtonBox::rejected, this, &ExportDialog::reject);
    connect(&m_jobs, &JobController::progress, this, &ExportDialog::onProgress);
    connect(&m_jobs, &JobController::finished, this, &ExportDialog::onFinished);
}

void ExportDialog::browse()
{
    const QString suffix = suffixFor(format());
    QString start = m_file;
    if (start.isEmpty())
        start = QFileInfo(fromPath(m_project.path())).absolutePath() + QLatin1Char('/')
            + QFileInfo(fromPath(m_project.path())).completeBaseName() + QLatin1Char('.') + suffix;
    const QString path = Dialogs::getSaveFileName(this, tr("Export Examples"), start,
                                                  tr("%1 files (*.%2);;All files (*)").arg(suffix.toUpper(), suffix));
    if (!path.isEmpty())
        setFile(path);
}

void ExportDialog::setFile(const QString& path)
{
    m_file = path;
    m_fileEdit->setText(QDir::toNativeSeparators(path));
    updateExportButton();
}

void ExportDialog::onFileEdited(const QString& text)
{
    const QString typed = QDir::fromNativeSeparators(text.trimmed());
    if (typed.isEmpty() || QDir::isAbsolutePath(typed))
        m_file = typed;
    else
        m_file = QDir(QFileInfo(fromPath(m_project.path())).absolutePath()).absoluteFilePath(typed);
    updateExportButton();
}

QString ExportDialog::destinationProblem() const
{
    if (m_file.isEmpty())
        return tr("Type the path of the file to write, or choose Browse….");
    const QFileInfo info(m_file);
    if (m_file.endsWith(QLatin1Char('/')) || info.isDir())
        return tr("%1 is a folder: add a file name, e.g. examples.%2")
            .arg(QDir::toNativeSeparators(m_file), suffixFor(format()));
    if (info.fileName().isEmpty())
        return tr("Add a file name.");
    const QFileInfo folder(info.absolutePath());
    if (!folder.exists())
        return tr("The folder %1 does not exist.").arg(QDir::toNativeSeparators(folder.absoluteFilePath()));
    if (!folder.isDir())
        return tr("%1 is not a folder.").arg(QDir::toNativeSeparators(folder.absoluteFilePath()));
    return {};
}

void ExportDialog::updateExportButton()
{
    const QString problem = destinationProblem();
    m_exportButton->setEnabled(problem.isEmpty() && !m_running);
    if (m_running)
        return;
    // An empty field only gets the placeholder; a typed path that cannot be written says why.
    m_status->setText(m_file.isEmpty() ? QString() : problem);
}

void ExportDialog::setFormat(ts::DataFormat format)
{
    m_format->setCurrentIndex(m_format->findData(static_cast<int>(format)));
}

ts::DataFormat ExportDialog::format() const
{
    return static_cast<ts::DataFormat>(m_format->currentData().toInt());
}

void ExportDialog::setScope(Scope scope)
{
    (scope == Scope::Selected ? m_selected : scope == Scope::Shown ? m_shown : m_all)->setChecked(true);
}

ExportDialog::Scope ExportDialog::scope() const
{
    if (m_selected->isChecked())
        return Scope::Selected;
    if (m_shown->isChecked())
        return Scope::Shown;
    return Scope::Project;
}

void ExportDialog::onFormatChanged()
{
    if (m_file.isEmpty())
        return;
    // Keep the destination's extension in step with the format.
    QFileInfo info(m_file);
    setFile(info.absolutePath() + QLatin1Char('/') + info.completeBaseName() + QLatin1Char('.') + suffixFor(format()));
}

ts::ExportOptions ExportDialog::options() const
{
    ts::ExportOptions options;
    options.file = toPath(m_file);
    options.format = format();
    switch (scope()) {
    case Scope::Selected:
        options.onlyIds = m_selectedIds;
        break;
    case Scope::Shown:
        options.onlyIds = m_shownIds;
        break;
    case Scope::Project:
        break;
    }
    return options;
}

bool ExportDialog::startExport()
{
    if (m_running || !destinationProblem().isEmpty())
        return false;
    if (QFileInfo::exists(m_file)
        && Dialogs::question(this, tr("Export Examples"),
                             tr("%1 already exists. Replace it?").arg(QFileInfo(m_file).fileName()),
                             QMessageBox::Yes | QMessageBox::No, QMessageBox::No)
            != QMessageBox::Yes)
        return false;
    m_job = std::make_shared<ts::ExportJob>(m_project, options());
    m_jobId = m_jobs.start(m_job);
    if (!m_jobId) {
        m_status->setText(tr("The job could not be started."));
        m_job.reset();
        return false;
    }
    setRunning(true);
    m_status->setText(tr("Writing %1…").arg(QFileInfo(m_file).fileName()));
    return true;
}

void ExportDialog::setRunning(bool running)
{
    m_running = running;
    for (QWidget* w : std::initializer_list<QWidget*> {m_format, m_browse, m_selected, m_shown, m_all})
        w->setEnabled(!running);
    if (!running) {
        m_selected->setEnabled(!m_selectedIds.empty());
        m_shown->setEnabled(!m_shownIds.empty());
    }
    m_fileEdit->setReadOnly(running);
    m_exportButton->setEnabled(!running && destinationProblem().isEmpty());
    m_progress->setVisible(running);
    if (running)
        m_progress->setRange(0, 0);
}

void ExportDialog::onProgress(quint64 jobId, qint64 done, qint64 total, const QString& message)
{
    if (jobId != m_jobId)
        return;
    if (!m_running)
        return;
    if (total > 0) {
        m_progress->setRange(0, 1000);
        m_progress->setValue(static_cast<int>(1000 * done / total));
    }
    if (!message.isEmpty())
        m_status->setText(message);
}

void ExportDialog::onFinished(quint64 jobId, bool ok, const QString& error, bool cancelled)
{
    if (jobId != m_jobId)
        return;
    m_jobId = 0;
    if (!m_running)
        return;
    setRunning(false);
    auto job = std::move(m_job);
    const QString fileName = QFileInfo(m_file).fileName();
    if (cancelled) {
        m_status->setText(tr("Export cancelled; no file was written."));
        emit exportFinished(false, m_status->text());
        if (m_closeWhenDone)
            QDialog::reject();
        return;
    }
    if (!ok) {
        m_status->setText(tr("Could not export to %1: %2").arg(fileName, error));
        emit exportFinished(false, m_status->text());
        if (m_closeWhenDone)
            QDialog::reject();
        return;
    }
    const QString message
        = tr("Exported %1 examples to %2.").arg(QLocale().toString(qulonglong(job->exported())), fileName);
    emit exportFinished(true, message);
    accept();
}

void ExportDialog::reject()
{
    if (m_running) {
        m_closeWhenDone = true;
        m_status->setText(tr("Cancelling…"));
        m_jobs.cancel(m_jobId);
        return;
    }
    QDialog::reject();
}

} // namespace ts::ui
