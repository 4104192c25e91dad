// ModelPicker: path field + browse, config.json / tokenizer / weights checks, one-line model summary.
#include "training/model_picker.h"

#include <QDir>
#include <QFileInfo>
#include <QHBoxLayout>
#include <QLabel>
#include <QLineEdit>
#include <QLocale>
#include <QPushButton>
#include <QVBoxLayout>

#include "bridge/path_conversion.h"
#include "training/training_format.h"
#include "widgets/model_folder_dialog.h"

namespace ts::ui {

ModelPicker::ModelPicker(QWidget* parent)
    : QWidget(parent)
{
    setObjectName(QStringLiteral("modelPicker"));
    auto* layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->setSpacing(2);
    auto* row = new QHBoxLayout();
    auto* label = new QLabel(tr("&Base model:"), this);
    m_path = new QLineEdit(this);
    m_path->setObjectName(QStringLiteral("modelPathEdit"));
    m_path->setPlaceholderText(tr("A Hugging Face model folder (config.json, *.safetensors, tokenizer.json)"));
    m_path->setToolTip(tr("The local folder of the base model to fine-tune, as downloaded from Hugging Face: "
                          "config.json, the weights as *.safetensors, tokenizer.json and tokenizer_config.json "
                          "(with the chat template). Llama, Mistral and Qwen2 architectures are supported."));
    m_path->setClearButtonEnabled(true);
    label->setBuddy(m_path);
    m_browse = new QPushButton(tr("Bro&wse…"), this);
    m_browse->setObjectName(QStringLiteral("modelBrowseButton"));
    m_browse->setToolTip(tr("Choose the model folder's config.json"));
    row->addWidget(label);
    row->addWidget(m_path, 1);
    row->addWidget(m_browse);
    layout->addLayout(row);
    m_infoLabel = new QLabel(this);
    m_infoLabel->setObjectName(QStringLiteral("modelInfoLabel"));
    m_infoLabel->setWordWrap(true);
    m_infoLabel->setTextInteractionFlags(Qt::TextSelectableByMouse);
    layout->addWidget(m_infoLabel);

    connect(m_browse, &QPushButton::clicked, this, &ModelPicker::browse);
    connect(m_path, &QLineEdit::editingFinished, this, [this] { setModelDir(m_path->text().trimmed()); });
    showState();
}

QString ModelPicker::infoText() const
{
    return m_infoLabel->text();
}

void ModelPicker::browse()
{
    const QString dir = chooseModelFolder(this, m_dir);
    if (!dir.isEmpty())
        setModelDir(dir);
}

void ModelPicker::setModelDir(const QString& dir)
{
    const QString cleaned = dir.isEmpty() ? QString() : QDir::cleanPath(dir);
    if (m_path->text() != cleaned)
        m_path->setText(cleaned);
    // Re-read every time (the user may have fixed the folder), but only announce a change.
    const QString oldDir = m_dir;
    const QString oldError = m_error;
    const bool hadConfig = m_config.has_value();
    m_dir = cleaned;
    load();
    showState();
    if (oldDir != m_dir || oldError != m_error || hadConfig != m_config.has_value())
        emit modelChanged();
}

void ModelPicker::load()
{
    m_config.reset();
    m_error.clear();
    m_info.clear();
    if (m_dir.isEmpty())
        return;
    const QDir dir(m_dir);
    const QString shown = QDir::toNativeSeparators(m_dir);
    if (!dir.exists()) {
        m_error = tr("The folder %1 does not exist.").arg(shown);
        return;
    }
    if (!QFileInfo::exists(dir.filePath(QStringLiteral("config.json")))) {
        m_error = tr("%1 has no config.json, so it is not a Hugging Face model folder. Choose the folder that holds "
                     "config.json, the *.safetensors weights and tokenizer.json.")
                      .arg(shown);
        return;
    }
    auto config = ts::loadModelConfig(toPath(m_dir));
    if (!config) {
        m_error = tr("The model's config.json cannot be used: %1").arg(fromStd(config.error().message));
        return;
    }
    if (!QFileInfo::exists(dir.filePath(QStringLiteral("tokenizer.json")))) {
        m_error = tr("%1 has no tokenizer.json; training needs the model's own tokenizer.").arg(shown);
        return;
    }
    if (dir.entryList({QStringLiteral("*.safetensors")}, QDir::Files).isEmpty()) {
        m_error = tr("%1 has no *.safetensors weights.").arg(shown);
        return;
    }
    m_config = *config;
    const ts::ModelConfig& c = *config;
    const QLocale locale;
    QStringList parts;
    parts << fromStd(ts::archName(c.arch));
    parts << tr("%1 parameters").arg(formatParameterCount(ts::parameterCount(c)));
    parts << tr("%1 layers").arg(c.numLayers);
    parts << tr("hidden %1").arg(locale.toString(static_cast<qlonglong>(c.hiddenSize)));
    parts << (c.numKvHeads != c.numHeads ? tr("%1 heads (%2 KV)").arg(c.numHeads).arg(c.numKvHeads)
                                         : tr("%1 heads").arg(c.numHeads));
    parts << tr("vocabulary %1").arg(locale.toString(static_cast<qlonglong>(c.vocabSize)));
    parts << tr("context %1").arg(locale.toString(static_cast<qlonglong>(c.maxPositionEmbeddings)));
    if (!c.torchDtype.empty())
        parts << fromStd(c.torchDtype);
    if (c.quantization)
        parts << tr("pre-quantized (%1)").arg(fromStd(c.quantization->quantMethod));
    m_info = parts.join(QStringLiteral(" · "));
}

void ModelPicker::showState()
{
    if (!m_error.isEmpty()) {
        m_infoLabel->setText(m_error);
        m_infoLabel->setStyleSheet(QStringLiteral("color: #c0392b;"));
        m_infoLabel->setEnabled(true);
    } else if (m_dir.isEmpty()) {
        m_infoLabel->setText(tr("Choose the base model to fine-tune."));
        m_infoLabel->setStyleSheet(QString());
        m_infoLabel->setEnabled(false);
    } else {
        m_infoLabel->setText(m_info);
        m_infoLabel->setStyleSheet(QString());
        m_infoLabel->setEnabled(true);
    }
}

} // namespace ts::ui
