// ExampleEditor: form over one example; pending text is committed as undoable edits.
#include "examples/example_editor.h"

#include <QComboBox>
#include <QDateTime>
#include <QEvent>
#include <QFormLayout>
#include <QHBoxLayout>
#include <QLabel>
#include <QLineEdit>
#include <QLocale>
#include <QPlainTextEdit>
#include <QPushButton>
#include <QTextCursor>
#include <QUndoStack>
#include <QVBoxLayout>

#include "examples/examples_model.h"
#include "examples/json_output_check.h"
#include "examples/undo/edit_example_command.h"

namespace ts::ui {

namespace {

QPlainTextEdit* makeTextEdit(QWidget* parent, const QString& objectName, const QString& hint)
{
    auto* edit = new QPlainTextEdit(parent);
    edit->setObjectName(objectName);
    edit->setPlaceholderText(hint);
    edit->setTabChangesFocus(true);
    return edit;
}

void setTextIfDifferent(QPlainTextEdit* edit, const QString& text)
{
    // Re-setting equal text would reset the cursor and the widget's own undo history.
    if (edit->toPlainText() != text)
        edit->setPlainText(text);
}

QLabel* sectionLabel(const QString& text, QWidget* parent)
{
    auto* label = new QLabel(text, parent);
    QFont font = label->font();
    font.setBold(true);
    label->setFont(font);
    return label;
}

} // namespace

ExampleEditor::ExampleEditor(QWidget* parent)
    : QWidget(parent)
{
    setObjectName(QStringLiteral("editorPanel"));
    m_idle.setSingleShot(true);
    m_idle.setInterval(kIdleCommitMs);
    connect(&m_idle, &QTimer::timeout, this, &ExampleEditor::commit);

    auto* layout = new QVBoxLayout(this);
    layout->setContentsMargins(8, 0, 0, 0);

    m_header = new QLabel(this);
    m_header->setObjectName(QStringLiteral("editorHeader"));
    QFont headerFont = m_header->font();
    headerFont.setBold(true);
    headerFont.setPointSizeF(headerFont.pointSizeF() * 1.15);
    m_header->setFont(headerFont);
    layout->addWidget(m_header);

    m_turnsNote = new QLabel(this);
    m_turnsNote->setObjectName(QStringLiteral("turnsNote"));
    m_turnsNote->setWordWrap(true);
    m_turnsNote->setVisible(false);
    layout->addWidget(m_turnsNote);

    m_system = makeTextEdit(this, QStringLiteral("systemEdit"), tr("Optional system prompt"));
    m_input = makeTextEdit(this, QStringLiteral("inputEdit"), tr("What the user sends"));
    m_output = makeTextEdit(this, QStringLiteral("outputEdit"), tr("The answer the model should give"));
    m_system->setMaximumHeight(90);

    auto* systemLabel = sectionLabel(tr("System"), this);
    systemLabel->setBuddy(m_system);
    layout->addWidget(systemLabel);
    layout->addWidget(m_system, 1);
    auto* inputLabel = sectionLabel(tr("Input"), this);
    inputLabel->setBuddy(m_input);
    layout->addWidget(inputLabel);
    layout->addWidget(m_input, 3);
    auto* outputLabel = sectionLabel(tr("Ideal output"), this);
    outputLabel->setBuddy(m_output);
    m_formatJson = new QPushButton(tr("&Format JSON"), this);
    m_formatJson->setObjectName(QStringLiteral("formatJsonButton"));
    m_formatJson->setToolTip(tr("Indent the JSON output by 2 spaces, keys in their order (undoable)"));
    auto* outputHeader = new QHBoxLayout();
    outputHeader->addWidget(outputLabel, 1);
    outputHeader->addWidget(m_formatJson);
    layout->addLayout(outputHeader);
    layout->addWidget(m_output, 4);
    m_jsonStatus = new QLabel(this);
    m_jsonStatus->setObjectName(QStringLiteral("outputJsonStatus"));
    m_jsonStatus->setWordWrap(true);
    m_jsonStatus->setTextInteractionFlags(Qt::TextSelectableByMouse);
    layout->addWidget(m_jsonStatus);

    auto* form = new QFormLayout();
    form->setContentsMargins(0, 4, 0, 0);
    m_split = new QComboBox(this);
    m_split->setObjectName(QStringLiteral("splitCombo"));
    for (auto split : {ts::Split::Train, ts::Split::Eval, ts::Split::Test}) {
        const auto name = QString::fromUtf8(ts::splitName(split).data(), qsizetype(ts::splitName(split).size()));
        m_split->addItem(name, name);
    }
    m_tags = new QLineEdit(this);
    m_tags->setObjectName(QStringLiteral("tagsEdit"));
    m_tags->setPlaceholderText(tr("Comma-separated, e.g. billing, refund"));
    form->addRow(tr("&Split:"), m_split);
    form->addRow(tr("T&ags:"), m_tags);
    layout->addLayout(form);

    m_meta = new QLabel(this);
    m_meta->setObjectName(QStringLiteral("metaLabel"));
    m_meta->setEnabled(false);
    m_meta->setWordWrap(true);
    layout->addWidget(m_meta);

    for (QPlainTextEdit* edit : {m_system, m_input, m_output}) {
        connect(edit, &QPlainTextEdit::textChanged, this, &ExampleEditor::markDirty);
        edit->installEventFilter(this);
    }
    connect(m_output, &QPlainTextEdit::textChanged, this, &ExampleEditor::checkJson);
    connect(m_formatJson, &QPushButton::clicked, this, &ExampleEditor::formatJson);
    connect(m_tags, &QLineEdit::textEdited, this, &ExampleEditor::markDirty);
    connect(m_tags, &QLineEdit::editingFinished, this, &ExampleEditor::commit);
    m_tags->installEventFilter(this);
    connect(m_split, &QComboBox::currentIndexChanged, this, [this] {
        if (m_loading)
            return;
        m_dirty = true;
        commit();
    });
    showExample(0);
}

void ExampleEditor::setModel(ExamplesModel* model)
{
    if (m_model)
        disconnect(m_model.data(), nullptr, this, nullptr);
    m_model = model;
    if (m_model) {
        connect(model, &QAbstractItemModel::dataChanged, this, &ExampleEditor::onRowsChanged);
        connect(model, &QAbstractItemModel::modelReset, this, &ExampleEditor::onModelReset);
        connect(model, &QAbstractItemModel::rowsRemoved, this, &ExampleEditor::onModelReset);
    }
    showExample(0);
}

void ExampleEditor::showExample(int64_t id)
{
    if (id == m_id && id != 0)
        return;
    commit();
    m_id = id;
    load();
}

void ExampleEditor::setReadOnly(bool readOnly)
{
    if (readOnly)
        commit();
    m_readOnly = readOnly;
    load();
}

void ExampleEditor::focusInput()
{
    m_input->setFocus(Qt::OtherFocusReason);
}

void ExampleEditor::load()
{
    m_idle.stop();
    m_dirty = false;
    const std::optional<ts::Example> example = (m_model && m_id) ? m_model->exampleById(m_id) : std::nullopt;
    if (!example)
        m_id = 0;
    m_loading = true;
    const bool enabled = example.has_value();
    for (QPlainTextEdit* edit : {m_system, m_input, m_output}) {
        edit->setEnabled(enabled);
        edit->setReadOnly(m_readOnly);
    }
    m_tags->setEnabled(enabled);
    m_tags->setReadOnly(m_readOnly);
    m_split->setEnabled(enabled && !m_readOnly);
    if (!example) {
        m_header->setText(tr("No example selected"));
        for (QPlainTextEdit* edit : {m_system, m_input, m_output})
            edit->clear();
        m_tags->clear();
        m_turnsNote->setVisible(false);
        m_meta->clear();
        m_loading = false;
        checkJson();
        return;
    }
    m_header->setText(tr("Example %1").arg(example->id));
    setTextIfDifferent(m_system, QString::fromStdString(example->system()));
    setTextIfDifferent(m_input, QString::fromStdString(example->input()));
    setTextIfDifferent(m_output, QString::fromStdString(example->output()));
    m_split->setCurrentIndex(m_split->findData(
        QString::fromUtf8(ts::splitName(example->split).data(), qsizetype(ts::splitName(example->split).size()))));
    const QString tags = QString::fromStdString(ts::joinTags(example->tags));
    if (ts::parseTagList(m_tags->text().toStdString()) != example->tags)
        m_tags->setText(tags);

    // Messages beyond the first system, last user and last assistant message are earlier turns.
    int shown = 0;
    shown += example->system().empty() ? 0 : 1;
    bool hasUser = false;
    bool hasAssistant = false;
    for (const auto& m : example->messages) {
        hasUser = hasUser || m.role == "user";
        hasAssistant = hasAssistant || m.role == "assistant";
    }
    shown += (hasUser ? 1 : 0) + (hasAssistant ? 1 : 0);
    const int earlier = static_cast<int>(example->messages.size()) - shown;
    if (earlier > 0) {
        m_turnsNote->setText(
            earlier == 1
                ? tr("This conversation has 1 earlier message. It is kept as it is; you are editing the last turn.")
                : tr("This conversation has %1 earlier messages. They are kept as they are; you are editing the "
                     "last turn.")
                      .arg(earlier));
        m_turnsNote->setVisible(true);
    } else {
        m_turnsNote->setVisible(false);
    }
    const QString source = ExamplesModel::sourceLabel(example->source);
    m_meta->setText(
        tr("Source: %1 · Last edited: %2")
            .arg(source, QLocale().toString(QDateTime::fromMSecsSinceEpoch(example->updatedAt), QLocale::ShortFormat)));
    m_loading = false;
    checkJson();
}

void ExampleEditor::checkJson()
{
    const JsonOutputCheck check = checkJsonOutput(m_output->toPlainText());
    const bool canFormat = check.valid && check.formatted != m_output->toPlainText();
    m_formatJson->setVisible(check.looksLikeJson);
    m_formatJson->setEnabled(canFormat && !m_readOnly && m_id != 0);
    if (!check.looksLikeJson) {
        m_jsonStatus->clear();
        m_jsonStatus->setVisible(false);
        return;
    }
    m_jsonStatus->setVisible(true);
    if (check.valid) {
        m_jsonStatus->setStyleSheet(QString());
        m_jsonStatus->setText(tr("Valid JSON."));
    } else {
        m_jsonStatus->setStyleSheet(QStringLiteral("QLabel { color: #c0392b; }"));
        m_jsonStatus->setText(tr("Not valid JSON. %1").arg(check.problem));
    }
    layout()->activate(); // the wrapped message gets its height now, not after the next layout pass
}

QString ExampleEditor::jsonProblem() const
{
    const JsonOutputCheck check = checkJsonOutput(m_output->toPlainText());
    return check.looksLikeJson && !check.valid ? check.problem : QString();
}

void ExampleEditor::formatJson()
{
    if (!m_id || m_readOnly)
        return;
    const JsonOutputCheck check = checkJsonOutput(m_output->toPlainText());
    if (!check.valid || check.formatted == m_output->toPlainText())
        return;
    // Through the cursor, so the field's own Ctrl+Z can take it back too; then one step on the undo stack.
    commit(); // what was typed before stays a step of its own
    QTextCursor cursor(m_output->document());
    cursor.select(QTextCursor::Document);
    cursor.insertText(check.formatted);
    m_ownStep = true;
    commit();
    m_ownStep = false;
}

void ExampleEditor::markDirty()
{
    if (m_loading || !m_id)
        return;
    m_dirty = true;
    m_idle.start();
}

void ExampleEditor::commit()
{
    m_idle.stop();
    if (!m_dirty || !m_model || !m_id || !m_model->undoStack() || m_readOnly) {
        m_dirty = false;
        return;
    }
    m_dirty = false;
    const std::optional<ts::Example> before = m_model->exampleById(m_id);
    if (!before)
        return;
    ts::Example after = *before;
    after.setSystem(m_system->toPlainText().toStdString());
    after.setInput(m_input->toPlainText().toStdString());
    after.setOutput(m_output->toPlainText().toStdString());
    if (const auto split = ts::splitFromName(m_split->currentData().toString().toStdString()))
        after.split = *split;
    after.tags = ts::parseTagList(m_tags->text().toStdString());
    if (after.sameContent(*before))
        return;
    const bool typing = after.split == before->split && after.tags == before->tags && !m_ownStep;
    m_ownStep = false;
    m_model->undoStack()->push(new EditExampleCommand(*m_model, *before, after, typing));
}

bool ExampleEditor::eventFilter(QObject* watched, QEvent* event)
{
    if (event->type() == QEvent::FocusOut)
        commit();
    return QWidget::eventFilter(watched, event);
}

void ExampleEditor::onRowsChanged(const QModelIndex& topLeft, const QModelIndex& bottomRight)
{
    if (!m_id || m_dirty)
        return;
    for (int row = topLeft.row(); row <= bottomRight.row(); ++row) {
        if (m_model->idAt(row) == m_id) {
            load();
            return;
        }
    }
}

void ExampleEditor::onModelReset()
{
    if (!m_id || m_dirty)
        return;
    if (m_model->rowOf(m_id) < 0 && !m_model->exampleById(m_id))
        showExample(0);
}

} // namespace ts::ui
