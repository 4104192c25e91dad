// TrainSettingsForm: grouped fields (what is trained, LoRA, data, optimisation, bookkeeping), presets, validation.
#include "training/train_settings_form.h"

#include <QCheckBox>
#include <QComboBox>
#include <QDoubleSpinBox>
#include <QFormLayout>
#include <QGridLayout>
#include <QGroupBox>
#include <QHBoxLayout>
#include <QLabel>
#include <QLineEdit>
#include <QLocale>
#include <QSpinBox>
#include <QVBoxLayout>

#include <algorithm>
#include <cmath>
#include <limits>

#include "bridge/path_conversion.h"
#include "train/presets.h"
#include "train/train_config_json.h"

namespace ts::ui {

namespace {

const char* const kStandardTargets[] = {"q_proj", "k_proj", "v_proj", "o_proj", "gate_proj", "up_proj", "down_proj"};

// A number typed by the user: C notation (2e-4, 0.001), or the user's locale (0,001).
std::optional<double> parseNumber(const QString& text)
{
    const QString t = text.trimmed();
    bool ok = false;
    double v = QLocale::c().toDouble(t, &ok);
    if (!ok)
        v = QLocale().toDouble(t, &ok);
    if (!ok || !std::isfinite(v))
        return std::nullopt;
    return v;
}

QString numberText(double v)
{
    return QString::number(v, 'g', 8);
}

QString presetDescription(const QString& name)
{
    if (name == QLatin1String("qlora-paper"))
        return TrainSettingsForm::tr("The QLoRA paper's recipe (Dettmers et al. 2023): NF4 base, LoRA r 64 / alpha 16 "
                                     "on all linear layers, dropout 0.1, constant learning rate 2e-4 after 3% warmup, "
                                     "batch 1 × 16 accumulation, gradient clipping at 0.3, gradient checkpointing.");
    if (name == QLatin1String("small-fast"))
        return TrainSettingsForm::tr("For tiny models and quick checks on a CPU: LoRA r 8 / alpha 16, no dropout, "
                                     "learning rate 1e-3 with a cosine decay, batch 4, 200 steps, no gradient "
                                     "checkpointing.");
    if (name == QLatin1String("tiny-cpu"))
        return TrainSettingsForm::tr("For small models (up to 100 M parameters, like the demo's) on a CPU: a run of "
                                     "minutes that learns. Base kept in 32 bit, LoRA r 16 / alpha 32, learning rate "
                                     "2e-3 with a cosine decay, batch 4, 120 steps, max length 1,024 tokens.");
    return {};
}

} // namespace

TrainSettingsForm::TrainSettingsForm(QWidget* parent)
    : QWidget(parent)
{
    setObjectName(QStringLiteral("trainSettingsForm"));
    build();
    resetToDefaults();
}

void TrainSettingsForm::resetToDefaults()
{
    m_presetChosenByUser = false; // a new project's model may choose its preset again (suggestPresetForModel)
    const auto names = ts::trainPresetNames();
    if (!names.empty())
        setConfig(*ts::trainPreset(names.front()), fromStd(names.front())); // a default, not a choice
    else
        setConfig(ts::TrainConfig {});
}

QString TrainSettingsForm::customPresetLabel()
{
    return tr("Custom");
}

void TrainSettingsForm::build()
{
    auto* layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);

    // A field's tooltip also goes on its label, so hovering either explains it.
    auto addRow = [](QFormLayout* form, const QString& label, QWidget* field, const QString& tip) {
        field->setToolTip(tip);
        auto* l = new QLabel(label);
        l->setBuddy(field);
        l->setToolTip(tip);
        form->addRow(l, field);
    };
    auto spin = [this](const char* name, int min, int max) {
        auto* s = new QSpinBox(this);
        s->setObjectName(QLatin1String(name));
        s->setRange(min, max);
        s->setAccelerated(true);
        connect(s, &QSpinBox::valueChanged, this, &TrainSettingsForm::onEdited);
        return s;
    };
    auto dspin = [this](const char* name, double min, double max, int decimals, double step) {
        auto* s = new QDoubleSpinBox(this);
        s->setObjectName(QLatin1String(name));
        s->setRange(min, max);
        s->setDecimals(decimals);
        s->setSingleStep(step);
        connect(s, &QDoubleSpinBox::valueChanged, this, &TrainSettingsForm::onEdited);
        return s;
    };
    auto check = [this](const char* name, const QString& text, const QString& tip) {
        auto* c = new QCheckBox(text, this);
        c->setObjectName(QLatin1String(name));
        c->setToolTip(tip);
        connect(c, &QCheckBox::toggled, this, &TrainSettingsForm::onEdited);
        return c;
    };
    auto edit = [this](const char* name) {
        auto* e = new QLineEdit(this);
        e->setObjectName(QLatin1String(name));
        connect(e, &QLineEdit::textChanged, this, &TrainSettingsForm::onEdited);
        return e;
    };

