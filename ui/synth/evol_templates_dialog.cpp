// EvolTemplatesDialog: an operation picker over one text editor; the texts load from a reader of its own and are
// saved with the project's write lock held, both on the work pool.
#include "synth/evol_templates_dialog.h"

#include <memory>

#include <QComboBox>
#include <QDialogButtonBox>
#include <QFormLayout>
#include <QLabel>
#include <QPlainTextEdit>
#include <QPushButton>
#include <QVBoxLayout>

#include <nlohmann/json.hpp>

#include "bridge/background_task.h"
#include "bridge/path_conversion.h"
#include "store/project.h"

namespace ts::ui {

namespace {

using Loaded = ts::Expected<ts::synth::EvolTemplates>;

Loaded readTemplates(ts::Database& reader)
{
    auto stored = ts::Project::readMeta(reader, ts::synth::kEvolTemplatesKey);
    if (!stored)
        return stored.error();
    if (stored->empty())
        return ts::synth::defaultEvolTemplates();
    auto parsed = nlohmann::json::parse(*stored, nullptr, false);
    if (parsed.is_discarded())
        return ts::makeError("the stored templates are not valid JSON");
    return ts::synth::evolTemplatesFromJson(parsed);
}

QString versionText(int version)
{
    return version == 0 ? EvolTemplatesDialog::tr("Built-in templates (never edited)")
                        : EvolTemplatesDialog::tr("Version %1").arg(version);
}

} // namespace

EvolTemplatesDialog::EvolTemplatesDialog(ts::Project& project, QWidget* parent)
    : QDialog(parent)
    , m_project(project)
{
    setObjectName(QStringLiteral("evolTemplatesDialog"));
    setWindowTitle(tr("Evolution Templates"));
    resize(680, 480);
    auto* layout = new QVBoxLayout(this);
    auto* intro = new QLabel(tr("The prompt the teacher gets for each operation. {instruction} stands for the "
                                "instruction to evolve (required) and {format} for a note on the answer's form. "
                                "Runs keep a copy of the texts they started with; each row records the version."),
                             this);
    intro->setWordWrap(true);
    layout->addWidget(intro);
    auto* form = new QFormLayout();
    m_operation = new QComboBox(this);
    m_operation->setObjectName(QStringLiteral("templateOperationCombo"));
    for (auto op : ts::synth::kEvolOperations)
        m_operation->addItem(fromStd(ts::synth::evolOperationName(op)));
    form->addRow(tr("&Operation:"), m_operation);
    m_version = new QLabel(tr("Loading…"), this);
    m_version->setObjectName(QStringLiteral("templateVersionLabel"));
    form->addRow(tr("Stored:"), m_version);
    layout->addLayout(form);
    m_text = new QPlainTextEdit(this);
    m_text->setObjectName(QStringLiteral("templateTextEdit"));
    m_text->setLineWrapMode(QPlainTextEdit::WidgetWidth);
    layout->addWidget(m_text, 1);
    m_error = new QLabel(this);
    m_error->setObjectName(QStringLiteral("templateErrorLabel"));
    m_error->setWordWrap(true);
    m_error->setVisible(false);
    layout->addWidget(m_error);
    m_buttons = new QDialogButtonBox(QDialogButtonBox::Save | QDialogButtonBox::Cancel, this);
    m_reset = m_buttons->addButton(tr("&Built-in Text"), QDialogButtonBox::ResetRole);
    m_reset->setObjectName(QStringLiteral("templateResetButton"));
    m_reset->setToolTip(tr("Put this operation's built-in text in the editor (saved with Save)"));
    layout->addWidget(m_buttons);
    m_buttons->setEnabled(false);
    m_text->setEnabled(false);

    connect(m_operation, &QComboBox::currentIndexChanged, this, &EvolTemplatesDialog::showOperation);
    connect(m_buttons, &QDialogButtonBox::accepted, this, &EvolTemplatesDialog::save);
    connect(m_buttons, &QDialogButtonBox::rejected, this, &QDialog::reject);
    connect(m_reset, &QPushButton::clicked, this, [this] {
        m_text->setPlainText(fromStd(ts::synth::defaultEvolTemplate(ts::synth::kEvolOperations[m_shown])));
    });

    auto opened = m_project.openReader();
    if (!opened) {
        setError(tr("The project cannot be read: %1").arg(fromStd(opened.error().message)));
        return;
    }
    auto reader = std::make_shared<ts::Database>(std::move(*opened));
    runInBackground<std::shared_ptr<Loaded>>(
        this, [reader] { return std::make_shared<Loaded>(readTemplates(*reader)); },
        [this](const std::shared_ptr<Loaded>& loaded) {
            m_loading = false;
            if (!*loaded) {
                setError(tr("The project's templates cannot be read: %1. Saving replaces them.")
                             .arg(fromStd(loaded->error().message)));
                showLoaded(ts::synth::defaultEvolTemplates());
                return;
            }
            showLoaded(**loaded);
        });
}

void EvolTemplatesDialog::showLoaded(const ts::synth::EvolTemplates& templates)
{
    m_stored = templates;
    m_edited = templates;
    m_version->setText(versionText(templates.version));
    m_buttons->setEnabled(true);
    m_text->setEnabled(true);
    m_shown = -1;
    showOperation(m_operation->currentIndex());
}

void EvolTemplatesDialog::keepText()
{
    if (m_shown >= 0)
        m_edited.text[static_cast<size_t>(m_shown)] = m_text->toPlainText().toStdString();
}

void EvolTemplatesDialog::showOperation(int index)
{
    if (m_loading || index < 0)
        return;
    keepText();
    m_shown = index;
    m_text->setPlainText(fromStd(m_edited.text[static_cast<size_t>(index)]));
}

void EvolTemplatesDialog::setError(const QString& text)
{
    m_error->setText(text);
    m_error->setVisible(!text.isEmpty());
}

void EvolTemplatesDialog::save()
{
    if (m_loading)
        return;
    keepText();
    // The same check the store makes, before anything is written: each text needs its {instruction}.
    if (auto valid = ts::synth::evolTemplatesFromJson(ts::synth::evolTemplatesToJson(m_edited)); !valid) {
        setError(tr("Not saved: %1").arg(fromStd(valid.error().message)));
        return;
    }
    setError({});
    m_buttons->setEnabled(false);
    m_text->setEnabled(false);
    using Saved = ts::Expected<ts::synth::EvolTemplates>;
    ts::Project* project = &m_project;
    runInBackground<std::shared_ptr<Saved>>(
        this,
        [project, edited = m_edited] {
            auto lock = project->writeLock();
            return std::make_shared<Saved>(ts::synth::saveEvolTemplates(*project, edited));
        },
        [this](const std::shared_ptr<Saved>& result) {
            m_buttons->setEnabled(true);
            m_text->setEnabled(true);
            if (!*result) {
                setError(tr("Not saved: %1").arg(fromStd(result->error().message)));
                return;
            }
            m_stored = **result;
            m_version->setText(versionText(m_stored.version));
            emit saved(m_stored.version);
            accept();
        });
}

} // namespace ts::ui
