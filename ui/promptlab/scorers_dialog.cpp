// ScorersDialog: the checklist and the JSON kept in step, suggestions read from the golden examples on the work
// pool, and the save to the project's meta table.
#include "promptlab/scorers_dialog.h"

#include <algorithm>

#include <QDialogButtonBox>
#include <QFontDatabase>
#include <QGroupBox>
#include <QLabel>
#include <QPlainTextEdit>
#include <QPushButton>
#include <QScrollArea>
#include <QTabWidget>
#include <QVBoxLayout>

#include <nlohmann/json.hpp>

#include "bridge/path_conversion.h"
#include "eval/scorer.h"
#include "promptlab/ab_test_job.h"
#include "promptlab/scorer_row.h"
#include "store/example_repository.h"
#include "store/project.h"

namespace ts::ui {

using ts::eval::ScorerKind;

namespace {

constexpr ScorerKind kAllKinds[]
    = {ScorerKind::ExactMatch, ScorerKind::NormalizedMatch, ScorerKind::Contains, ScorerKind::Regex,
       ScorerKind::JsonParses, ScorerKind::JsonSchemaValid, ScorerKind::FieldF1,  ScorerKind::Length};

} // namespace

ScorersDialog::ScorersDialog(ts::Project* project, QWidget* parent)
    : QDialog(parent)
    , m_project(project)
{
    setObjectName(QStringLiteral("scorersDialog"));
    setWindowTitle(tr("Scorers"));
    auto* layout = new QVBoxLayout(this);
    auto* intro = new QLabel(tr("How every answer of an A/B test is scored. Runs that name no scorers of their own "
                                "use these."),
                             this);
    intro->setWordWrap(true);
    layout->addWidget(intro);
    m_tabs = new QTabWidget(this);
    m_tabs->setObjectName(QStringLiteral("scorersTabs"));
    m_tabs->addTab(buildChecklist(), tr("&Checklist"));
    m_edit = new QPlainTextEdit(m_tabs);
    m_edit->setObjectName(QStringLiteral("scorersEdit"));
    m_edit->setFont(QFontDatabase::systemFont(QFontDatabase::FixedFont));
    m_edit->setToolTip(tr("The same list as JSON: {\"kind\": …, \"name\": …, options}; valid JSON updates the "
                          "checklist"));
    m_tabs->addTab(m_edit, tr("&Advanced (JSON)"));
    layout->addWidget(m_tabs, 1);
    m_error = new QLabel(this);
    m_error->setObjectName(QStringLiteral("scorersError"));
    m_error->setWordWrap(true);
    m_error->setStyleSheet(QStringLiteral("color: #c0392b;"));
    layout->addWidget(m_error);
    m_buttons = new QDialogButtonBox(
        QDialogButtonBox::Ok | QDialogButtonBox::Cancel | QDialogButtonBox::RestoreDefaults, this);
    layout->addWidget(m_buttons);
    connect(m_buttons, &QDialogButtonBox::accepted, this, &ScorersDialog::accept);
    connect(m_buttons, &QDialogButtonBox::rejected, this, &QDialog::reject);
    connect(m_buttons->button(QDialogButtonBox::RestoreDefaults), &QPushButton::clicked, this,
            &ScorersDialog::resetToDefaults);
    connect(m_edit, &QPlainTextEdit::textChanged, this, &ScorersDialog::validate);
    resize(720, 640);

    std::string stored;
    if (auto reader = m_project ? m_project->viewReader() : ts::Expected<ts::Database*>(ts::Error {"no project"});
        reader) {
        if (auto value = ts::Project::readMeta(**reader, kProjectScorersKey); value)
            stored = *value;
    }
    if (stored.empty())
        resetToDefaults();
    else
        setText(fromStd(nlohmann::json::parse(stored, nullptr, false).dump(2)));
    loadSuggestions();
}

QWidget* ScorersDialog::buildChecklist()
{
    auto* scroll = new QScrollArea(this);
    scroll->setObjectName(QStringLiteral("scorerChecklist"));
    scroll->setHorizontalScrollBarPolicy(Qt::ScrollBarAlwaysOff);
    scroll->setWidgetResizable(true);
    auto* inner = new QWidget(scroll);
    auto* innerLayout = new QVBoxLayout(inner);
    innerLayout->addWidget(buildSuggestions(inner));
    m_rowsLayout = new QVBoxLayout();
    innerLayout->addLayout(m_rowsLayout);
    innerLayout->addStretch(1);
    scroll->setWidget(inner);
    return scroll;
}

QWidget* ScorersDialog::buildSuggestions(QWidget* parent)
{
    m_suggestionsBox = new QGroupBox(tr("Suggested from the golden examples"), parent);
    m_suggestionsBox->setObjectName(QStringLiteral("scorerSuggestions"));
    auto* box = new QVBoxLayout(m_suggestionsBox);
    m_suggestionsText = new QLabel(tr("Reading the golden references…"), m_suggestionsBox);
    m_suggestionsText->setObjectName(QStringLiteral("suggestionsText"));
    m_suggestionsText->setWordWrap(true);
    m_suggestionsText->setTextFormat(Qt::RichText);
    box->addWidget(m_suggestionsText);
    m_useSuggestions = new QPushButton(tr("&Use Suggestions"), m_suggestionsBox);
    m_useSuggestions->setObjectName(QStringLiteral("useSuggestionsButton"));
    m_useSuggestions->setToolTip(tr("Check the suggested scorers and fill in their options; the others stay"));
    m_useSuggestions->setVisible(false);
    box->addWidget(m_useSuggestions, 0, Qt::AlignLeft);
    connect(m_useSuggestions, &QPushButton::clicked, this, &ScorersDialog::applySuggestions);
    return m_suggestionsBox;
}

void ScorersDialog::loadSuggestions()
{
    if (!m_project) {
        m_suggestionsText->setText(tr("No project."));
        return;
    }
    m_suggestionsLoad.start<std::vector<std::string>>(
        m_project->path(),
        [](ts::Database& db) -> ts::Expected<std::vector<std::string>> {
            ts::ExampleRepository repo(db);
            ts::ExampleQuery query;
            query.source = ts::Source::Golden;
            auto ids = repo.queryIds(query);
            if (!ids)
                return ids.error();
            auto rows = repo.getMany(*ids);
            if (!rows)
                return rows.error();
            std::vector<std::string> references;
            references.reserve(rows->size());
            for (const ts::Example& e : *rows)
                references.push_back(e.output());
            return references;
        },
        [this](ts::Expected<std::vector<std::string>>& references) {
            if (references)
                m_suggestions = ts::eval::suggestScorers(*references);
            else
                m_suggestions = {{}, "The golden examples could not be read: " + references.error().message};
            showSuggestions();
            emit suggestionsLoaded();
        });
}

void ScorersDialog::showSuggestions()
{
    QString html = fromStd(m_suggestions.summary).toHtmlEscaped();
    if (!m_suggestions.suggestions.empty()) {
        html += QStringLiteral("<ul style=\"margin-top:2px\">");
        for (const auto& s : m_suggestions.suggestions)
            html += QStringLiteral("<li><b>%1</b>: %2</li>")
                        .arg(ScorerRow::title(s.spec.kind).toHtmlEscaped(), fromStd(s.reason).toHtmlEscaped());
        html += QStringLiteral("</ul>");
    }
    m_suggestionsText->setText(html);
    m_useSuggestions->setVisible(!m_suggestions.suggestions.empty());
    for (ScorerRow* row : std::as_const(m_rows)) {
        QString reason;
        for (const auto& s : m_suggestions.suggestions)
            if (s.spec.kind == row->kind() && row == this->row(row->kind()))
                reason = fromStd(s.reason);
        row->setReason(reason);
    }
}

ScorerRow* ScorersDialog::row(ScorerKind kind) const
{
    for (ScorerRow* r : m_rows)
        if (r->kind() == kind)
            return r;
    return nullptr;
}

void ScorersDialog::rebuildRows(const std::vector<ts::eval::ScorerSpec>& specs)
{
    for (ScorerRow* r : std::as_const(m_rows))
        delete r;
    m_rows.clear();
    auto add = [this](const ts::eval::ScorerSpec& spec, bool checked) {
        auto* r = new ScorerRow(spec, checked, m_rowsLayout->parentWidget());
        m_rowsLayout->addWidget(r);
        m_rows.append(r);
        connect(r, &ScorerRow::changed, this, &ScorersDialog::onRowChanged);
    };
    for (const auto& spec : specs)
        add(spec, true);
    for (ScorerKind kind : kAllKinds)
        if (std::none_of(specs.begin(), specs.end(), [kind](const auto& s) { return s.kind == kind; })) {
            ts::eval::ScorerSpec spec;
            spec.kind = kind;
            add(spec, false);
        }
    showSuggestions();
}

void ScorersDialog::onRowChanged()
{
    if (m_syncing)
        return;
    std::vector<ts::eval::ScorerSpec> specs;
    m_rowError.clear();
    for (ScorerRow* r : std::as_const(m_rows)) {
        if (!r->isChecked())
            continue;
        QString error;
        auto spec = r->spec(&error);
        if (!spec) {
            m_rowError = error;
            break;
        }
        specs.push_back(std::move(*spec));
    }
    if (!m_rowError.isEmpty()) {
        validate();
        return;
    }
    m_syncing = true; // the rows stay as they are (one of them has the focus)
    m_edit->setPlainText(fromStd(ts::eval::scorersToJson(specs).dump(2)));
    m_syncing = false;
}

QString ScorersDialog::text() const
{
    return m_edit->toPlainText();
}

void ScorersDialog::setText(const QString& json)
{
    m_edit->setPlainText(json); // validate() rebuilds the checklist when it is a valid list
}

QString ScorersDialog::errorText() const
{
    return m_error->text();
}

void ScorersDialog::resetToDefaults()
{
    m_rowError.clear();
    setText(fromStd(ts::eval::scorersToJson(ts::eval::defaultScorers()).dump(2)));
}

void ScorersDialog::applySuggestions()
{
    m_syncing = true;
    for (const auto& s : m_suggestions.suggestions)
        if (ScorerRow* r = row(s.spec.kind)) {
            r->setSpec(s.spec);
            r->setChecked(true);
        }
    m_syncing = false;
    onRowChanged();
}

void ScorersDialog::validate()
{
    const auto json = nlohmann::json::parse(text().toStdString(), nullptr, false);
    QString error = m_rowError;
    ts::Expected<std::vector<ts::eval::ScorerSpec>> scorers = ts::makeError("not read");
    if (error.isEmpty()) {
        if (json.is_discarded())
            error = tr("Not valid JSON.");
        else if (scorers = ts::eval::scorersFromJson(json); !scorers)
            error = fromStd(scorers.error().message);
        else if (scorers->empty())
            error = tr("Check at least one scorer.");
    }
    m_error->setText(error);
    m_error->setVisible(!error.isEmpty());
    m_buttons->button(QDialogButtonBox::Ok)->setEnabled(error.isEmpty());
    // Valid JSON typed in the Advanced tab rebuilds the checklist (not while the checklist itself writes it).
    if (!m_syncing && m_rowError.isEmpty() && scorers) {
        m_syncing = true;
        rebuildRows(*scorers);
        m_syncing = false;
    }
}

void ScorersDialog::accept()
{
    validate();
    if (!errorText().isEmpty())
        return;
    if (m_project) {
        const auto json = nlohmann::json::parse(text().toStdString());
        auto lock = m_project->writeLock();
        if (auto saved = m_project->setMeta(kProjectScorersKey, json.dump()); !saved) {
            m_error->setText(fromStd(saved.error().message));
            m_error->setVisible(true);
            return;
        }
    }
    QDialog::accept();
}

} // namespace ts::ui
