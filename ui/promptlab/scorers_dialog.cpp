#include "promptlab/scorers_dialog.h"

#include <QDialogButtonBox>
#include <QFontDatabase>
#include <QLabel>
#include <QPlainTextEdit>
#include <QPushButton>
#include <QVBoxLayout>

#include <nlohmann/json.hpp>

#include "eval/scorer.h"
#include "promptlab/ab_test_job.h"
#include "store/project.h"

namespace ts::ui {

ScorersDialog::ScorersDialog(ts::Project* project, QWidget* parent)
    : QDialog(parent)
    , m_project(project)
{
    setWindowTitle(tr("Scorers"));
    auto* layout = new QVBoxLayout(this);
    auto* intro
        = new QLabel(tr("How every answer of an A/B test is scored: a JSON list of scorers (kinds: exact_match, "
                        "normalized_match, contains, regex, json_parses, json_schema_valid, field_f1, length). "
                        "Used by runs that name none of their own."),
                     this);
    intro->setWordWrap(true);
    layout->addWidget(intro);
    m_edit = new QPlainTextEdit(this);
    m_edit->setObjectName(QStringLiteral("scorersEdit"));
    m_edit->setFont(QFontDatabase::systemFont(QFontDatabase::FixedFont));
    layout->addWidget(m_edit, 1);
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
    resize(640, 480);

    std::string stored;
    if (auto reader = m_project ? m_project->viewReader() : ts::Expected<ts::Database*>(ts::Error {"no project"});
        reader) {
        if (auto value = ts::Project::readMeta(**reader, kProjectScorersKey); value)
            stored = *value;
    }
    if (stored.empty())
        resetToDefaults();
    else
        setText(QString::fromStdString(nlohmann::json::parse(stored, nullptr, false).dump(2)));
}

QString ScorersDialog::text() const
{
    return m_edit->toPlainText();
}

void ScorersDialog::setText(const QString& json)
{
    m_edit->setPlainText(json);
    validate();
}

QString ScorersDialog::errorText() const
{
    return m_error->text();
}

void ScorersDialog::resetToDefaults()
{
    setText(QString::fromStdString(ts::eval::scorersToJson(ts::eval::defaultScorers()).dump(2)));
}

void ScorersDialog::validate()
{
    const auto json = nlohmann::json::parse(text().toStdString(), nullptr, false);
    QString error;
    if (json.is_discarded())
        error = tr("Not valid JSON.");
    else if (auto scorers = ts::eval::scorersFromJson(json); !scorers)
        error = QString::fromStdString(scorers.error().message);
    else if (scorers->empty())
        error = tr("Name at least one scorer.");
    m_error->setText(error);
    m_error->setVisible(!error.isEmpty());
    m_buttons->button(QDialogButtonBox::Ok)->setEnabled(error.isEmpty());
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
            m_error->setText(QString::fromStdString(saved.error().message));
            m_error->setVisible(true);
            return;
        }
    }
    QDialog::accept();
}

} // namespace ts::ui
