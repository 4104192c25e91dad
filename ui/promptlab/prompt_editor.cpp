// PromptEditor: layout (prompt list | form | preview), loading a version into the fields and reading them back,
// versioned saves through PromptRepository, the unsaved-changes state (save bar, "•" markers), the history
// dialog's restores, and the debounced preview.
#include "promptlab/prompt_editor.h"

#include <QAction>
#include <QCheckBox>
#include <QComboBox>
#include <QDateTime>
#include <QDoubleSpinBox>
#include <QFontDatabase>
#include <QFormLayout>
#include <QGridLayout>
#include <QGroupBox>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QLabel>
#include <QListWidget>
#include <QPlainTextEdit>
#include <QPushButton>
#include <QScrollArea>
#include <QSpinBox>
#include <QSplitter>
#include <QStyle>
#include <QTableWidget>
#include <QVBoxLayout>

#include <nlohmann/json.hpp>

#include "bridge/path_conversion.h"
#include "dialogs/dialogs.h"
#include "eval/json_schema.h"
#include "llm/endpoint_repository.h"
#include "promptlab/few_shot_picker.h"
#include "promptlab/prompt_history_dialog.h"
#include "promptlab/prompt_preview.h"
#include "promptlab/variable_highlighter.h"
#include "store/example_repository.h"
#include "store/project.h"

