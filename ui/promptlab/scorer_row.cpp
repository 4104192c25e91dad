// ScorerRow: the fields each scorer kind shows, filled from a spec and read back into one.
#include "promptlab/scorer_row.h"

#include <QCheckBox>
#include <QComboBox>
#include <QDoubleSpinBox>
#include <QFontDatabase>
#include <QFormLayout>
#include <QLabel>
#include <QLineEdit>
#include <QPlainTextEdit>
#include <QSpinBox>
#include <QVBoxLayout>

#include "bridge/path_conversion.h"

namespace ts::ui {

using ts::eval::ScorerKind;

namespace {

constexpr int kNoBound = -1; // the spin boxes' minimum, shown as "none"

void setBound(QSpinBox* spin, const std::optional<int64_t>& bound)
{
    spin->setValue(bound ? static_cast<int>(*bound) : kNoBound);
}

std::optional<int64_t> bound(const QSpinBox* spin)
{
    return spin->value() == kNoBound ? std::nullopt : std::optional<int64_t>(spin->value());
}

} // namespace

QString ScorerRow::title(ScorerKind kind)
{
    switch (kind) {
    case ScorerKind::ExactMatch:
        return tr("Exact match");
    case ScorerKind::NormalizedMatch:
        return tr("Normalized match");
    case ScorerKind::Contains:
        return tr("Contains");
    case ScorerKind::Regex:
        return tr("Regular expression");
    case ScorerKind::JsonParses:
        return tr("Answer is JSON");
    case ScorerKind::JsonSchemaValid:
        return tr("Valid against a JSON schema");
    case ScorerKind::FieldF1:
        return tr("Field F1");
    case ScorerKind::Length:
        return tr("Length");
    }
    return {};
}

QString ScorerRow::description(ScorerKind kind)
{
    switch (kind) {
    case ScorerKind::ExactMatch:
        return tr("passes when the answer equals the reference byte for byte");
    case ScorerKind::NormalizedMatch:
        return tr("passes when both are equal JSON, or equal text after normalizing spacing and case");
    case ScorerKind::Contains:
        return tr("passes when the answer contains the text below (empty: the reference)");
    case ScorerKind::Regex:
        return tr("passes when the pattern matches the answer");
    case ScorerKind::JsonParses:
        return tr("passes when the answer is JSON (also inside a ```json block)");
    case ScorerKind::JsonSchemaValid:
        return tr("passes when the answer is JSON valid against the schema below");
    case ScorerKind::FieldF1:
        return tr("scores 0 to 1 by the JSON fields the answer gets right against the reference's");
    case ScorerKind::Length:
        return tr("reports the answer's length; passes when within the bounds given");
    }
    return {};
}

ScorerRow::ScorerRow(const ts::eval::ScorerSpec& spec, bool checked, QWidget* parent)
    : QWidget(parent)
    , m_spec(spec)
{
    setObjectName(QStringLiteral("scorerRow_%1").arg(QString::fromLatin1(ts::eval::scorerKindName(spec.kind))));
    auto* layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 2, 0, 6);
    layout->setSpacing(2);
    m_check = new QCheckBox(QStringLiteral("%1 — %2").arg(title(spec.kind), description(spec.kind)), this);
    m_check->setObjectName(QStringLiteral("scorerCheck"));
    m_check->setChecked(checked);
    layout->addWidget(m_check);
    m_reason = new QLabel(this);
    m_reason->setObjectName(QStringLiteral("scorerReason"));
    m_reason->setWordWrap(true);
    m_reason->setStyleSheet(QStringLiteral("color: #1a6b2f; margin-left: 22px;"));
    m_reason->setVisible(false);
    layout->addWidget(m_reason);