    // Preset
    auto* presetRow = new QFormLayout();
    m_preset = new QComboBox(this);
    m_preset->setObjectName(QStringLiteral("presetCombo"));
    for (const std::string& name : ts::trainPresetNames()) {
        const QString n = fromStd(name);
        m_preset->addItem(n, n);
        m_preset->setItemData(m_preset->count() - 1, presetDescription(n), Qt::ToolTipRole);
    }
    m_preset->addItem(customPresetLabel(), QString());
    addRow(presetRow, tr("&Preset:"), m_preset,
           tr("A starting point for every setting below. Editing a field afterwards makes the settings \"Custom\"."));
    connect(m_preset, &QComboBox::activated, this, [this](int index) {
        const QString name = m_preset->itemData(index).toString();
        if (!name.isEmpty())
            applyPreset(name);
    });
    layout->addLayout(presetRow);
    m_presetInfo = new QLabel(this);
    m_presetInfo->setObjectName(QStringLiteral("presetInfo"));
    m_presetInfo->setWordWrap(true);
    m_presetInfo->setEnabled(false);
    layout->addWidget(m_presetInfo);

    // What is trained
    auto* whatBox = new QGroupBox(tr("What is trained"), this);
    auto* whatLayout = new QVBoxLayout(whatBox);
    m_quantizeBase = check("quantizeBaseCheck", tr("Quantize the base model to 4 bit (QLoRA)"),
                           tr("Stores the frozen base weights as NF4 (4-bit NormalFloat with double quantization, as "
                              "bitsandbytes does), about a quarter of their 16-bit size. Training memory drops a lot; "
                              "quality stays close to 16-bit LoRA. Off: the base stays in the compute type."));
    m_fullParameter = check("fullParameterCheck", tr("Train every weight (full fine-tuning)"),
                            tr("Trains all weights in 32-bit with AdamW instead of a small LoRA adapter. Needs about "
                               "16 bytes per parameter, so it is only sensible for small models; the result is a whole "
                               "model rather than an adapter."));
    whatLayout->addWidget(m_quantizeBase);
    whatLayout->addWidget(m_fullParameter);
    layout->addWidget(whatBox);

    // LoRA
    auto* loraBox = new QGroupBox(tr("LoRA adapter"), this);
    loraBox->setObjectName(QStringLiteral("loraGroup"));
    auto* loraForm = new QFormLayout(loraBox);
    m_loraR = spin("loraRankSpin", 1, 1024);
    addRow(loraForm, tr("&Rank r:"), m_loraR,
           tr("Size of the low-rank update B·A added to each target layer. Higher ranks can learn more and cost more "
              "memory and time; 8–64 is usual."));
    m_loraAlpha = dspin("loraAlphaSpin", 0.01, 4096, 2, 1);
    addRow(loraForm, tr("&Alpha:"), m_loraAlpha,
           tr("Scale of the update: it is multiplied by alpha / r (alpha / √r with rank-stabilized LoRA). With a "
              "fixed alpha, changing r does not change the effective learning rate much."));
    m_loraDropout = dspin("loraDropoutSpin", 0, 0.9, 2, 0.05);
    addRow(loraForm, tr("&Dropout:"), m_loraDropout,
           tr("Probability of zeroing each input of the adapter during training; a regularizer against over-fitting "
              "small datasets. 0 turns it off."));
    m_rsLora = check("rsLoraCheck", tr("Rank-stabilized scaling (rsLoRA)"),
                     tr("Scale the update by alpha / √r instead of alpha / r, which keeps learning stable at high "
                        "ranks (Kalajdzievski 2023)."));
    loraForm->addRow(m_rsLora);
    auto* targets = new QWidget(this);
    auto* targetGrid = new QGridLayout(targets);
    targetGrid->setContentsMargins(0, 0, 0, 0);
    targetGrid->setHorizontalSpacing(8);
    int i = 0;
    for (const char* module : kStandardTargets) {
        const QString name = QLatin1String(module);
        auto* box = new QCheckBox(name, targets);
        box->setObjectName(QStringLiteral("target_%1").arg(name));
        connect(box, &QCheckBox::toggled, this, &TrainSettingsForm::onEdited);
        m_targets.insert(name, box);
        targetGrid->addWidget(box, i / 3, i % 3);
        ++i;
    }
    const QString targetTip
        = tr("The layers that get an adapter, by their module name: the attention projections (q, k, v, o) and the "
             "feed-forward layers (gate, up, down). All seven, as the QLoRA paper does, gives the best quality; "
             "attention only is smaller and faster.");
    targets->setToolTip(targetTip);
    for (QCheckBox* box : std::as_const(m_targets))
        box->setToolTip(targetTip);
    addRow(loraForm, tr("Target modules:"), targets, targetTip);
    layout->addWidget(loraBox);

