// ImportDialog: file + format + CSV mapping + options, then ImportJob via the JobController.
#include "examples/import_dialog.h"

#include <QCheckBox>
#include <QComboBox>
#include <QDialogButtonBox>
#include <QDir>
#include <QFileInfo>
#include <QFormLayout>
#include <QGroupBox>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QLabel>
#include <QLineEdit>
#include <QListWidget>
#include <QLocale>
#include <QProgressBar>
#include <QPushButton>
#include <QTableWidget>
#include <QVBoxLayout>

#include "bridge/job_controller.h"
#include "bridge/path_conversion.h"
#include "dialogs/dialogs.h"

namespace ts::ui {

namespace {

constexpr ts::DataFormat kFormats[]
    = {ts::DataFormat::OpenAiJsonl,  ts::DataFormat::AlpacaJson,    ts::DataFormat::AlpacaJsonl,
       ts::DataFormat::ShareGptJson, ts::DataFormat::ShareGptJsonl, ts::DataFormat::Csv};

QComboBox* mappingCombo(QWidget* parent, const QString& objectName)
{
    auto* combo = new QComboBox(parent);
    combo->setObjectName(objectName);
    combo->setSizeAdjustPolicy(QComboBox::AdjustToContents);
    return combo;
}

int mappedColumn(const QComboBox* combo)
{
    return combo->currentData().isValid() ? combo->currentData().toInt() : -1;
}

} // namespace

ImportDialog::ImportDialog(ts::Project& project, JobController& jobs, QWidget* parent)
    : QDialog(parent)
    , m_project(project)
    , m_jobs(jobs)
{
    setObjectName(QStringLiteral("importDialog"));
    setWindowTitle(tr("Import Examples"));
    auto* layout = new QVBoxLayout(this);

    auto* form = new QFormLayout();
    auto* fileRow = new QHBoxLayout();
    m_fileEdit = new QLineEdit(this);
    m_fileEdit->setObjectName(QStringLiteral("fileEdit"));
    m_fileEdit->setReadOnly(true);
    m_fileEdit->setMinimumWidth(360);
    m_browse = new QPushButton(tr("&Browse…"), this);
    m_browse->setObjectName(QStringLiteral("browseButton"));
    fileRow->addWidget(m_fileEdit, 1);
    fileRow->addWidget(m_browse);
    auto* fileLabel = new QLabel(tr("&File:"), this);
    fileLabel->setBuddy(m_browse);
    form->addRow(fileLabel, fileRow);
    m_format = new QComboBox(this);
    m_format->setObjectName(QStringLiteral("formatCombo"));
    for (ts::DataFormat f : kFormats)
        m_format->addItem(fromStd(ts::formatLabel(f)), static_cast<int>(f));
    form->addRow(tr("F&ormat:"), m_format);
    layout->addLayout(form);

    m_csvGroup = new QGroupBox(tr("CSV columns"), this);
    m_csvGroup->setObjectName(QStringLiteral("csvGroup"));
    auto* csvLayout = new QVBoxLayout(m_csvGroup);
    m_csvHeader = new QCheckBox(tr("The first row holds column names"), m_csvGroup);
    m_csvHeader->setObjectName(QStringLiteral("csvHeaderCheck"));
    m_csvHeader->setChecked(true);
    csvLayout->addWidget(m_csvHeader);
    m_csvPreview = new QTableWidget(m_csvGroup);
    m_csvPreview->setObjectName(QStringLiteral("csvPreview"));
    m_csvPreview->setEditTriggers(QAbstractItemView::NoEditTriggers);
    m_csvPreview->verticalHeader()->setVisible(false);
    m_csvPreview->setMaximumHeight(150);
    m_csvPreview->setWordWrap(false);
    csvLayout->addWidget(m_csvPreview);
    auto* mapForm = new QFormLayout();
    m_mapInput = mappingCombo(m_csvGroup, QStringLiteral("mapInput"));
    m_mapOutput = mappingCombo(m_csvGroup, QStringLiteral("mapOutput"));
    m_mapSystem = mappingCombo(m_csvGroup, QStringLiteral("mapSystem"));
    m_mapSplit = mappingCombo(m_csvGroup, QStringLiteral("mapSplit"));
    m_mapTags = mappingCombo(m_csvGroup, QStringLiteral("mapTags"));
    mapForm->addRow(tr("Input:"), m_mapInput);
    mapForm->addRow(tr("Ideal output:"), m_mapOutput);
    mapForm->addRow(tr("System:"), m_mapSystem);
    mapForm->addRow(tr("Split:"), m_mapSplit);
    mapForm->addRow(tr("Tags:"), m_mapTags);
    csvLayout->addLayout(mapForm);
    layout->addWidget(m_csvGroup);

    auto* optionsGroup = new QGroupBox(tr("Options"), this);
    auto* optionsLayout = new QFormLayout(optionsGroup);
    m_skipInvalid = new QCheckBox(tr("Import only valid rows (skip the others)"), optionsGroup);
    m_skipInvalid->setObjectName(QStringLiteral("skipInvalidCheck"));
    optionsLayout->addRow(m_skipInvalid);
    m_forceSplit = new QComboBox(optionsGroup);
    m_forceSplit->setObjectName(QStringLiteral("forceSplitCombo"));
    m_forceSplit->addItem(tr("As in the file"));
    for (auto split : {ts::Split::Train, ts::Split::Eval, ts::Split::Test})
        m_forceSplit->addItem(fromStd(ts::splitName(split)), static_cast<int>(split));
    optionsLayout->addRow(tr("Put all rows in split:"), m_forceSplit);
    layout->addWidget(optionsGroup);

    m_problemLabel = new QLabel(this);
    m_problemLabel->setObjectName(QStringLiteral("problemLabel"));
    m_problemLabel->setWordWrap(true);
    m_problemLabel->setTextInteractionFlags(Qt::TextSelectableByMouse);
    m_problemLabel->setVisible(false);
    layout->addWidget(m_problemLabel);
    m_problems = new QListWidget(this);
    m_problems->setObjectName(QStringLiteral("problemList"));
    m_problems->setVisible(false);
    m_problems->setMinimumHeight(120);
    layout->addWidget(m_problems, 1);

    auto* progressRow = new QHBoxLayout();
    m_status = new QLabel(this);
    m_status->setObjectName(QStringLiteral("statusLabel"));
    m_progress = new QProgressBar(this);
    m_progress->setObjectName(QStringLiteral("progressBar"));
    m_progress->setVisible(false);
    progressRow->addWidget(m_status, 1);
    progressRow->addWidget(m_progress, 1);
    layout->addLayout(progressRow);

    m_buttons = new QDialogButtonBox(QDialogButtonBox::Cancel, this);
    m_importButton = m_buttons->addButton(tr("&Import"), QDialogButtonBox::AcceptRole);
    m_importButton->setObjectName(QStringLiteral("importButton"));
    m_importButton->setEnabled(false);
    layout->addWidget(m_buttons);

    connect(m_browse, &QPushButton::clicked, this, &ImportDialog::browse);
    connect(m_format, &QComboBox::currentIndexChanged, this, &ImportDialog::onFormatChanged);
    connect(m_csvHeader, &QCheckBox::toggled, this, &ImportDialog::loadCsvPreview);
    connect(m_importButton, &QPushButton::clicked, this, &ImportDialog::startImport);
    connect(m_buttons, &QDialogButtonBox::rejected, this, &ImportDialog::reject);
    connect(&m_jobs, &JobController::progress, this, &ImportDialog::onProgress);
    connect(&m_jobs, &JobController::finished, this, &ImportDialog::onFinished);

    m_csvGroup->setVisible(false);
}

void ImportDialog::browse()
{
    const QString path = Dialogs::getOpenFileName(this, tr("Import Examples"), QFileInfo(m_file).absolutePath(),
                                                  tr("Datasets (*.jsonl *.json *.csv);;All files (*)"));
    if (!path.isEmpty())
        setFile(path);
}

void ImportDialog::setFile(const QString& path)
{
    m_file = path;
    m_fileEdit->setText(QDir::toNativeSeparators(path));
    m_problems->clear();
    m_problems->setVisible(false);
    m_problemLabel->setVisible(false);
    m_status->clear();
    if (const auto detected = ts::detectFormat(toPath(path))) {
        setFormat(*detected);
    } else {
        m_status->setText(tr("The format could not be recognised; choose it above."));
        onFormatChanged();
    }
    m_importButton->setEnabled(!m_file.isEmpty() && !m_running);
}

void ImportDialog::setFormat(ts::DataFormat format)
{
    const int index = m_format->findData(static_cast<int>(format));
    if (index == m_format->currentIndex())
        onFormatChanged();
    else
        m_format->setCurrentIndex(index);
}

ts::DataFormat ImportDialog::format() const
{
    return static_cast<ts::DataFormat>(m_format->currentData().toInt());
}

void ImportDialog::setSkipInvalid(bool skip)
{
    m_skipInvalid->setChecked(skip);
}

void ImportDialog::onFormatChanged()
{
    const bool csv = format() == ts::DataFormat::Csv;
    m_csvGroup->setVisible(csv);
    if (csv)
        loadCsvPreview();
    adjustSize();
}

void ImportDialog::loadCsvPreview()
{
    m_csvPreview->clear();
    for (QComboBox* combo : {m_mapInput, m_mapOutput, m_mapSystem, m_mapSplit, m_mapTags}) {
        combo->clear();
        combo->addItem(tr("(not mapped)"));
    }
    if (m_file.isEmpty())
        return;
    auto preview = ts::previewCsv(toPath(m_file));
    if (!preview) {
        m_status->setText(tr("Cannot read the CSV file: %1").arg(fromStd(preview.error().message)));
        return;
    }
    const bool header = m_csvHeader->isChecked();
    QStringList names;
    std::vector<std::vector<std::string>> rows = preview->rows;
    if (header) {
        for (const auto& name : preview->header)
            names << fromStd(name);
    } else {
        // The first line is data: show it as a row and name the columns by number.
        rows.insert(rows.begin(), preview->header);
        for (size_t i = 0; i < preview->header.size(); ++i)
            names << tr("Column %1").arg(i + 1);
    }
    m_csvPreview->setColumnCount(static_cast<int>(names.size()));
    m_csvPreview->setHorizontalHeaderLabels(names);
    m_csvPreview->setRowCount(static_cast<int>(rows.size()));
    for (size_t r = 0; r < rows.size(); ++r)
        for (size_t c = 0; c < rows[r].size() && c < size_t(names.size()); ++c) {
            auto* item = new QTableWidgetItem(fromStd(rows[r][c]).simplified());
            item->setToolTip(fromStd(rows[r][c]));
            m_csvPreview->setItem(static_cast<int>(r), static_cast<int>(c), item);
        }
    m_csvPreview->resizeColumnsToContents();
    for (int c = 0; c < m_csvPreview->columnCount(); ++c)
        m_csvPreview->setColumnWidth(c, std::min(m_csvPreview->columnWidth(c), 220));
    for (QComboBox* combo : {m_mapInput, m_mapOutput, m_mapSystem, m_mapSplit, m_mapTags})
        for (int i = 0; i < names.size(); ++i)
            combo->addItem(names.at(i), i);
    ts::CsvMapping suggested = preview->suggested;
    if (!header) {
        suggested = ts::CsvMapping();
        suggested.input = names.size() > 0 ? 0 : -1;
        suggested.output = names.size() > 1 ? 1 : -1;
    }
    applySuggestedMapping(suggested);
}

void ImportDialog::applySuggestedMapping(const ts::CsvMapping& mapping)
{
    auto select = [](QComboBox* combo, int column) {
        const int index = column >= 0 ? combo->findData(column) : 0;
        combo->setCurrentIndex(index >= 0 ? index : 0);
    };
    select(m_mapInput, mapping.input);
    select(m_mapOutput, mapping.output);
    select(m_mapSystem, mapping.system);
    select(m_mapSplit, mapping.split);
    select(m_mapTags, mapping.tags);
}

ts::ImportOptions ImportDialog::options() const
{
    ts::ImportOptions options;
    options.file = toPath(m_file);
    options.format = format();
    options.csv.input = mappedColumn(m_mapInput);
    options.csv.output = mappedColumn(m_mapOutput);
    options.csv.system = mappedColumn(m_mapSystem);
    options.csv.split = mappedColumn(m_mapSplit);
    options.csv.tags = mappedColumn(m_mapTags);
    options.csv.hasHeader = m_csvHeader->isChecked();
    options.skipInvalid = m_skipInvalid->isChecked();
    if (m_forceSplit->currentData().isValid())
        options.forceSplit = static_cast<ts::Split>(m_forceSplit->currentData().toInt());
    return options;
}

bool ImportDialog::startImport()
{
    if (m_running || m_file.isEmpty())
        return false;
    if (m_done) {
        accept();
        return false;
    }
    const ts::ImportOptions opts = options();
    if (opts.format == ts::DataFormat::Csv && (opts.csv.input < 0 || opts.csv.output < 0)) {
        m_status->setText(tr("Map a column to Input and one to Ideal output."));
        return false;
    }
    m_problems->clear();
    m_problems->setVisible(false);
    m_problemLabel->setVisible(false);
    m_job = std::make_shared<ts::ImportJob>(m_project, opts);
    m_jobId = m_jobs.start(m_job);
    if (!m_jobId) {
        m_status->setText(tr("The job could not be started."));
        m_job.reset();
        return false;
    }
    setRunning(true);
    m_status->setText(tr("Reading %1…").arg(QFileInfo(m_file).fileName()));
    return true;
}

void ImportDialog::setRunning(bool running)
{
    m_running = running;
    for (QWidget* w : std::initializer_list<QWidget*> {m_browse, m_format, m_csvGroup, m_skipInvalid, m_forceSplit})
        w->setEnabled(!running);
    m_importButton->setEnabled(!running && !m_file.isEmpty());
    m_progress->setVisible(running);
    if (running) {
        m_progress->setRange(0, 0);
        m_buttons->button(QDialogButtonBox::Cancel)->setEnabled(true);
    }
}

void ImportDialog::onProgress(quint64 jobId, qint64 done, qint64 total, const QString& message)
{
    if (jobId != m_jobId)
        return;
    if (!m_running)
        return;
    if (total > 0) {
        // QProgressBar is int-based; scale byte counts into 0..1000.
        m_progress->setRange(0, 1000);
        m_progress->setValue(static_cast<int>(1000 * done / total));
    }
    if (!message.isEmpty())
        m_status->setText(message);
}

void ImportDialog::showProblems(const QString& heading, const ts::ImportResult& result)
{
    m_problemLabel->setText(heading);
    m_problemLabel->setVisible(true);
    m_problems->clear();
    const size_t listed = std::min<size_t>(result.problems.size(), kListedProblems);
    for (size_t i = 0; i < listed; ++i)
        m_problems->addItem(fromStd(ts::describe(result.problems[i])));
    const size_t total = std::max(result.invalidRows, result.problems.size());
    if (total > listed)
        m_problems->addItem(tr("… and %1 more").arg(QLocale().toString(qulonglong(total - listed))));
    m_problems->setVisible(true);
}

void ImportDialog::onFinished(quint64 jobId, bool ok, const QString& error, bool cancelled)
{
    if (jobId != m_jobId)
        return;
    m_jobId = 0;
    if (!m_running)
        return;
    setRunning(false);
    auto job = std::move(m_job);
    const QString fileName = QFileInfo(m_file).fileName();
    const ts::ImportResult& result = job->result();
    if (cancelled) {
        m_status->setText(tr("Import cancelled. The project is unchanged."));
        emit importFinished(false);
        if (m_closeWhenDone)
            QDialog::reject();
        return;
    }
    if (!ok) {
        if (!result.problems.empty() || result.invalidRows > 0) {
            showProblems(tr("%1 was not imported: %2 of %3 rows have problems. The project is unchanged. Fix the "
                            "rows, or check \"Import only valid rows\".")
                             .arg(fileName, QLocale().toString(qulonglong(result.invalidRows)),
                                  QLocale().toString(qulonglong(result.rows))),
                         result);
            m_status->clear();
        } else {
            m_problemLabel->setText(tr("%1 was not imported: %2").arg(fileName, error));
            m_problemLabel->setVisible(true);
            m_status->clear();
        }
        emit importFinished(false);
        if (m_closeWhenDone)
            QDialog::reject();
        return;
    }

    emit imported(result.ids, fileName);
    emit importFinished(true);
    m_done = true;
    if (result.invalidRows > 0) {
        const QLocale locale;
        const QString imported = result.imported == 1
            ? tr("1 example")
            : tr("%1 examples").arg(locale.toString(qulonglong(result.imported)));
        const QString skipped = result.invalidRows == 1
            ? tr("1 invalid row")
            : tr("%1 invalid rows").arg(locale.toString(qulonglong(result.invalidRows)));
        showProblems(tr("Imported %1 from %2; skipped %3:").arg(imported, fileName, skipped), result);
        m_status->clear();
        m_importButton->setText(tr("&Close"));
        m_importButton->setEnabled(true);
        m_buttons->button(QDialogButtonBox::Cancel)->setVisible(false);
        for (QWidget* w : std::initializer_list<QWidget*> {m_browse, m_format, m_csvGroup, m_skipInvalid, m_forceSplit})
            w->setEnabled(false);
        if (m_closeWhenDone)
            accept();
        return;
    }
    accept();
}

void ImportDialog::reject()
{
    if (m_running) {
        // Closing while the job runs: cancel it and close once it has stopped.
        m_closeWhenDone = true;
        m_status->setText(tr("Cancelling…"));
        m_jobs.cancel(m_jobId);
        return;
    }
    QDialog::reject();
}

} // namespace ts::ui
