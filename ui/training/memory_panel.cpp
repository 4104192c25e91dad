// MemoryPanel: estimate on every change of model or settings (pure arithmetic, instant), breakdown table,
// verdict and the suggested change.
#include "training/memory_panel.h"

#include <unistd.h>

#include <QHeaderView>
#include <QLabel>
#include <QPushButton>
#include <QTreeWidget>
#include <QVBoxLayout>

#include "bridge/path_conversion.h"
#include "training/training_format.h"

namespace ts::ui {

namespace {

QString partLabel(const std::string& name)
{
    namespace part = ts::memory_part;
    if (name == part::kBaseLinears)
        return MemoryPanel::tr("Base linear weights");
    if (name == part::kBaseOther)
        return MemoryPanel::tr("Embeddings, LM head, norms, biases");
    if (name == part::kTrainable)
        return MemoryPanel::tr("Trainable parameters");
    if (name == part::kGradients)
        return MemoryPanel::tr("Gradients");
    if (name == part::kOptimizer)
        return MemoryPanel::tr("Optimizer state (AdamW)");
    if (name == part::kDequantBuffer)
        return MemoryPanel::tr("Dequantization buffer");
    if (name == part::kActivations)
        return MemoryPanel::tr("Activations");
    if (name == part::kActivationGrads)
        return MemoryPanel::tr("Backward working set");
    if (name == part::kLogits)
        return MemoryPanel::tr("Logits and loss");
    if (name == part::kOverhead)
        return MemoryPanel::tr("Framework overhead");
    return fromStd(name);
}

} // namespace

MemoryPanel::MemoryPanel(QWidget* parent)
    : QWidget(parent)
{
    setObjectName(QStringLiteral("memoryPanel"));
    auto* layout = new QVBoxLayout(this);

    m_device = new QLabel(this);
    m_device->setObjectName(QStringLiteral("memoryDevice"));
    m_device->setWordWrap(true);
    layout->addWidget(m_device);

    m_parts = new QTreeWidget(this);
    m_parts->setObjectName(QStringLiteral("memoryParts"));
    m_parts->setRootIsDecorated(false);
    m_parts->setColumnCount(3);
    m_parts->setHeaderLabels({tr("Part"), tr("Size"), tr("How it is counted")});
    m_parts->header()->setSectionResizeMode(0, QHeaderView::ResizeToContents);
    m_parts->header()->setSectionResizeMode(1, QHeaderView::ResizeToContents);
    m_parts->header()->setStretchLastSection(true);
    m_parts->setSelectionMode(QAbstractItemView::NoSelection);
    m_parts->setFocusPolicy(Qt::NoFocus);
    layout->addWidget(m_parts, 1);

    m_total = new QLabel(this);
    m_total->setObjectName(QStringLiteral("memoryTotal"));
    QFont bold = m_total->font();
    bold.setBold(true);
    m_total->setFont(bold);
    layout->addWidget(m_total);

    m_parameters = new QLabel(this);
    m_parameters->setObjectName(QStringLiteral("memoryParameters"));
    m_parameters->setWordWrap(true);
    layout->addWidget(m_parameters);

    m_warning = new QLabel(this);
    m_warning->setObjectName(QStringLiteral("memoryWarning"));
    m_warning->setWordWrap(true);
    m_warning->setStyleSheet(QStringLiteral("color: #c0392b; font-weight: bold;"));
    layout->addWidget(m_warning);

    auto* suggestionRow = new QHBoxLayout();
    m_suggestion = new QLabel(this);
    m_suggestion->setObjectName(QStringLiteral("memorySuggestion"));
    m_suggestion->setWordWrap(true);
    suggestionRow->addWidget(m_suggestion, 1);
    m_apply = new QPushButton(tr("Apply &Suggestion"), this);
    m_apply->setObjectName(QStringLiteral("applySuggestionButton"));
    m_apply->setToolTip(tr("Change the settings as suggested, keeping the effective batch size."));
    suggestionRow->addWidget(m_apply, 0, Qt::AlignTop);
    layout->addLayout(suggestionRow);
    connect(m_apply, &QPushButton::clicked, this, [this] {
        if (m_estimate && m_estimate->suggestedConfig)
            emit suggestionApplied(*m_estimate->suggestedConfig);
    });

    recompute();
}

std::optional<uint64_t> MemoryPanel::physicalMemoryBytes()
{
    const long pages = ::sysconf(_SC_PHYS_PAGES);
    const long pageSize = ::sysconf(_SC_PAGE_SIZE);
    if (pages <= 0 || pageSize <= 0)
        return std::nullopt;
    return static_cast<uint64_t>(pages) * static_cast<uint64_t>(pageSize);
}

std::optional<uint64_t> MemoryPanel::availableBytes() const
{
    return m_availableOverride ? m_availableOverride : physicalMemoryBytes();
}

void MemoryPanel::setModel(const std::optional<ts::ModelConfig>& model)
{
    m_model = model;
    recompute();
}

void MemoryPanel::setTrainConfig(const std::optional<ts::TrainConfig>& config)
{
    m_config = config;
    recompute();
}

void MemoryPanel::setAvailableBytesOverride(std::optional<uint64_t> bytes)
{
    m_availableOverride = bytes;
    recompute();
}

QString MemoryPanel::summary() const
{
    if (!m_estimate)
        return {};
    if (m_estimate->available)
        return tr("Memory: %1 of %2").arg(formatMemory(m_estimate->total), formatMemory(*m_estimate->available));
    return tr("Memory: %1").arg(formatMemory(m_estimate->total));
}

void MemoryPanel::recompute()
{
    m_parts->clear();
    m_estimate.reset();
    const bool cuda = m_config
        && (m_config->device.rfind("cuda", 0) == 0 || (m_config->device == "auto" && ts::cudaDeviceAvailable()));
    // GPU memory is not queried here (unknown: no warning); the CPU's is the physical memory.
    const auto available = cuda ? std::optional<uint64_t>() : availableBytes();
    if (cuda)
        m_device->setText(tr("Training runs on the CUDA GPU (%1).")
                              .arg(m_config->device == "auto" ? QStringLiteral("cuda:0") : fromStd(m_config->device)));
    else
        m_device->setText(available
                              ? tr("Training runs on the CPU; available: %1 of physical memory.").arg(formatMemory(*available))
                              : tr("Training runs on the CPU; the physical memory size is unknown."));
    if (!m_model || !m_config) {
        m_total->setText(!m_model ? tr("Choose a model to see how much memory training needs.")
                                  : tr("Fix the settings to see how much memory training needs."));
        m_parameters->clear();
        m_warning->clear();
        m_warning->setVisible(false);
        m_suggestion->clear();
        m_suggestion->setVisible(false);
        m_apply->setVisible(false);
        emit estimateChanged();
        return;
    }
    ts::MemoryEstimateOptions options;
    options.device = cuda ? ts::DeviceKind::Cuda : ts::DeviceKind::Cpu;
    const bool bf16 = m_config->computeDtype == "bf16" || (m_config->computeDtype == "auto" && cuda);
    options.dtype = bf16 ? ts::ComputeDtype::BF16 : ts::ComputeDtype::F32;
    options.availableBytes = available;
    m_estimate = ts::estimateTrainingMemory(*m_model, *m_config, options);

    for (const ts::MemoryPart& part : m_estimate->parts) {
        auto* item = new QTreeWidgetItem(m_parts);
        item->setText(0, partLabel(part.name));
        item->setText(1, formatMemory(part.bytes));
        item->setTextAlignment(1, Qt::AlignRight | Qt::AlignVCenter);
        item->setText(2, fromStd(part.detail));
        item->setToolTip(2, fromStd(part.detail));
    }
    m_total->setText(
        available ? tr("Total: %1 of %2 available").arg(formatMemory(m_estimate->total), formatMemory(*available))
                  : tr("Total: %1").arg(formatMemory(m_estimate->total)));
    m_parameters->setText(tr("%1 parameters in the model, %2 trained.")
                              .arg(formatParameterCount(m_estimate->baseParameters),
                                   formatParameterCount(m_estimate->trainableParameters)));
    const bool fits = m_estimate->fits;
    m_warning->setVisible(!fits);
    m_suggestion->setVisible(!fits);
    if (fits) {
        m_warning->clear();
        m_suggestion->clear();
        m_apply->setVisible(false);
    } else {
        m_warning->setText(tr("Training will probably run out of memory: it needs about %1, %2 is available.")
                               .arg(formatMemory(m_estimate->total), formatMemory(available.value_or(0))));
        if (m_estimate->suggestedConfig)
            m_suggestion->setText(tr("Suggestion: %1.").arg(fromStd(m_estimate->suggestion)));
        else
            m_suggestion->setText(
                tr("No setting makes it fit: %1. Choose a smaller model.").arg(fromStd(m_estimate->suggestion)));
        m_apply->setVisible(m_estimate->suggestedConfig.has_value());
    }
    emit estimateChanged();
}

} // namespace ts::ui