    // Data
    auto* dataBox = new QGroupBox(tr("Data"), this);
    auto* dataForm = new QFormLayout(dataBox);
    m_maxSeqLen = spin("maxSeqLenSpin", 16, 1 << 20);
    m_maxSeqLen->setSingleStep(64);
    addRow(dataForm, tr("Max &sequence length:"), m_maxSeqLen,
           tr("Longest training sequence in tokens (chat template included). Activation memory grows with it; "
              "longer examples are truncated or dropped, see below. The sample preview shows an example's length."));
    m_overLong = new QComboBox(this);
    m_overLong->setObjectName(QStringLiteral("overLongCombo"));
    m_overLong->addItem(tr("Truncate"), static_cast<int>(ts::OverLongPolicy::Truncate));
    m_overLong->addItem(tr("Drop"), static_cast<int>(ts::OverLongPolicy::Drop));
    connect(m_overLong, &QComboBox::currentIndexChanged, this, &TrainSettingsForm::onEdited);
    addRow(dataForm, tr("Longer examples:"), m_overLong,
           tr("Truncate: keep the first tokens up to the maximum length (the end of the answer is lost). Drop: leave "
              "such examples out."));
    m_lengthWarning = new QLabel(this);
    m_lengthWarning->setObjectName(QStringLiteral("maxSeqLenWarning"));
    m_lengthWarning->setWordWrap(true);
    m_lengthWarning->setStyleSheet(QStringLiteral("color: #b9770e;"));
    m_lengthWarning->setToolTip(tr("Counted over the train split with the base model's tokenizer and chat template"));
    m_lengthWarning->setVisible(false);
    dataForm->addRow(m_lengthWarning);
    m_packing = check("packingCheck", tr("Pack short examples together"),
                      tr("Fills each sequence with several examples (attention stays within each one), so fewer "
                         "tokens are padding and an epoch takes fewer steps."));
    dataForm->addRow(m_packing);
    layout->addWidget(dataBox);