    m_options = new QWidget(this);
    auto* form = new QFormLayout(m_options);
    form->setContentsMargins(22, 0, 0, 0);
    form->setFieldGrowthPolicy(QFormLayout::AllNonFixedFieldsGrow);
    m_name = new QLineEdit(m_options);
    m_name->setObjectName(QStringLiteral("scorerNameEdit"));
    m_name->setPlaceholderText(QString::fromLatin1(ts::eval::scorerKindName(spec.kind)));
    m_name->setToolTip(tr("The name results show; needed when two scorers of one kind are used"));
    form->addRow(tr("Name:"), m_name);
    auto connectEdit = [this](QLineEdit* edit) { connect(edit, &QLineEdit::textChanged, this, &ScorerRow::changed); };
    auto makeCheck = [this](const QString& text, const QString& objectName) {
        auto* check = new QCheckBox(text, m_options);
        check->setObjectName(objectName);
        connect(check, &QCheckBox::toggled, this, &ScorerRow::changed);
        return check;
    };
    switch (spec.kind) {
    case ScorerKind::Contains:
        m_substring = new QLineEdit(m_options);
        m_substring->setObjectName(QStringLiteral("substringEdit"));
        m_substring->setPlaceholderText(tr("(the reference)"));
        form->addRow(tr("Text:"), m_substring);
        m_caseSensitive = makeCheck(tr("Case sensitive"), QStringLiteral("caseSensitiveCheck"));
        form->addRow(QString(), m_caseSensitive);
        break;
    case ScorerKind::Regex:
        m_pattern = new QLineEdit(m_options);
        m_pattern->setObjectName(QStringLiteral("patternEdit"));
        m_pattern->setFont(QFontDatabase::systemFont(QFontDatabase::FixedFont));
        m_pattern->setPlaceholderText(QStringLiteral("^(auto|home|travel)$"));
        m_pattern->setToolTip(tr("A PCRE2 pattern, searched anywhere in the answer unless Whole answer is on"));
        form->addRow(tr("Pattern:"), m_pattern);
        m_caseSensitive = makeCheck(tr("Case sensitive"), QStringLiteral("caseSensitiveCheck"));
        m_fullMatch = makeCheck(tr("Whole answer must match"), QStringLiteral("fullMatchCheck"));
        form->addRow(QString(), m_caseSensitive);
        form->addRow(QString(), m_fullMatch);
        break;
    case ScorerKind::JsonSchemaValid:
        m_schema = new QPlainTextEdit(m_options);
        m_schema->setObjectName(QStringLiteral("schemaEdit"));
        m_schema->setFont(QFontDatabase::systemFont(QFontDatabase::FixedFont));
        m_schema->setFixedHeight(m_schema->fontMetrics().lineSpacing() * 6 + 12);
        m_schema->setTabChangesFocus(true);
        form->addRow(tr("Schema:"), m_schema);
        connect(m_schema, &QPlainTextEdit::textChanged, this, &ScorerRow::changed);
        break;
    case ScorerKind::FieldF1:
        m_passThreshold = new QDoubleSpinBox(m_options);
        m_passThreshold->setObjectName(QStringLiteral("passThresholdSpin"));
        m_passThreshold->setRange(0, 1);
        m_passThreshold->setSingleStep(0.05);
        m_passThreshold->setDecimals(2);
        m_passThreshold->setFocusPolicy(Qt::StrongFocus);
        m_passThreshold->setToolTip(tr("An answer passes when its F1 is at least this (1: every field right)"));
        form->addRow(tr("Pass at F1 ≥"), m_passThreshold);
        connect(m_passThreshold, &QDoubleSpinBox::valueChanged, this, &ScorerRow::changed);
        break;
    case ScorerKind::Length:
        m_unit = new QComboBox(m_options);
        m_unit->setObjectName(QStringLiteral("unitCombo"));
        m_unit->addItem(tr("characters"), static_cast<int>(ts::eval::LengthUnit::Characters));
        m_unit->addItem(tr("words"), static_cast<int>(ts::eval::LengthUnit::Words));
        m_unit->setFocusPolicy(Qt::StrongFocus);
        form->addRow(tr("Count:"), m_unit);
        connect(m_unit, &QComboBox::currentIndexChanged, this, &ScorerRow::changed);
        m_minChars = makeBound(QStringLiteral("minCharsSpin"));
        m_maxChars = makeBound(QStringLiteral("maxCharsSpin"));
        m_minWords = makeBound(QStringLiteral("minWordsSpin"));
        m_maxWords = makeBound(QStringLiteral("maxWordsSpin"));
        form->addRow(tr("Characters, at least:"), m_minChars);
        form->addRow(tr("Characters, at most:"), m_maxChars);
        form->addRow(tr("Words, at least:"), m_minWords);
        form->addRow(tr("Words, at most:"), m_maxWords);
        break;
    default:
        break;
    }
    layout->addWidget(m_options);
    setSpec(spec);
    m_options->setEnabled(checked);
    connectEdit(m_name);
    if (m_substring)
        connectEdit(m_substring);
    if (m_pattern)
        connectEdit(m_pattern);
    connect(m_check, &QCheckBox::toggled, m_options, &QWidget::setEnabled);
    connect(m_check, &QCheckBox::toggled, this, &ScorerRow::changed);
}

