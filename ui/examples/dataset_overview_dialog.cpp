// DatasetOverviewDialog: reads and measures the examples off the GUI thread, then fills the counts, the QCustomPlot
// histogram with the max-length line, and the duplicate groups.
#include "examples/dataset_overview_dialog.h"

#include <algorithm>
#include <map>

#include <nlohmann/json.hpp>
#include <qcustomplot.h>

#include <QDialogButtonBox>
#include <QGroupBox>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QLabel>
#include <QListWidget>
#include <QLocale>
#include <QSpinBox>
#include <QTableWidget>
#include <QVBoxLayout>

#include "bridge/path_conversion.h"
#include "model/chat_template.h"
#include "model/tokenizer.h"
#include "store/example_repository.h"
#include "store/project.h"
#include "store/run_repository.h"
#include "train/sft_encoder.h"
#include "widgets/plot_style.h"

namespace ts::ui {

namespace {

constexpr int kIdsRole = Qt::UserRole;
// The project setting where the Training page keeps its base model folder (TrainingPage::kModelDirMetaKey; pages do
// not include each other).
constexpr const char* kTrainingModelDirKey = "training.model_dir";

QString number(int64_t n)
{
    return QLocale().toString(static_cast<qlonglong>(n));
}

// "1 example" / "12 examples".
QString examples(int64_t n)
{
    return n == 1 ? DatasetOverviewDialog::tr("1 example") : DatasetOverviewDialog::tr("%1 examples").arg(number(n));
}

int64_t estimateTokens(const ts::Example& example)
{
    int64_t codePoints = 0;
    for (const std::string& text : {example.input(), example.output()})
        for (char c : text)
            codePoints += (static_cast<unsigned char>(c) & 0xC0) != 0x80 ? 1 : 0;
    return (codePoints + 3) / 4;
}

// The max length of the newest training run, when one was started.
std::optional<int> latestRunMaxLength(ts::Database& db)
{
    ts::RunRepository runs(db);
    auto list = runs.list("train");
    if (!list)
        return std::nullopt;
    for (const ts::Run& run : *list) {
        const auto config = nlohmann::json::parse(run.config, nullptr, false);
        if (config.is_object() && config.contains("max_seq_len") && config["max_seq_len"].is_number_integer())
            return config["max_seq_len"].get<int>();
    }
    return std::nullopt;
}

} // namespace

struct DatasetOverviewDialog::Result
{
    ts::DatasetOverview overview;
    QString tokenNote; // how the lengths were counted
    bool exactTokens = false;
    std::optional<int> runMaxLength;
    std::map<int64_t, std::string> inputs; // the inputs of duplicate-group members, for the list
};

DatasetOverviewDialog::DatasetOverviewDialog(ts::Project& project, QWidget* parent)
    : QDialog(parent)
    , m_project(project)
{
    setObjectName(QStringLiteral("datasetOverviewDialog"));
    setWindowTitle(tr("Dataset Overview"));
    auto* layout = new QVBoxLayout(this);

    m_status = new QLabel(this);
    m_status->setObjectName(QStringLiteral("overviewStatus"));
    m_status->setWordWrap(true);
    layout->addWidget(m_status);

    auto* top = new QHBoxLayout();
    auto* countsBox = new QGroupBox(tr("Splits and tags"), this);
    auto* countsLayout = new QVBoxLayout(countsBox);
    m_splits = new QLabel(countsBox);
    m_splits->setObjectName(QStringLiteral("splitCounts"));
    m_splits->setWordWrap(true);
    m_tags = new QTableWidget(0, 2, countsBox);
    m_tags->setObjectName(QStringLiteral("tagTable"));
    m_tags->setHorizontalHeaderLabels({tr("Tag"), tr("Examples")});
    m_tags->verticalHeader()->setVisible(false);
    m_tags->horizontalHeader()->setSectionResizeMode(0, QHeaderView::Stretch);
    m_tags->horizontalHeader()->setSectionResizeMode(1, QHeaderView::ResizeToContents);
    m_tags->setEditTriggers(QAbstractItemView::NoEditTriggers);
    m_tags->setSelectionMode(QAbstractItemView::NoSelection);
    countsLayout->addWidget(m_splits);
    countsLayout->addWidget(m_tags, 1);
    top->addWidget(countsBox, 2);

    auto* duplicatesBox = new QGroupBox(tr("Duplicates (input and ideal output)"), this);
    auto* duplicatesLayout = new QVBoxLayout(duplicatesBox);
    m_exact = new QLabel(duplicatesBox);
    m_exact->setObjectName(QStringLiteral("exactDuplicates"));
    m_near = new QLabel(duplicatesBox);
    m_near->setObjectName(QStringLiteral("nearDuplicates"));
    auto* method = new QLabel(
        tr("Exact: the same input and output once runs of spaces and line breaks are made one space. Near: at least "
           "90% of 5-character pieces shared (Jaccard similarity, ignoring case), found with MinHash and checked "
           "exactly. Click a group to select its examples."),
        duplicatesBox);
    method->setWordWrap(true);
    method->setEnabled(false);
    m_groups = new QListWidget(duplicatesBox);
    m_groups->setObjectName(QStringLiteral("duplicateGroups"));
    m_groups->setHorizontalScrollBarPolicy(Qt::ScrollBarAlwaysOff);
    m_groups->setTextElideMode(Qt::ElideRight);
    duplicatesLayout->addWidget(m_exact);
    duplicatesLayout->addWidget(m_near);
    duplicatesLayout->addWidget(m_groups, 1);
    duplicatesLayout->addWidget(method);
    top->addWidget(duplicatesBox, 3);
    layout->addLayout(top, 2);

    auto* lengthBox = new QGroupBox(tr("Token lengths"), this);
    auto* lengthLayout = new QVBoxLayout(lengthBox);
    m_lengthNote = new QLabel(lengthBox);
    m_lengthNote->setObjectName(QStringLiteral("lengthNote"));
    m_lengthNote->setWordWrap(true);
    auto* limitRow = new QHBoxLayout();
    auto* limitLabel = new QLabel(tr("Training &max length:"), lengthBox);
    m_maxLength = new QSpinBox(lengthBox);
    m_maxLength->setObjectName(QStringLiteral("maxLengthSpin"));
    m_maxLength->setRange(16, 1 << 20);
    m_maxLength->setSingleStep(64);
    m_maxLength->setSuffix(tr(" tokens"));
    m_maxLength->setValue(kDefaultMaxLength);
    limitLabel->setBuddy(m_maxLength);
    m_longer = new QLabel(lengthBox);
    m_longer->setObjectName(QStringLiteral("longerLabel"));
    limitRow->addWidget(limitLabel);
    limitRow->addWidget(m_maxLength);
    limitRow->addSpacing(12);
    limitRow->addWidget(m_longer, 1);
    m_plot = new QCustomPlot(lengthBox);
    m_plot->setObjectName(QStringLiteral("lengthPlot"));
    m_plot->setMinimumHeight(220);
    m_plot->xAxis->setLabel(tr("Tokens per example"));
    m_plot->yAxis->setLabel(tr("Examples"));
    m_limitLine = new QCPItemStraightLine(m_plot);
    m_limitLine->setPen(QPen(QColor(0xc0, 0x39, 0x2b), 2, Qt::DashLine));
    m_limitLabel = new QCPItemText(m_plot);
    m_limitLabel->setColor(QColor(0xc0, 0x39, 0x2b));
    m_limitLabel->setPositionAlignment(Qt::AlignLeft | Qt::AlignTop);
    m_limitLabel->position->setTypeX(QCPItemPosition::ptPlotCoords);
    m_limitLabel->position->setTypeY(QCPItemPosition::ptAxisRectRatio);
    applyPlotPalette(*m_plot, nullptr);
    lengthLayout->addWidget(m_lengthNote);
    lengthLayout->addLayout(limitRow);
    lengthLayout->addWidget(m_plot, 1);
    layout->addWidget(lengthBox, 3);

    auto* buttons = new QDialogButtonBox(QDialogButtonBox::Close, this);
    layout->addWidget(buttons);
    connect(buttons, &QDialogButtonBox::rejected, this, &QDialog::reject);
    connect(m_maxLength, &QSpinBox::valueChanged, this, [this] {
        showHistogram();
        updateLonger();
    });
    connect(m_groups, &QListWidget::itemClicked, this, [this](QListWidgetItem* item) {
        std::vector<int64_t> ids;
        for (const QVariant& id : item->data(kIdsRole).toList())
            ids.push_back(id.toLongLong());
        emit showExamplesRequested(ids);
    });
    resize(940, 680);
    start();
}

DatasetOverviewDialog::~DatasetOverviewDialog()
{
    m_cancel.requestStop();
}

void DatasetOverviewDialog::start()
{
    m_status->setText(tr("Reading and measuring the examples…"));
    m_load.start<Result>(
        m_project.path(),
        [cancel = m_cancel](ts::Database& db) -> ts::Expected<Result> {
            Result result;
            // The Training page's base model, read here with the rows rather than on the GUI thread.
            QString modelDir;
            if (auto stored = ts::Project::readMeta(db, kTrainingModelDirKey))
                modelDir = fromStd(*stored);
            result.runMaxLength = latestRunMaxLength(db);
            ts::ExampleRepository repo(db);
            auto ids = repo.queryIds({});
            if (!ids)
                return ids.error();
            auto rows = repo.getMany(*ids);
            if (!rows)
                return rows.error();

            ts::DatasetOverviewOptions options;
            std::optional<ts::Tokenizer> tokenizer;
            std::optional<ts::ChatTemplate> chatTemplate;
            ts::SftTemplateOptions templateOptions;
            if (!modelDir.isEmpty()) {
                auto loadedTokenizer = ts::Tokenizer::loadFromPath(toPath(modelDir));
                ts::ChatTemplateLoadFailure failure;
                auto loadedTemplate = ts::loadModelChatTemplate(toPath(modelDir), &failure);
                if (loadedTokenizer && loadedTemplate) {
                    tokenizer = std::move(*loadedTokenizer);
                    chatTemplate = std::move(loadedTemplate->chatTemplate);
                    if (!loadedTemplate->options.bosToken.empty())
                        templateOptions.bosToken = loadedTemplate->options.bosToken;
                    if (!loadedTemplate->options.eosToken.empty())
                        templateOptions.eosToken = loadedTemplate->options.eosToken;
                } else {
                    result.tokenNote
                        = tr("The base model's tokenizer or chat template could not be loaded (%1), so lengths are "
                             "estimated as characters / 4.")
                              .arg(fromStd(loadedTokenizer ? failure.detail : loadedTokenizer.error().message));
                }
            } else {
                result.tokenNote = tr("No base model is chosen on the Training page, so lengths are estimated as "
                                      "characters of input and output / 4. Choose one there for exact counts.");
            }
            std::optional<ts::SftEncoder> encoder;
            if (tokenizer) {
                encoder.emplace(*tokenizer, *chatTemplate, templateOptions);
                result.exactTokens = true;
                result.tokenNote = tr("Counted as training sees each example: the whole conversation in the chat "
                                      "template of %1.")
                                       .arg(modelDir);
                options.countTokens = [&encoder](const ts::Example& e) -> ts::Expected<int64_t> {
                    auto encoded = encoder->encode(e);
                    if (!encoded)
                        return encoded.error();
                    return static_cast<int64_t>(encoded->ids.size());
                };
            } else {
                options.countTokens = [](const ts::Example& e) -> ts::Expected<int64_t> { return estimateTokens(e); };
            }
            auto overview = ts::computeDatasetOverview(*rows, options, &cancel);
            if (!overview)
                return overview.error();
            result.overview = std::move(*overview);
            for (const auto* groups : {&result.overview.exactDuplicateGroups, &result.overview.nearDuplicateGroups})
                for (const auto& group : *groups)
                    for (int64_t id : group)
                        result.inputs[id];
            for (const ts::Example& e : *rows)
                if (auto it = result.inputs.find(e.id); it != result.inputs.end())
                    it->second = e.input().substr(0, 200);
            return result;
        },
        [this](ts::Expected<Result>& result) { apply(result); });
}

void DatasetOverviewDialog::apply(ts::Expected<Result>& result)
{
    if (!result) {
        m_status->setText(tr("The overview could not be computed: %1").arg(fromStd(result.error().message)));
        emit computed();
        return;
    }
    m_overview = std::move(result->overview);
    m_exactTokens = result->exactTokens;
    const ts::DatasetOverview& o = *m_overview;
    m_status->setText(tr("%1 in the project.").arg(examples(o.total)));
    m_splits->setText(tr("Train: %1 · Eval: %2 · Test: %3").arg(number(o.train), number(o.eval), number(o.test)));

    m_tags->setRowCount(0);
    const auto addTagRow = [this](const QString& tag, int64_t count, bool dim) {
        const int row = m_tags->rowCount();
        m_tags->insertRow(row);
        auto* name = new QTableWidgetItem(tag);
        auto* value = new QTableWidgetItem(number(count));
        value->setTextAlignment(Qt::AlignRight | Qt::AlignVCenter);
        if (dim)
            name->setForeground(m_tags->palette().brush(QPalette::Disabled, QPalette::Text));
        m_tags->setItem(row, 0, name);
        m_tags->setItem(row, 1, value);
    };
    for (const ts::TagCount& tag : o.tags)
        addTagRow(fromStd(tag.tag), tag.count, false);
    addTagRow(tr("(no tag)"), o.untagged, true);

    const auto groupsText = [](int64_t copies, size_t groups, bool exact) {
        if (copies == 0)
            return exact ? tr("No exact duplicates.") : tr("No near duplicates.");
        const QString groupWord = groups == 1 ? tr("1 group") : tr("%1 groups").arg(number(int64_t(groups)));
        if (exact)
            return copies == 1 ? tr("1 exact duplicate (%1).").arg(groupWord)
                               : tr("%1 exact duplicates (%2).").arg(number(copies), groupWord);
        return copies == 1 ? tr("1 near duplicate (%1).").arg(groupWord)
                           : tr("%1 near duplicates (%2).").arg(number(copies), groupWord);
    };
    m_exact->setText(groupsText(o.exactDuplicates, o.exactDuplicateGroups.size(), true));
    m_near->setText(groupsText(o.nearDuplicates, o.nearDuplicateGroups.size(), false));
    m_groups->clear();
    const auto listGroups = [&](const std::vector<std::vector<int64_t>>& groups, const QString& kind) {
        for (const auto& group : groups) {
            QStringList names;
            QVariantList ids;
            for (int64_t id : group) {
                names << QStringLiteral("#%1").arg(id);
                ids << QVariant::fromValue<qint64>(id);
            }
            const QString input = fromStd(result->inputs[group.front()]).simplified();
            auto* item = new QListWidgetItem(
                QStringLiteral("%1 %2 — %3").arg(kind, names.join(QStringLiteral(", ")), input.left(90)), m_groups);
            item->setData(kIdsRole, ids);
            item->setToolTip(tr("%1\nClick to select these examples on the page.").arg(item->text()));
        }
    };
    listGroups(o.exactDuplicateGroups, tr("Exact:"));
    listGroups(o.nearDuplicateGroups, tr("Near:"));
    m_groups->setVisible(m_groups->count() > 0);

    QString note = result->tokenNote;
    if (o.uncounted > 0)
        note += QLatin1Char(' ')
            + (o.uncounted == 1
                   ? tr("1 example could not be encoded (%1) and is left out.")
                   : tr("%1 examples could not be encoded (the first: %2) and are left out.").arg(number(o.uncounted)))
                  .arg(fromStd(o.firstCountError));
    m_lengthNote->setText(note);
    if (result->runMaxLength) {
        const QSignalBlocker blocker(m_maxLength);
        m_maxLength->setValue(*result->runMaxLength);
        m_maxLength->setToolTip(tr("The max length of the latest training run"));
    } else {
        m_maxLength->setToolTip(tr("No training run yet: type the max length you plan to train with"));
    }
    showHistogram();
    updateLonger();
    emit computed();
}

void DatasetOverviewDialog::setMaxLength(int tokens)
{
    m_maxLength->setValue(tokens);
}

int DatasetOverviewDialog::maxLength() const
{
    return m_maxLength->value();
}

QString DatasetOverviewDialog::longerText() const
{
    return m_longer->text();
}

void DatasetOverviewDialog::updateLonger()
{
    if (!m_overview)
        return;
    const int64_t counted = static_cast<int64_t>(m_overview->tokenLengths.size()) - m_overview->uncounted;
    const int64_t longer = ts::countLongerThan(m_overview->tokenLengths, maxLength());
    const QString limit = QLocale().toString(maxLength());
    const QString about = m_exactTokens ? QString() : tr("about ");
    if (longer == 0)
        m_longer->setText(tr("No example is longer than %1%2 tokens.").arg(about, limit));
    else if (longer == 1)
        m_longer->setText(
            tr("1 of %1 is longer than %2%3 tokens: training cuts or drops it.").arg(examples(counted), about, limit));
    else
        m_longer->setText(tr("%1 of %2 are longer than %3%4 tokens: training cuts or drops them.")
                              .arg(number(longer), examples(counted), about, limit));
    m_longer->setStyleSheet(longer > 0 ? QStringLiteral("QLabel { color: #c0392b; }") : QString());
}

void DatasetOverviewDialog::showHistogram()
{
    if (!m_overview)
        return;
    m_plot->clearPlottables();
    const auto bins = ts::lengthHistogram(m_overview->tokenLengths, kHistogramBins);
    const int limit = maxLength();
    auto* within = new QCPBars(m_plot->xAxis, m_plot->yAxis);
    auto* beyond = new QCPBars(m_plot->xAxis, m_plot->yAxis);
    within->setName(tr("Within the max length"));
    beyond->setName(tr("Longer"));
    within->setPen(Qt::NoPen);
    beyond->setPen(Qt::NoPen);
    within->setBrush(QColor(52, 120, 198));
    beyond->setBrush(QColor(230, 126, 34));
    int64_t highest = 1;
    double right = limit * 1.08;
    for (const ts::LengthBin& bin : bins) {
        const double width = static_cast<double>(bin.to - bin.from);
        QCPBars* bars = bin.from > limit ? beyond : within; // orange: every length in the bin is over the limit
        bars->setWidth(width);
        bars->addData(static_cast<double>(bin.from) + width / 2.0, static_cast<double>(bin.count));
        highest = std::max(highest, bin.count);
        right = std::max(right, static_cast<double>(bin.to));
    }
    m_plot->xAxis->setRange(0, right);
    m_plot->yAxis->setRange(0, static_cast<double>(highest) * 1.15);
    QSharedPointer<QCPAxisTickerFixed> countTicker(new QCPAxisTickerFixed);
    countTicker->setTickStep(1);
    countTicker->setScaleStrategy(QCPAxisTickerFixed::ssMultiples);
    m_plot->yAxis->setTicker(countTicker);
    m_plot->xAxis->ticker()->setTickCount(8);
    m_plot->xAxis->setNumberFormat(QStringLiteral("f"));
    m_plot->xAxis->setNumberPrecision(0);
    m_limitLine->point1->setCoords(limit, 0);
    m_limitLine->point2->setCoords(limit, 1);
    // Beside the line, on the side with room.
    const bool rightHalf = limit > right / 2;
    m_limitLabel->setPositionAlignment((rightHalf ? Qt::AlignRight : Qt::AlignLeft) | Qt::AlignTop);
    m_limitLabel->position->setCoords(limit + (rightHalf ? -1 : 1) * right * 0.006, 0.02);
    m_limitLabel->setText(tr("max length %1").arg(QLocale().toString(limit)));
    m_plot->replot();
}

} // namespace ts::ui