    // Optimisation
    auto* optBox = new QGroupBox(tr("Optimisation"), this);
    auto* optForm = new QFormLayout(optBox);
    m_microBatch = spin("microBatchSpin", 1, 4096);
    addRow(optForm, tr("&Micro-batch:"), m_microBatch,
           tr("Sequences processed together in one forward and backward pass. Memory grows with it; lower it (and "
              "raise accumulation) when memory is short."));
    m_gradAccum = spin("gradAccumSpin", 1, 65536);
    addRow(optForm, tr("&Gradient accumulation:"), m_gradAccum,
           tr("Micro-batches whose gradients are summed before one optimizer step. The effective batch is micro-batch "
              "× accumulation, at no extra memory."));
    m_effectiveBatch = new QLabel(this);
    m_effectiveBatch->setObjectName(QStringLiteral("effectiveBatchLabel"));
    m_effectiveBatch->setEnabled(false);
    optForm->addRow(QString(), m_effectiveBatch);
    m_maxSteps = spin("maxStepsSpin", 1, std::numeric_limits<int>::max());
    m_maxSteps->setSingleStep(10);
    addRow(optForm, tr("&Steps:"), m_maxSteps,
           tr("Optimizer steps to train for. Each step sees one effective batch; the data repeats (reshuffled) when an "
              "epoch ends."));
    m_learningRate = edit("learningRateEdit");
    addRow(optForm, tr("&Learning rate:"), m_learningRate,
           tr("Peak step size of AdamW, e.g. 2e-4 for QLoRA, 1e-5 for full fine-tuning. Too high: the loss jumps or "
              "diverges; too low: it barely moves."));
    m_schedule = new QComboBox(this);
    m_schedule->setObjectName(QStringLiteral("scheduleCombo"));
    m_schedule->addItem(tr("Cosine"), static_cast<int>(ts::LrSchedule::Cosine));
    m_schedule->addItem(tr("Linear"), static_cast<int>(ts::LrSchedule::Linear));
    m_schedule->addItem(tr("Constant"), static_cast<int>(ts::LrSchedule::Constant));
    connect(m_schedule, &QComboBox::currentIndexChanged, this, &TrainSettingsForm::onEdited);
    addRow(optForm, tr("Sc&hedule:"), m_schedule,
           tr("How the learning rate changes after warmup: cosine and linear decay it to zero by the last step, "
              "constant keeps it."));
    m_warmupRatio = dspin("warmupRatioSpin", 0, 0.5, 3, 0.01);
    addRow(optForm, tr("&Warmup ratio:"), m_warmupRatio,
           tr("Share of the steps over which the learning rate rises linearly from zero, which avoids large early "
              "updates (0.03 = the first 3%)."));
    m_weightDecay = dspin("weightDecaySpin", 0, 1, 4, 0.01);
    addRow(optForm, tr("Weight &decay:"), m_weightDecay,
           tr("AdamW's decoupled weight decay: pulls the trained weights towards zero each step. Usually 0 for LoRA."));
    m_beta1 = dspin("adamBeta1Spin", 0, 0.9999, 4, 0.01);
    addRow(optForm, tr("Adam β&1:"), m_beta1,
           tr("Decay of AdamW's running mean of gradients (momentum). 0.9 is standard."));
    m_beta2 = dspin("adamBeta2Spin", 0, 0.99999, 5, 0.001);
    addRow(optForm, tr("Adam β&2:"), m_beta2,
           tr("Decay of AdamW's running mean of squared gradients. 0.999 is standard; 0.95–0.99 reacts faster to "
              "changing gradients."));
    m_eps = edit("adamEpsEdit");
    addRow(optForm, tr("Adam &epsilon:"), m_eps,
           tr("Added to the denominator of AdamW's update for numerical stability, e.g. 1e-8."));
    m_maxGradNorm = dspin("maxGradNormSpin", 0, 1000, 2, 0.1);
    m_maxGradNorm->setSpecialValueText(tr("off"));
    addRow(optForm, tr("&Clip gradient norm:"), m_maxGradNorm,
           tr("Gradients whose overall (L2) norm is larger are scaled down to it before the step, which keeps single "
              "bad batches from derailing training. 0 turns clipping off. The grad norm chart shows the norm before "
              "clipping."));
    m_gradientCheckpointing
        = check("gradientCheckpointingCheck", tr("Gradient checkpointing"),
                tr("Keeps only each decoder layer's input during the forward pass and recomputes the rest in the "
                   "backward pass: much less activation memory for about a third more compute."));
    optForm->addRow(m_gradientCheckpointing);
    layout->addWidget(optBox);