QSpinBox* ScorerRow::makeBound(const QString& objectName)
{
    auto* spin = new QSpinBox(m_options);
    spin->setObjectName(objectName);
    spin->setRange(kNoBound, 1'000'000);
    spin->setSpecialValueText(tr("none"));
    spin->setFocusPolicy(Qt::StrongFocus);
    connect(spin, &QSpinBox::valueChanged, this, &ScorerRow::changed);
    return spin;
}

bool ScorerRow::isChecked() const
{
    return m_check->isChecked();
}

void ScorerRow::setChecked(bool checked)
{
    m_check->setChecked(checked);
}

void ScorerRow::setReason(const QString& reason)
{
    m_reason->setText(reason.isEmpty() ? QString() : tr("Suggested: %1").arg(reason));
    m_reason->setVisible(!reason.isEmpty());
}

void ScorerRow::setSpec(const ts::eval::ScorerSpec& spec)
{
    const QSignalBlocker block(this);
    m_spec = spec;
    m_name->setText(fromStd(spec.name));
    if (m_substring)
        m_substring->setText(fromStd(spec.substring));
    if (m_pattern)
        m_pattern->setText(fromStd(spec.pattern));
    if (m_caseSensitive)
        m_caseSensitive->setChecked(spec.caseSensitive);
    if (m_fullMatch)
        m_fullMatch->setChecked(spec.fullMatch);
    if (m_schema)
        m_schema->setPlainText(fromStd(spec.schema.dump(2)));
    if (m_passThreshold)
        m_passThreshold->setValue(spec.passThreshold);
    if (m_unit) {
        m_unit->setCurrentIndex(m_unit->findData(static_cast<int>(spec.unit)));
        setBound(m_minChars, spec.minChars);
        setBound(m_maxChars, spec.maxChars);
        setBound(m_minWords, spec.minWords);
        setBound(m_maxWords, spec.maxWords);
    }
}

std::optional<ts::eval::ScorerSpec> ScorerRow::spec(QString* error) const
{
    ts::eval::ScorerSpec s = m_spec;
    s.name = m_name->text().trimmed().toStdString();
    if (m_substring)
        s.substring = m_substring->text().toStdString();
    if (m_pattern)
        s.pattern = m_pattern->text().toStdString();
    if (m_caseSensitive)
        s.caseSensitive = m_caseSensitive->isChecked();
    if (m_fullMatch)
        s.fullMatch = m_fullMatch->isChecked();
    if (m_schema) {
        auto parsed = nlohmann::json::parse(m_schema->toPlainText().toStdString(), nullptr, false);
        if (parsed.is_discarded()) {
            if (error)
                *error = tr("%1: the schema is not valid JSON.").arg(title(s.kind));
            return std::nullopt;
        }
        s.schema = std::move(parsed);
    }
    if (m_passThreshold)
        s.passThreshold = m_passThreshold->value();
    if (m_unit) {
        s.unit = static_cast<ts::eval::LengthUnit>(m_unit->currentData().toInt());
        s.minChars = bound(m_minChars);
        s.maxChars = bound(m_maxChars);
        s.minWords = bound(m_minWords);
        s.maxWords = bound(m_maxWords);
    }
    return s;
}

} // namespace ts::ui