namespace ts::ui {

namespace {

constexpr int kNameRole = Qt::UserRole;
constexpr int kVersionRole = Qt::UserRole + 1;
const QString kUnsavedMarker = QStringLiteral("  \u2022"); // after a list entry with unsaved changes

QString listEntryText(const QString& name, int version, bool modified)
{
    return QStringLiteral("%1  v%2").arg(name).arg(version) + (modified ? kUnsavedMarker : QString());
}

QString text(const QPlainTextEdit* edit)
{
    return edit->toPlainText();
}

std::string trimmedStd(const QString& s)
{
    return s.trimmed().toStdString();
}

} // namespace

PromptEditor::PromptEditor(QWidget* parent)
    : QWidget(parent)
{
    setObjectName(QStringLiteral("promptEditor"));
    m_previewTimer.setSingleShot(true);
    m_previewTimer.setInterval(kPreviewDelayMs);
    connect(&m_previewTimer, &QTimer::timeout, this, &PromptEditor::updatePreview);

    auto* layout = new QHBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    auto* splitter = new QSplitter(Qt::Horizontal, this);
    splitter->setObjectName(QStringLiteral("promptEditorSplitter"));
    splitter->setChildrenCollapsible(false);
    layout->addWidget(splitter);

    splitter->addWidget(buildVariantList(splitter));
    splitter->addWidget(buildForm(splitter));
    m_preview = new PromptPreview(splitter);
    splitter->addWidget(m_preview);
    splitter->setStretchFactor(0, 0);
    splitter->setStretchFactor(1, 3);
    splitter->setStretchFactor(2, 2);
    splitter->setCollapsible(2, true); // on a small screen the preview gives way first (drag its edge back)
    splitter->setSizes({190, 560, 300}); // the form gets most of the width, the list only what its names need

    buildSaveAction();
    connectSignals();
    setProject(nullptr);
}

QWidget* PromptEditor::buildVariantList(QWidget* parent)
{
    auto* listBox = new QWidget(parent);
    auto* listLayout = new QVBoxLayout(listBox);
    listLayout->setContentsMargins(0, 0, 0, 0);
    listLayout->addWidget(new QLabel(tr("Prompt variants:"), listBox));
    m_list = new QListWidget(listBox);
    m_list->setObjectName(QStringLiteral("promptList"));
    m_list->setToolTip(tr("The project's prompt variants with their newest version"));
    listLayout->addWidget(m_list, 1);
    auto* listButtons = new QGridLayout(); // two by two: the list stays narrow on a small screen
    m_newButton = new QPushButton(tr("&New"), listBox);
    m_newButton->setObjectName(QStringLiteral("newPromptButton"));
    m_newButton->setToolTip(tr("Add an empty prompt variant"));
    m_duplicateButton = new QPushButton(tr("D&uplicate"), listBox);
    m_duplicateButton->setObjectName(QStringLiteral("duplicatePromptButton"));
    m_duplicateButton->setToolTip(tr("Copy the fields as they are now into a new prompt variant"));
    m_deleteButton = new QPushButton(tr("Delete"), listBox);
    m_deleteButton->setObjectName(QStringLiteral("deletePromptButton"));
    m_deleteButton->setToolTip(tr("Delete the prompt variant and all its versions (past runs keep their results)"));
    m_endpointsButton = new QPushButton(tr("&Endpoints…"), listBox);
    m_endpointsButton->setObjectName(QStringLiteral("endpointsButton"));
    m_endpointsButton->setToolTip(
        tr("Add or edit the model endpoints prompts are sent to, with their prices and keys"));
    listButtons->addWidget(m_newButton, 0, 0);
    listButtons->addWidget(m_duplicateButton, 0, 1);
    listButtons->addWidget(m_deleteButton, 1, 0);
    listButtons->addWidget(m_endpointsButton, 1, 1);
    listLayout->addLayout(listButtons);
    return listBox;
}

QWidget* PromptEditor::buildForm(QWidget* parent)
{
    auto* column = new QWidget(parent);
    auto* columnLayout = new QVBoxLayout(column);
    columnLayout->setContentsMargins(0, 0, 0, 0);
    columnLayout->setSpacing(4);
    auto* scroll = new QScrollArea(column);
    scroll->setObjectName(QStringLiteral("promptFormScroll"));
    scroll->setWidgetResizable(true);
    scroll->setFrameShape(QFrame::NoFrame);
    m_form = new QWidget(scroll);
    auto* formLayout = new QVBoxLayout(m_form);
    formLayout->setContentsMargins(4, 0, 4, 0);
    formLayout->addLayout(buildSectionsForm());
    formLayout->addWidget(buildVariablesGroup());
    formLayout->addWidget(buildModelGroup());
    formLayout->addWidget(buildFewShotGroup());
    scroll->setWidget(m_form);
    columnLayout->addWidget(scroll, 1);
    // Outside the scroll area, so it stays in view however far the form is scrolled.
    columnLayout->addWidget(buildSaveBar(column));
    return column;
}

QFormLayout* PromptEditor::buildSectionsForm()
{
    auto* sections = new QFormLayout();
    sections->setFieldGrowthPolicy(QFormLayout::AllNonFixedFieldsGrow);
    m_role = makeSectionEdit(QStringLiteral("roleEdit"),
                             tr("Who the model is, first in the system prompt (\"You are a claims triage assistant "
                                "for an insurance company.\")"),
                             2);
    m_instructions = makeSectionEdit(QStringLiteral("instructionsEdit"), tr("The task, in plain words"), 4);
    m_constraints = makeSectionEdit(QStringLiteral("constraintsEdit"),
                                    tr("One rule per line; rendered as a \"Constraints:\" bullet list"), 3);
    m_audience
        = makeSectionEdit(QStringLiteral("audienceEdit"), tr("Who reads the answer; rendered as \"Audience: …\""), 1);
    m_outputFormat = makeSectionEdit(QStringLiteral("outputFormatEdit"),
                                     tr("The shape of the answer in prose (\"Answer with one word: …\")"), 2);
    sections->addRow(tr("&Role:"), m_role);
    sections->addRow(tr("&Instructions:"), m_instructions);
    sections->addRow(tr("&Constraints:"), m_constraints);
    sections->addRow(tr("&Audience:"), m_audience);
    sections->addRow(tr("&Output format:"), m_outputFormat);
    buildSchemaSection(sections);
    m_cot = new QCheckBox(tr("C&hain of thought: think inside <thinking> tags first"), m_form);
    m_cot->setObjectName(QStringLiteral("chainOfThoughtCheck"));
    m_cot->setToolTip(tr("The model reasons inside <thinking>…</thinking> before answering; scorers see only the "
                         "text after the closing tag. More output tokens, often better answers."));
    sections->addRow(QString(), m_cot);
    return sections;
}

void PromptEditor::buildSchemaSection(QFormLayout* sections)
{
    m_schema = new QPlainTextEdit(m_form);
    m_schema->setObjectName(QStringLiteral("schemaEdit"));
    m_schema->setFont(QFontDatabase::systemFont(QFontDatabase::FixedFont));
    m_schema->setPlaceholderText(QStringLiteral("{\"type\": \"object\", \"required\": [\"…\"]}"));
    m_schema->setToolTip(tr("Optional JSON Schema: the model is asked to answer with only a JSON value valid "
                            "against it (empty: none)"));
    m_schema->setFixedHeight(m_schema->fontMetrics().lineSpacing() * 5 + 12);
    m_schemaStatus = new QLabel(m_form);
    m_schemaStatus->setObjectName(QStringLiteral("schemaStatus"));
    m_schemaStatus->setWordWrap(true);
    auto* schemaBox = new QVBoxLayout();
    schemaBox->addWidget(m_schema);
    schemaBox->addWidget(m_schemaStatus);
    auto* schemaLabel = new QLabel(tr("JSON &schema:"), m_form);
    schemaLabel->setBuddy(m_schema);
    sections->addRow(schemaLabel, schemaBox);
}

QGroupBox* PromptEditor::buildVariablesGroup()
{
    auto* varsGroup = new QGroupBox(tr("Variables"), m_form);
    varsGroup->setToolTip(tr("{{name}} in any section is replaced by its value"));
    auto* varsLayout = new QVBoxLayout(varsGroup);
    m_variables = new QTableWidget(0, 2, varsGroup);
    m_variables->setObjectName(QStringLiteral("variablesTable"));
    m_variables->setHorizontalHeaderLabels({tr("Name"), tr("Value")});
    m_variables->horizontalHeader()->setStretchLastSection(true);
    m_variables->verticalHeader()->setVisible(false);
    m_variables->setMaximumHeight(130);
    varsLayout->addWidget(m_variables);
    auto* varButtons = new QHBoxLayout();
    m_addVariableButton = new QPushButton(tr("Add Variable"), varsGroup);
    m_addVariableButton->setObjectName(QStringLiteral("addVariableButton"));
    m_removeVariableButton = new QPushButton(tr("Remove"), varsGroup);
    m_removeVariableButton->setObjectName(QStringLiteral("removeVariableButton"));
    m_unknown = new QLabel(varsGroup);
    m_unknown->setObjectName(QStringLiteral("unknownVariablesLabel"));
    m_unknown->setWordWrap(true);
    m_unknown->setStyleSheet(QStringLiteral("color: #c0392b;"));
    varButtons->addWidget(m_addVariableButton);
    varButtons->addWidget(m_removeVariableButton);
    varButtons->addWidget(m_unknown, 1);
    varsLayout->addLayout(varButtons);
    return varsGroup;
}

QGroupBox* PromptEditor::buildModelGroup()
{
    auto* modelGroup = new QGroupBox(tr("Model"), m_form);
    auto* modelForm = new QFormLayout(modelGroup);
    m_endpoint = new QComboBox(modelGroup);
    m_endpoint->setObjectName(QStringLiteral("endpointCombo"));
    m_endpoint->setToolTip(tr("The endpoint this variant is sent to (Endpoints… adds one)"));
    modelForm->addRow(tr("E&ndpoint:"), m_endpoint);
    m_temperature = new QDoubleSpinBox(modelGroup);
    m_temperature->setObjectName(QStringLiteral("temperatureSpin"));
    m_temperature->setRange(-0.05, 2.0);
    m_temperature->setSingleStep(0.05);
    m_temperature->setDecimals(2);
    m_temperature->setSpecialValueText(tr("default"));
    m_temperature->setValue(m_temperature->minimum());
    m_temperature->setToolTip(tr("Sampling temperature; 0 = greedy; \"default\": the provider's"));
    modelForm->addRow(tr("&Temperature:"), m_temperature);
    m_topP = new QDoubleSpinBox(modelGroup);
    m_topP->setObjectName(QStringLiteral("topPSpin"));
    m_topP->setRange(-0.05, 1.0);
    m_topP->setSingleStep(0.05);
    m_topP->setDecimals(2);
    m_topP->setSpecialValueText(tr("default"));
    m_topP->setValue(m_topP->minimum());
    m_topP->setToolTip(tr("Nucleus sampling: only the most likely tokens covering this probability; \"default\": "
                          "the provider's"));
    modelForm->addRow(tr("Top &p:"), m_topP);
    m_maxTokens = new QSpinBox(modelGroup);
    m_maxTokens->setObjectName(QStringLiteral("maxTokensSpin"));
    m_maxTokens->setRange(0, 131072);
    m_maxTokens->setSpecialValueText(tr("default"));
    m_maxTokens->setToolTip(tr("Most tokens the model may write per answer; \"default\": the endpoint's"));
    modelForm->addRow(tr("&Max tokens:"), m_maxTokens);
    return modelGroup;
}

QGroupBox* PromptEditor::buildFewShotGroup()
{
    auto* shotsGroup = new QGroupBox(tr("Few-shot examples"), m_form);
    shotsGroup->setToolTip(tr("Golden examples shown before the input, in this order"));
    auto* shotsLayout = new QVBoxLayout(shotsGroup);
    m_fewShot = new FewShotPicker(shotsGroup);
    m_fewShot->setMinimumHeight(180);
    shotsLayout->addWidget(m_fewShot);
    return shotsGroup;
}

QFrame* PromptEditor::buildSaveBar(QWidget* parent)
{
    m_saveBar = new QFrame(parent);
    m_saveBar->setObjectName(QStringLiteral("promptSaveBar"));
    m_saveBar->setFrameShape(QFrame::StyledPanel);
    auto* bar = new QHBoxLayout(m_saveBar);
    bar->setContentsMargins(6, 4, 6, 4);
    m_versionLabel = new QLabel(m_saveBar);
    m_versionLabel->setObjectName(QStringLiteral("versionLabel"));
    m_versionLabel->setWordWrap(true);
    m_versionLabel->setMinimumWidth(120); // wraps into lines, not into a column of single words
    m_versionLabel->setTextFormat(Qt::RichText);
    bar->addWidget(m_versionLabel, 1);
    m_historyButton = new QPushButton(tr("&History…"), m_saveBar);
    m_historyButton->setObjectName(QStringLiteral("promptHistoryButton"));
    m_historyButton->setToolTip(tr("Every saved version of this variant, what changed, and restoring one"));
    bar->addWidget(m_historyButton);
    m_discardButton = new QPushButton(tr("Discard"), m_saveBar);
    m_discardButton->setObjectName(QStringLiteral("discardPromptButton"));
    m_discardButton->setToolTip(tr("Put the fields back as the saved version has them"));
    bar->addWidget(m_discardButton);
    m_saveButton = new QPushButton(style()->standardIcon(QStyle::SP_DialogSaveButton), tr("&Save"), m_saveBar);
    m_saveButton->setObjectName(QStringLiteral("savePromptButton"));
    m_saveButton->setToolTip(tr("Save as a new version when something changed (Ctrl+S)"));
    bar->addWidget(m_saveButton);
    return m_saveBar;
}

void PromptEditor::buildSaveAction()
{
    m_saveAction = new QAction(tr("&Save Prompt"), this);
    m_saveAction->setObjectName(QStringLiteral("savePromptAction"));
    m_saveAction->setShortcut(QKeySequence(Qt::CTRL | Qt::Key_S));
    connect(m_saveAction, &QAction::triggered, this, &PromptEditor::save);
    addAction(m_saveAction);
}

void PromptEditor::connectSignals()
{
    connect(m_list, &QListWidget::currentRowChanged, this, &PromptEditor::onCurrentChanged);
    connect(m_newButton, &QPushButton::clicked, this, [this] { newPrompt(); });
    connect(m_duplicateButton, &QPushButton::clicked, this, [this] { duplicatePrompt(); });
    connect(m_deleteButton, &QPushButton::clicked, this, &PromptEditor::deletePrompt);
    connect(m_endpointsButton, &QPushButton::clicked, this, &PromptEditor::endpointsRequested);
    connect(m_saveButton, &QPushButton::clicked, this, &PromptEditor::save);
    connect(m_discardButton, &QPushButton::clicked, this, &PromptEditor::discardChanges);
    connect(m_historyButton, &QPushButton::clicked, this, &PromptEditor::openHistory);
    connect(m_addVariableButton, &QPushButton::clicked, this, [this] { addVariable(); });
    connect(m_removeVariableButton, &QPushButton::clicked, this, &PromptEditor::removeSelectedVariable);
    connect(m_variables, &QTableWidget::itemChanged, this, [this] {
        updateVariables();
        onEdited();
    });
    connect(m_schema, &QPlainTextEdit::textChanged, this, [this] {
        updateSchemaStatus();
        onEdited();
    });
    connect(m_cot, &QCheckBox::toggled, this, &PromptEditor::onEdited);
    connect(m_endpoint, &QComboBox::currentIndexChanged, this, &PromptEditor::onEdited);
    connect(m_temperature, &QDoubleSpinBox::valueChanged, this, &PromptEditor::onEdited);
    connect(m_topP, &QDoubleSpinBox::valueChanged, this, &PromptEditor::onEdited);
    connect(m_maxTokens, &QSpinBox::valueChanged, this, &PromptEditor::onEdited);
    connect(m_fewShot, &FewShotPicker::idsChanged, this, [this] {
        m_fewShotRows.clear();
        onEdited();
    });
    connect(m_preview, &PromptPreview::exampleChanged, this, &PromptEditor::updatePreview);
}

QPlainTextEdit* PromptEditor::makeSectionEdit(const QString& objectName, const QString& tooltip, int lines)
{
    auto* edit = new QPlainTextEdit(m_form);
    edit->setObjectName(objectName);
    edit->setToolTip(tooltip + QLatin1String("\n") + tr("{{name}} inserts a variable from the table below."));
    edit->setTabChangesFocus(true);
    edit->setFixedHeight(edit->fontMetrics().lineSpacing() * lines + 12);
    m_highlighters.append(new VariableHighlighter(edit->document()));
    connect(edit, &QPlainTextEdit::textChanged, this, [this] {
        updateVariables();
        onEdited();
    });
    return edit;
}

void PromptEditor::setProject(ts::Project* project)
{
    m_project = project;
    m_loaded.reset();
    m_shownName.clear();
    m_fewShotRows.clear();
    m_fewShot->setProject(project);
    m_preview->setProject(project);
    reloadEndpoints();
    reloadList({});
    setEnabled(project != nullptr);
}

bool PromptEditor::isLoading() const
{
    return m_fewShot->isLoading() || m_preview->isLoading();
}

void PromptEditor::setShortcutsActive(bool active)
{
    m_saveAction->setEnabled(active);
}

void PromptEditor::reloadEndpoints()
{
    m_loading = true;
    const QString current = m_endpoint->currentData().toString();
    m_endpoint->clear();
    m_endpoint->addItem(tr("(none)"), QString());
    if (auto reader = m_project ? m_project->viewReader() : ts::Expected<ts::Database*>(ts::Error {"no project"});
        reader) {
        auto all = ts::EndpointRepository(**reader).all();
        if (all)
            for (const ts::Endpoint& e : *all)
                m_endpoint->addItem(
                    QStringLiteral("%1 (%2)").arg(fromStd(e.name), fromStd(ts::llm::providerKindName(e.provider.kind))),
                    fromStd(e.name));
    }
    QString wanted = current;
    if (m_loaded)
        wanted = fromStd(m_loaded->variant.endpoint);
    int index = m_endpoint->findData(wanted);
    if (index < 0 && !wanted.isEmpty()) {
        m_endpoint->addItem(tr("%1 (missing)").arg(wanted), wanted);
        index = m_endpoint->count() - 1;
    }
    m_endpoint->setCurrentIndex(std::max(index, 0));
    m_loading = false;
    updatePreview();
}

void PromptEditor::reloadExamples()
{
    m_fewShotRows.clear();
    m_fewShot->reload();
    m_preview->reloadExamples();
    updatePreview();
}

void PromptEditor::reloadList(const QString& select)
{
    QSignalBlocker block(m_list);
    m_list->clear();
    int row = -1;
    if (auto reader = m_project ? m_project->viewReader() : ts::Expected<ts::Database*>(ts::Error {"no project"});
        reader) {
        ts::PromptRepository repo(**reader);
        auto names = repo.names();
        if (names)
            for (const std::string& name : *names) {
                auto latest = repo.latest(name);
                const int version = latest && *latest ? (*latest)->version : 0;
                auto* item = new QListWidgetItem(listEntryText(fromStd(name), version, false), m_list);
                item->setData(kNameRole, fromStd(name));
                item->setData(kVersionRole, version);
                item->setToolTip(tr("%1, version %2").arg(fromStd(name)).arg(version));
                if (fromStd(name) == select)
                    row = m_list->count() - 1;
            }
    }
    if (row < 0 && m_list->count() > 0)
        row = 0;
    m_list->setCurrentRow(row);
    block.unblock();
    const QString name = row >= 0 ? m_list->item(row)->data(kNameRole).toString() : QString();
    if (name != m_shownName || !m_loaded) {
        m_shownName = name;
        m_loaded.reset();
        auto reader = !name.isEmpty() && m_project ? m_project->viewReader()
                                                   : ts::Expected<ts::Database*>(ts::Error {"nothing to read"});
        if (reader) {
            auto latest = ts::PromptRepository(**reader).latest(name.toStdString());
            if (latest && *latest)
                m_loaded = **latest;
        }
        m_loading = true;
        setVariant(m_loaded ? m_loaded->variant : ts::promptlab::PromptVariant {});
        m_loading = false;
    }
    m_form->setEnabled(m_loaded.has_value());
    m_duplicateButton->setEnabled(m_loaded.has_value());
    m_deleteButton->setEnabled(m_loaded.has_value());
    updateSaveState();
    updatePreview();
}

void PromptEditor::onCurrentChanged()
{
    const int row = m_list->currentRow();
    const QString name = row >= 0 ? m_list->item(row)->data(kNameRole).toString() : QString();
    if (name == m_shownName)
        return;
    if (!confirmLeave()) {
        QSignalBlocker block(m_list);
        for (int i = 0; i < m_list->count(); ++i)
            if (m_list->item(i)->data(kNameRole).toString() == m_shownName)
                m_list->setCurrentRow(i);
        return;
    }
    m_loaded.reset();
    reloadList(name);
}

bool PromptEditor::confirmLeave()
{
    if (!m_loaded || !isModified())
        return true;
    const auto answer
        = Dialogs::question(this, tr("Unsaved Changes"),
                            tr("\"%1\" has changes that are not saved. Save them as a new version?").arg(m_shownName),
                            QMessageBox::Save | QMessageBox::Discard | QMessageBox::Cancel, QMessageBox::Save);
    if (answer == QMessageBox::Cancel)
        return false;
    if (answer == QMessageBox::Save)
        return save();
    return true;
}

bool PromptEditor::selectPrompt(const QString& name)
{
    for (int i = 0; i < m_list->count(); ++i)
        if (m_list->item(i)->data(kNameRole).toString() == name) {
            m_list->setCurrentRow(i);
            return m_shownName == name;
        }
    return false;
}

QString PromptEditor::currentName() const
{
    return m_loaded ? fromStd(m_loaded->name) : QString();
}

int PromptEditor::currentVersion() const
{
    return m_loaded ? m_loaded->version : 0;
}

std::optional<ts::promptlab::PromptVariant> PromptEditor::variant(QString* error) const
{
    ts::promptlab::PromptVariant v;
    v.role = trimmedStd(text(m_role));
    v.instructions = trimmedStd(text(m_instructions));
    for (const QString& line : text(m_constraints).split(QLatin1Char('\n'))) {
        QString c = line.trimmed();
        if (c.startsWith(QLatin1String("- ")))
            c = c.mid(2).trimmed();
        if (!c.isEmpty())
            v.constraints.push_back(c.toStdString());
    }
    v.audience = trimmedStd(text(m_audience));
    v.outputFormat = trimmedStd(text(m_outputFormat));
    const QString schema = text(m_schema).trimmed();
    if (!schema.isEmpty()) {
        auto parsed = nlohmann::json::parse(schema.toStdString(), nullptr, false);
        if (parsed.is_discarded()) {
            if (error)
                *error = tr("The JSON schema is not valid JSON.");
            return std::nullopt;
        }
        v.jsonSchema = std::move(parsed);
    }
    v.chainOfThought = m_cot->isChecked();
    for (qint64 id : m_fewShot->ids())
        v.fewShotIds.push_back(id);
    for (int r = 0; r < m_variables->rowCount(); ++r) {
        const QTableWidgetItem* name = m_variables->item(r, 0);
        const QTableWidgetItem* value = m_variables->item(r, 1);
        if (name && !name->text().trimmed().isEmpty())
            v.variables[trimmedStd(name->text())] = value ? value->text().toStdString() : std::string();
    }
    v.endpoint = m_endpoint->currentData().toString().toStdString();
    if (m_temperature->value() > m_temperature->minimum())
        v.sampling.temperature = m_temperature->value();
    if (m_topP->value() > m_topP->minimum())
        v.sampling.topP = m_topP->value();
    if (m_maxTokens->value() > 0)
        v.sampling.maxTokens = m_maxTokens->value();
    v.sampling.stop = m_stop;
    return v;
}

void PromptEditor::setVariant(const ts::promptlab::PromptVariant& v)
{
    const bool wasLoading = m_loading;
    m_loading = true;
    m_role->setPlainText(fromStd(v.role));
    m_instructions->setPlainText(fromStd(v.instructions));
    QStringList constraints;
    for (const auto& c : v.constraints)
        constraints.append(fromStd(c));
    m_constraints->setPlainText(constraints.join(QLatin1Char('\n')));
    m_audience->setPlainText(fromStd(v.audience));
    m_outputFormat->setPlainText(fromStd(v.outputFormat));
    m_schema->setPlainText(v.jsonSchema ? fromStd(v.jsonSchema->dump(2)) : QString());
    m_cot->setChecked(v.chainOfThought);
    m_variables->setRowCount(0);
    for (const auto& [name, value] : v.variables)
        addVariable(fromStd(name), fromStd(value));
    int index = m_endpoint->findData(fromStd(v.endpoint));
    if (index < 0 && !v.endpoint.empty()) {
        m_endpoint->addItem(tr("%1 (missing)").arg(fromStd(v.endpoint)), fromStd(v.endpoint));
        index = m_endpoint->count() - 1;
    }
    m_endpoint->setCurrentIndex(std::max(index, 0));
    m_temperature->setValue(v.sampling.temperature.value_or(m_temperature->minimum()));
    m_topP->setValue(v.sampling.topP.value_or(m_topP->minimum()));
    m_maxTokens->setValue(v.sampling.maxTokens.value_or(0));
    m_stop = v.sampling.stop;
    m_fewShot->setIds(QList<qint64>(v.fewShotIds.begin(), v.fewShotIds.end()));
    m_fewShotRows.clear();
    m_loading = wasLoading;
    updateVariables();
    updateSchemaStatus();
    onEdited();
}

bool PromptEditor::isModified() const
{
    if (!m_loaded)
        return false;
    const auto v = variant();
    return !v || !(*v == m_loaded->variant);
}

QStringList PromptEditor::unknownVariables() const
{
    QSet<QString> known;
    for (int r = 0; r < m_variables->rowCount(); ++r)
        if (const QTableWidgetItem* name = m_variables->item(r, 0))
            known.insert(name->text().trimmed());
    QStringList unknown;
    for (const QPlainTextEdit* edit : {m_role, m_instructions, m_constraints, m_audience, m_outputFormat})
        for (const QString& name : VariableHighlighter::variablesIn(text(edit)))
            if (!known.contains(name) && !unknown.contains(name))
                unknown.append(name);
    return unknown;
}

void PromptEditor::updateVariables()
{
    QSet<QString> known;
    for (int r = 0; r < m_variables->rowCount(); ++r)
        if (const QTableWidgetItem* name = m_variables->item(r, 0))
            known.insert(name->text().trimmed());
    for (VariableHighlighter* h : std::as_const(m_highlighters))
        h->setKnownVariables(known);
    QStringList unknown = unknownVariables();
    for (QString& name : unknown)
        name = QStringLiteral("{{%1}}").arg(name);
    m_unknown->setText(unknown.isEmpty() ? QString() : tr("Unknown: %1").arg(unknown.join(QLatin1String(", "))));
}

void PromptEditor::addVariable(const QString& name, const QString& value)
{
    const int row = m_variables->rowCount();
    m_variables->insertRow(row);
    m_variables->setItem(row, 0, new QTableWidgetItem(name));
    m_variables->setItem(row, 1, new QTableWidgetItem(value));
    if (m_loading)
        return;
    updateVariables();
    onEdited();
    if (name.isEmpty())
        m_variables->editItem(m_variables->item(row, 0));
}

void PromptEditor::removeSelectedVariable()
{
    const int row = m_variables->currentRow();
    if (row < 0)
        return;
    m_variables->removeRow(row);
    updateVariables();
    onEdited();
}

void PromptEditor::updateSchemaStatus()
{
    const QString schema = text(m_schema).trimmed();
    QString message;
    bool ok = true;
    if (schema.isEmpty()) {
        message = tr("No schema.");
    } else {
        auto parsed = nlohmann::json::parse(schema.toStdString(), nullptr, false);
        if (parsed.is_discarded()) {
            ok = false;
            message = tr("Not valid JSON.");
        } else if (auto checked = ts::eval::checkSchema(parsed); !checked) {
            ok = false;
            message = tr("Not a usable schema: %1").arg(fromStd(checked.error().message));
        } else {
            message = tr("Valid schema.");
        }
    }
    m_schemaStatus->setText(message);
    m_schemaStatus->setStyleSheet(ok ? QString() : QStringLiteral("color: #c0392b;"));
    m_schemaStatus->setProperty("valid", ok);
}

void PromptEditor::onEdited()
{
    if (m_loading)
        return;
    updateSaveState();
    m_previewTimer.start();
}

void PromptEditor::updateSaveState()
{
    const bool modified = m_loaded && isModified();
    if (!m_loaded) {
        m_versionLabel->setText(m_project ? tr("Add a prompt variant with New.") : QString());
    } else if (modified) {
        m_versionLabel->setText(tr("<b>%1 v%2 \u2022 unsaved changes</b> \u2014 Save (Ctrl+S) keeps them as v%3")
                                    .arg(fromStd(m_loaded->name).toHtmlEscaped())
                                    .arg(m_loaded->version)
                                    .arg(m_loaded->version + 1));
    } else {
        m_versionLabel->setText(
            tr("%1 v%2 \u2014 saved %3")
                .arg(fromStd(m_loaded->name).toHtmlEscaped())
                .arg(m_loaded->version)
                .arg(QDateTime::fromMSecsSinceEpoch(m_loaded->createdAt).toString(QStringLiteral("yyyy-MM-dd HH:mm"))));
    }
    m_saveBar->setStyleSheet(modified ? QStringLiteral("QFrame#promptSaveBar { background: #fff3cd; }") : QString());
    m_discardButton->setEnabled(modified);
    m_discardButton->setToolTip(m_loaded ? tr("Put the fields back as v%1 has them").arg(m_loaded->version)
                                         : QString());
    m_historyButton->setEnabled(m_loaded.has_value());
    for (int i = 0; i < m_list->count(); ++i) {
        QListWidgetItem* item = m_list->item(i);
        const QString name = item->data(kNameRole).toString();
        const int version = item->data(kVersionRole).toInt();
        const bool marked = modified && name == m_shownName;
        const QString entry = listEntryText(name, version, marked);
        if (item->text() == entry)
            continue;
        item->setText(entry);
        item->setToolTip(marked ? tr("%1, version %2, with unsaved changes").arg(name).arg(version)
                                : tr("%1, version %2").arg(name).arg(version));
    }
    if (m_history && (!m_loaded || m_history->promptName() != m_shownName))
        m_history->close(); // another variant is shown now
    if (m_history && m_loaded)
        if (const auto v = variant())
            m_history->setCurrent(*v, modified);
    if (modified != m_modified) {
        m_modified = modified;
        emit modifiedChanged(modified);
    }
}

PromptHistoryDialog* PromptEditor::historyDialog() const
{
    return m_history.data();
}

void PromptEditor::discardChanges()
{
    if (!m_loaded)
        return;
    setVariant(m_loaded->variant);
    updatePreview();
    emit statusMessage(
        tr("Discarded the changes to %1; v%2 as saved.").arg(fromStd(m_loaded->name)).arg(m_loaded->version));
}

void PromptEditor::openHistory()
{
    if (!m_project || !m_loaded)
        return;
    if (m_history && m_history->promptName() == m_shownName) {
        m_history->raise();
        m_history->activateWindow();
        return;
    }
    if (m_history)
        m_history->close();
    auto* dialog = new PromptHistoryDialog(m_project, fromStd(m_loaded->name), this);
    dialog->setAttribute(Qt::WA_DeleteOnClose);
    connect(dialog, &PromptHistoryDialog::restoreRequested, this, &PromptEditor::restoreVersion);
    m_history = dialog;
    updateSaveState();
    dialog->show();
}

bool PromptEditor::restoreVersion(int version)
{
    if (!m_project || !m_loaded)
        return false;
    const QString name = fromStd(m_loaded->name);
    if (isModified()) {
        const auto answer = Dialogs::question(
            this, tr("Restore Version"),
            tr("\"%1\" has unsaved changes. Restoring v%2 drops them. Restore anyway?").arg(name).arg(version),
            QMessageBox::Yes | QMessageBox::Cancel, QMessageBox::Cancel);
        if (answer != QMessageBox::Yes)
            return false;
    }
    ts::Expected<ts::PromptVersion> saved = ts::makeError("not restored");
    {
        auto lock = m_project->writeLock();
        ts::PromptRepository repo(m_project->writer());
        auto old = repo.version(m_loaded->name, version);
        if (!old)
            saved = old.error();
        else if (!*old)
            saved = ts::makeError("there is no v" + std::to_string(version));
        else
            saved = repo.save(m_loaded->name, (*old)->variant);
    }
    if (!saved) {
        Dialogs::warning(
            this, tr("Restore Version"),
            tr("v%1 of \"%2\" could not be restored.\n\n%3").arg(version).arg(name, fromStd(saved.error().message)));
        return false;
    }
    const bool changed = saved->version != m_loaded->version;
    m_loaded = *saved;
    setVariant(saved->variant);
    if (changed) {
        reloadList(name);
        emit promptsChanged();
        emit statusMessage(tr("Restored v%1 of %2 as v%3.").arg(version).arg(name).arg(saved->version));
    } else {
        emit statusMessage(tr("v%1 of %2 is already the newest version.").arg(version).arg(name));
    }
    updateSaveState();
    if (m_history)
        m_history->reload();
    return true;
}

QString PromptEditor::localModelDir(const std::string& endpoint) const
{
    if (!m_project || endpoint.empty())
        return {};
    auto reader = m_project->viewReader();
    if (!reader)
        return {};
    auto e = ts::EndpointRepository(**reader).get(endpoint);
    if (!e || !*e || (*e)->provider.kind != ts::llm::ProviderKind::Local)
        return {};
    return fromStd((*e)->provider.model);
}

void PromptEditor::updatePreview()
{
    m_previewTimer.stop();
    if (!m_project)
        return;
    QString error;
    const auto v = variant(&error);
    if (!v) {
        m_preview->render(ts::promptlab::PromptVariant {}, {}, {});
        return;
    }
    if (m_fewShotRows.size() != v->fewShotIds.size()) {
        auto reader = m_project->viewReader();
        auto rows = reader ? ts::ExampleRepository(**reader).getMany(v->fewShotIds)
                           : ts::Expected<std::vector<ts::Example>>(reader.error());
        m_fewShotRows = rows ? std::move(*rows) : std::vector<ts::Example> {};
    }
    m_preview->render(*v, m_fewShotRows, localModelDir(v->endpoint));
}

bool PromptEditor::save()
{
    if (!m_project || !m_loaded)
        return false;
    QString error;
    const auto v = variant(&error);
    if (!v) {
        emit statusMessage(tr("Not saved: %1").arg(error));
        return false;
    }
    const int before = m_loaded->version;
    ts::Expected<ts::PromptVersion> saved = ts::makeError("not saved");
    {
        auto lock = m_project->writeLock();
        saved = ts::PromptRepository(m_project->writer()).save(m_loaded->name, *v);
    }
    if (!saved) {
        Dialogs::warning(this, tr("Save Prompt"),
                         tr("The prompt could not be saved.\n\n%1").arg(fromStd(saved.error().message)));
        return false;
    }
    m_loaded = *saved;
    const QString name = fromStd(saved->name);
    if (saved->version == before) {
        emit statusMessage(tr("No changes: %1 stays at v%2.").arg(name).arg(before));
    } else {
        emit statusMessage(tr("Saved %1 v%2.").arg(name).arg(saved->version));
        reloadList(name);
        emit promptsChanged();
        if (m_history)
            m_history->reload();
    }
    updateSaveState();
    return true;
}

QString PromptEditor::askName(const QString& title, const QString& suggestion)
{
    bool ok = false;
    const QString name
        = Dialogs::getText(this, title, tr("Name (e.g. \"A\", \"concise\"):"), suggestion, &ok).trimmed();
    return ok ? name : QString();
}

bool PromptEditor::newPrompt(const QString& nameIn)
{
    if (!m_project || !confirmLeave())
        return false;
    QString name = nameIn.isEmpty() ? askName(tr("New Prompt Variant"), QString()) : nameIn;
    if (name.isEmpty())
        return false;
    ts::promptlab::PromptVariant v;
    if (m_endpoint->count() > 1)
        v.endpoint = m_endpoint->itemData(1).toString().toStdString();
    return createAs(name, v);
}

bool PromptEditor::duplicatePrompt(const QString& nameIn)
{
    if (!m_project || !m_loaded)
        return false;
    QString error;
    const auto v = variant(&error);
    if (!v) {
        emit statusMessage(tr("Not duplicated: %1").arg(error));
        return false;
    }
    const QString name = nameIn.isEmpty() ? askName(tr("Duplicate Prompt Variant"), m_shownName + tr(" copy")) : nameIn;
    if (name.isEmpty())
        return false;
    return createAs(name, *v);
}

bool PromptEditor::createAs(const QString& name, const ts::promptlab::PromptVariant& v)
{
    ts::Expected<ts::PromptVersion> saved = ts::makeError("not saved");
    {
        auto lock = m_project->writeLock();
        ts::PromptRepository repo(m_project->writer());
        auto existing = repo.latest(name.toStdString());
        if (existing && *existing) {
            Dialogs::warning(this, tr("Prompt Variants"),
                             tr("A prompt variant named \"%1\" already exists.").arg(name));
            return false;
        }
        saved = repo.save(name.toStdString(), v);
    }
    if (!saved) {
        Dialogs::warning(this, tr("Prompt Variants"),
                         tr("\"%1\" could not be created.\n\n%2").arg(name, fromStd(saved.error().message)));
        return false;
    }
    m_loaded.reset();
    m_shownName.clear();
    reloadList(name);
    emit promptsChanged();
    emit statusMessage(tr("Added %1 v1.").arg(name));
    return true;
}

bool PromptEditor::deletePrompt()
{
    if (!m_project || !m_loaded)
        return false;
    const QString name = fromStd(m_loaded->name);
    const auto answer
        = Dialogs::question(this, tr("Delete Prompt Variant"),
                            tr("Delete \"%1\" and all its versions? Runs that used it keep their results.").arg(name),
                            QMessageBox::Yes | QMessageBox::No, QMessageBox::No);
    if (answer != QMessageBox::Yes)
        return false;
    ts::Status removed;
    {
        auto lock = m_project->writeLock();
        removed = ts::PromptRepository(m_project->writer()).remove(name.toStdString());
    }
    if (!removed) {
        Dialogs::warning(this, tr("Delete Prompt Variant"),
                         tr("\"%1\" could not be deleted.\n\n%2").arg(name, fromStd(removed.error().message)));
        return false;
    }
    m_loaded.reset();
    m_shownName.clear();
    reloadList({});
    emit promptsChanged();
    emit statusMessage(tr("Deleted %1.").arg(name));
    return true;
}

} // namespace ts::ui