    // Bookkeeping
    auto* bookBox = new QGroupBox(tr("Logging and checkpoints"), this);
    auto* bookForm = new QFormLayout(bookBox);
    m_logEvery = spin("logEverySpin", 1, 1000000);
    addRow(bookForm, tr("Log e&very:"), m_logEvery,
           tr("Record train loss, learning rate, grad norm and tokens per second every this many steps (the charts' "
              "resolution)."));
    m_evalEvery = spin("evalEverySpin", 0, 1000000);
    m_evalEvery->setSpecialValueText(tr("never"));
    addRow(bookForm, tr("E&valuate every:"), m_evalEvery,
           tr("Compute the loss on the eval split every this many steps; a rising eval loss while train loss falls "
              "means over-fitting. 0: never."));
    m_checkpointEvery = spin("checkpointEverySpin", 0, 1000000);
    m_checkpointEvery->setSpecialValueText(tr("at the end"));
    addRow(bookForm, tr("Chec&kpoint every:"), m_checkpointEvery,
           tr("Save the adapter and optimizer state every this many steps, so a run can be resumed or an earlier "
              "checkpoint evaluated. A checkpoint is also saved at the end and when you cancel."));
    m_seed = edit("seedEdit");
    addRow(bookForm, tr("See&d:"), m_seed,
           tr("Seeds the data order, the adapter's initial weights and dropout: the same seed and settings give the "
              "same run."));
    m_threads = spin("threadsSpin", 0, 1024);
    m_threads->setSpecialValueText(tr("one per core"));
    addRow(bookForm, tr("CPU &threads:"), m_threads, tr("Compute threads on the CPU. 0: one per core."));
    m_device = new QComboBox(this);
    m_device->setObjectName(QStringLiteral("deviceCombo"));
    m_device->addItem(tr("Automatic (GPU when available)"), QStringLiteral("auto"));
    m_device->addItem(tr("CPU"), QStringLiteral("cpu"));
    m_device->addItem(tr("CUDA GPU"), QStringLiteral("cuda"));
    connect(m_device, &QComboBox::currentIndexChanged, this, &TrainSettingsForm::onEdited);
    addRow(bookForm, tr("De&vice:"), m_device,
           tr("Where the run computes. Automatic uses the first CUDA GPU when this build of Tunesmith and the driver "
              "see one, else the CPU."));
    m_computeDtype = new QComboBox(this);
    m_computeDtype->setObjectName(QStringLiteral("computeDtypeCombo"));
    m_computeDtype->addItem(tr("Automatic (bf16 on GPU, f32 on CPU)"), QStringLiteral("auto"));
    m_computeDtype->addItem(tr("f32"), QStringLiteral("f32"));
    m_computeDtype->addItem(tr("bf16"), QStringLiteral("bf16"));
    connect(m_computeDtype, &QComboBox::currentIndexChanged, this, &TrainSettingsForm::onEdited);
    addRow(bookForm, tr("Com&pute precision:"), m_computeDtype,
           tr("Precision of activations and of the dequantized base weights. bf16 halves activation memory and is "
              "fast on GPUs; on the CPU f32 is faster. The LoRA adapters and optimizer state are always f32."));
    layout->addWidget(bookBox);

    m_error = new QLabel(this);
    m_error->setObjectName(QStringLiteral("settingsError"));
    m_error->setWordWrap(true);
    m_error->setStyleSheet(QStringLiteral("color: #c0392b;"));
    m_error->setVisible(false);
    layout->addWidget(m_error);
    layout->addStretch(1);

    connect(m_fullParameter, &QCheckBox::toggled, this, &TrainSettingsForm::updateEnabled);
}

void TrainSettingsForm::setConfig(const ts::TrainConfig& c, const QString& preset)
{
    m_filling = true;
    m_quantizeBase->setChecked(c.quantizeBase);
    m_fullParameter->setChecked(c.fullParameter);
    m_loraR->setValue(c.lora.r);
    m_loraAlpha->setValue(c.lora.alpha);
    m_loraDropout->setValue(c.lora.dropout);
    m_rsLora->setChecked(c.lora.useRsLora);
    // "all-linear" (PEFT's shorthand) is every one of them.
    const bool all = std::find(c.lora.targetModules.begin(), c.lora.targetModules.end(), "all-linear")
        != c.lora.targetModules.end();
    for (auto it = m_targets.begin(); it != m_targets.end(); ++it)
        it.value()->setChecked(
            all
            || std::find(c.lora.targetModules.begin(), c.lora.targetModules.end(), it.key().toStdString())
                != c.lora.targetModules.end());
    m_maxSeqLen->setValue(c.maxSeqLen);
    m_overLong->setCurrentIndex(m_overLong->findData(static_cast<int>(c.overLong)));
    m_packing->setChecked(c.packing);
    m_microBatch->setValue(c.microBatch);
    m_gradAccum->setValue(c.gradAccum);
    m_maxSteps->setValue(static_cast<int>(std::min<int64_t>(c.maxSteps, std::numeric_limits<int>::max())));
    m_learningRate->setText(numberText(c.learningRate));
    m_schedule->setCurrentIndex(m_schedule->findData(static_cast<int>(c.schedule)));
    m_warmupRatio->setValue(c.warmupRatio);
    m_weightDecay->setValue(c.weightDecay);
    m_beta1->setValue(c.adamBeta1);
    m_beta2->setValue(c.adamBeta2);
    m_eps->setText(numberText(c.adamEps));
    m_maxGradNorm->setValue(c.maxGradNorm);
    m_gradientCheckpointing->setChecked(c.gradientCheckpointing);
    m_logEvery->setValue(static_cast<int>(std::clamp<int64_t>(c.logEvery, 1, 1000000)));
    m_evalEvery->setValue(static_cast<int>(std::clamp<int64_t>(c.evalEvery, 0, 1000000)));
    m_checkpointEvery->setValue(static_cast<int>(std::clamp<int64_t>(c.checkpointEvery, 0, 1000000)));
    m_seed->setText(QString::number(c.seed));
    m_threads->setValue(std::max(0, c.threads));
    const QString device = QString::fromStdString(c.device);
    if (m_device->findData(device) < 0)
        m_device->addItem(device, device); // e.g. cuda:1 from a stored run
    m_device->setCurrentIndex(m_device->findData(device));
    m_computeDtype->setCurrentIndex(std::max(0, m_computeDtype->findData(QString::fromStdString(c.computeDtype))));
    const int presetIndex = preset.isEmpty() ? -1 : m_preset->findData(preset);
    m_preset->setCurrentIndex(presetIndex >= 0 ? presetIndex : m_preset->count() - 1);
    m_presetInfo->setText(presetDescription(preset));
    m_presetInfo->setVisible(!m_presetInfo->text().isEmpty());
    m_filling = false;
    updateEnabled();
    updateLengthWarning();
    validate();
    emit configChanged();
}

void TrainSettingsForm::suggestPresetForModel(int64_t parameterCount)
{
    // Only a starting point the user has not chosen or edited follows the model.
    if (m_presetChosenByUser || presetName().isEmpty())
        return;
    const QString wanted = fromStd(ts::isSmallModel(parameterCount) ? "tiny-cpu" : ts::trainPresetNames().front());
    if (presetName() != wanted)
        setConfig(*ts::trainPreset(wanted.toStdString()), wanted);
}

void TrainSettingsForm::setExampleLengths(std::shared_ptr<const std::vector<ts::SftExampleLength>> lengths)
{
    m_lengths = std::move(lengths);
    updateLengthWarning();
}

QString TrainSettingsForm::lengthWarningText() const
{
    return m_lengthWarning->isVisible() ? m_lengthWarning->text() : QString();
}

void TrainSettingsForm::updateLengthWarning()
{
    QString text;
    if (m_lengths && !m_lengths->empty()) {
        const auto policy = static_cast<ts::OverLongPolicy>(m_overLong->currentData().toInt());
        const ts::SftLengthCoverage c = ts::lengthCoverage(*m_lengths, m_maxSeqLen->value(), policy);
        const QLocale locale;
        const QString of = locale.toString(static_cast<qlonglong>(c.examples));
        if (c.nothingLearned > 0) {
            const QString n = locale.toString(static_cast<qlonglong>(c.nothingLearned));
            text = c.nothingLearned == 1
                ? tr("⚠ 1 of %1 train examples has no learned tokens at this length — raise it or choose Drop.").arg(of)
                : tr("⚠ %1 of %2 train examples have no learned tokens at this length — raise it or choose Drop.")
                      .arg(n, of);
            if (c.answerCut > 0)
                text += QLatin1Char(' ')
                    + (c.answerCut == 1 ? tr("1 more loses the end of its answer.")
                                        : tr("%1 more lose the end of their answer.")
                                              .arg(locale.toString(static_cast<qlonglong>(c.answerCut))));
        } else if (c.answerCut > 0) {
            text = c.answerCut == 1 ? tr("1 of %1 train examples loses the end of its answer at this length.").arg(of)
                                    : tr("%1 of %2 train examples lose the end of their answer at this length.")
                                          .arg(locale.toString(static_cast<qlonglong>(c.answerCut)), of);
        } else if (c.dropped > 0) {
            text = c.dropped == 1 ? tr("1 of %1 train examples is longer than this and is left out.").arg(of)
                                  : tr("%1 of %2 train examples are longer than this and are left out.")
                                        .arg(locale.toString(static_cast<qlonglong>(c.dropped)), of);
        }
    }
    m_lengthWarning->setText(text);
    m_lengthWarning->setVisible(!text.isEmpty());
}

bool TrainSettingsForm::applyPreset(const QString& name)
{
    auto preset = ts::trainPreset(name.toStdString());
    if (!preset)
        return false;
    m_presetChosenByUser = true;
    setConfig(*preset, name);
    return true;
}

QString TrainSettingsForm::presetName() const
{
    return m_preset->currentData().toString();
}

QString TrainSettingsForm::errorText() const
{
    return m_error->text();
}

void TrainSettingsForm::onEdited()
{
    if (m_filling)
        return;
    // Any edit makes the settings the user's own.
    if (!presetName().isEmpty()) {
        m_preset->setCurrentIndex(m_preset->count() - 1);
        m_presetInfo->setVisible(false);
    }
    updateEnabled();
    updateLengthWarning();
    validate();
    emit configChanged();
}

void TrainSettingsForm::updateEnabled()
{
    const bool full = m_fullParameter->isChecked();
    m_quantizeBase->setEnabled(!full);
    if (auto* lora = findChild<QGroupBox*>(QStringLiteral("loraGroup")))
        lora->setEnabled(!full);
    m_effectiveBatch->setText(
        tr("Effective batch: %1 sequences per step").arg(m_microBatch->value() * m_gradAccum->value()));
}

void TrainSettingsForm::validate()
{
    QString error;
    config(&error);
    m_error->setText(error);
    m_error->setVisible(!error.isEmpty());
}

std::optional<ts::TrainConfig> TrainSettingsForm::config(QString* error) const
{
    auto fail = [error](const QString& message) -> std::optional<ts::TrainConfig> {
        if (error)
            *error = message;
        return std::nullopt;
    };
    ts::TrainConfig c;
    c.fullParameter = m_fullParameter->isChecked();
    c.quantizeBase = m_quantizeBase->isChecked() && !c.fullParameter;
    c.lora.r = m_loraR->value();
    c.lora.alpha = m_loraAlpha->value();
    c.lora.dropout = m_loraDropout->value();
    c.lora.useRsLora = m_rsLora->isChecked();
    c.lora.targetModules.clear();
    for (const char* module : kStandardTargets)
        if (m_targets.value(QLatin1String(module))->isChecked())
            c.lora.targetModules.emplace_back(module);
    if (!c.fullParameter && c.lora.targetModules.empty())
        return fail(tr("LoRA target modules: choose at least one module (or train every weight)."));

    c.maxSeqLen = m_maxSeqLen->value();
    c.overLong = static_cast<ts::OverLongPolicy>(m_overLong->currentData().toInt());
    c.packing = m_packing->isChecked();
    c.microBatch = m_microBatch->value();
    c.gradAccum = m_gradAccum->value();
    c.maxSteps = m_maxSteps->value();
    const auto lr = parseNumber(m_learningRate->text());
    if (!lr || *lr <= 0 || *lr >= 1)
        return fail(tr("Learning rate: enter a number above 0 and below 1, such as 2e-4."));
    c.learningRate = *lr;
    c.schedule = static_cast<ts::LrSchedule>(m_schedule->currentData().toInt());
    c.warmupRatio = m_warmupRatio->value();
    c.weightDecay = m_weightDecay->value();
    c.adamBeta1 = m_beta1->value();
    c.adamBeta2 = m_beta2->value();
    const auto eps = parseNumber(m_eps->text());
    if (!eps || *eps <= 0 || *eps >= 1e-2)
        return fail(tr("Adam epsilon: enter a number above 0 and below 0.01, such as 1e-8."));
    c.adamEps = *eps;
    c.maxGradNorm = m_maxGradNorm->value();
    c.gradientCheckpointing = m_gradientCheckpointing->isChecked();
    c.logEvery = m_logEvery->value();
    c.evalEvery = m_evalEvery->value();
    c.checkpointEvery = m_checkpointEvery->value();
    bool seedOk = false;
    const qulonglong seed = m_seed->text().trimmed().toULongLong(&seedOk);
    if (!seedOk)
        return fail(tr("Seed: enter a whole number from 0 to %1.").arg(std::numeric_limits<qulonglong>::max()));
    c.seed = seed;
    c.threads = m_threads->value();
    c.device = m_device->currentData().toString().toStdString();
    c.computeDtype = m_computeDtype->currentData().toString().toStdString();
    // The trainer's own range checks (shared with the CLI and the JSON config), as a last word.
    if (const auto valid = ts::validateTrainConfig(c); !valid)
        return fail(tr("Invalid setting: %1").arg(fromStd(valid.error().message)));
    if (error)
        error->clear();
    return c;
}

} // namespace ts::ui
