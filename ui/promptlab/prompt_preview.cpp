// PromptPreview: example list from ExampleRepository, rendering on the GUI thread (cheap), token counting on the
// thread pool (a tokenizer may take a moment to load the first time) with stale results dropped.
#include "promptlab/prompt_preview.h"

#include <QComboBox>
#include <QFontDatabase>
#include <QHBoxLayout>
#include <QLabel>
#include <QLocale>
#include <QTextEdit>
#include <QVBoxLayout>

#include "bridge/background_task.h"
#include "bridge/path_conversion.h"
#include "promptlab/render.h"
#include "promptlab/token_counter.h"
#include "store/example_repository.h"
#include "store/project.h"

namespace ts::ui {

PromptPreview::PromptPreview(QWidget* parent)
    : QWidget(parent)
{
    setObjectName(QStringLiteral("promptPreview"));
    auto* layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    auto* row = new QHBoxLayout();
    auto* label = new QLabel(tr("Preview for &example:"), this);
    m_examples = new QComboBox(this);
    m_examples->setObjectName(QStringLiteral("previewExampleCombo"));
    m_examples->setToolTip(tr("The eval example whose input the preview renders"));
    m_examples->setSizeAdjustPolicy(QComboBox::AdjustToMinimumContentsLengthWithIcon);
    m_examples->setMinimumContentsLength(8);
    label->setBuddy(m_examples);
    row->addWidget(label);
    row->addWidget(m_examples, 1);
    layout->addLayout(row);
    m_view = new QTextEdit(this);
    m_view->setObjectName(QStringLiteral("previewView"));
    m_view->setReadOnly(true);
    m_view->setToolTip(tr("The exact messages sent to the model for this example"));
    layout->addWidget(m_view, 1);
    m_tokens = new QLabel(this);
    m_tokens->setObjectName(QStringLiteral("tokenCountLabel"));
    m_tokens->setWordWrap(true);
    layout->addWidget(m_tokens);
    connect(m_examples, &QComboBox::currentIndexChanged, this, &PromptPreview::exampleChanged);
}

void PromptPreview::setProject(ts::Project* project)
{
    m_project = project;
    {
        QSignalBlocker block(m_examples);
        m_examples->clear();
        m_rows.clear();
    }
    reloadExamples();
}

void PromptPreview::reloadExamples()
{
    if (!m_project) {
        m_load.cancel();
        QSignalBlocker block(m_examples);
        m_examples->clear();
        m_rows.clear();
        return;
    }
    m_load.start<std::vector<ts::Example>>(
        m_project->path(),
        [](ts::Database& db) -> ts::Expected<std::vector<ts::Example>> {
            ts::ExampleRepository repo(db);
            ts::ExampleQuery query;
            query.split = ts::Split::Eval;
            auto ids = repo.queryIds(query);
            if (ids && ids->empty())
                ids = repo.queryIds(ts::ExampleQuery {});
            if (!ids)
                return ids.error();
            if (ids->size() > static_cast<size_t>(kMaxExamples))
                ids->resize(kMaxExamples);
            return repo.getMany(*ids);
        },
        [this](ts::Expected<std::vector<ts::Example>>& rows) {
            const qint64 current = m_examples->currentData().toLongLong();
            {
                QSignalBlocker block(m_examples);
                m_examples->clear();
                m_rows = rows ? std::move(*rows) : std::vector<ts::Example> {};
                for (const ts::Example& e : m_rows) {
                    QString input = fromStd(e.input()).simplified();
                    if (input.size() > 60)
                        input = input.left(59) + QChar(0x2026);
                    m_examples->addItem(
                        QStringLiteral("#%1 [%2] %3").arg(e.id).arg(fromStd(ts::splitName(e.split)), input),
                        QVariant::fromValue<qint64>(e.id));
                }
                const int index = m_examples->findData(QVariant::fromValue<qint64>(current));
                m_examples->setCurrentIndex(index >= 0 ? index : 0);
            }
            emit exampleChanged();
        });
}

void PromptPreview::render(const ts::promptlab::PromptVariant& variant, const std::vector<ts::Example>& fewShot,
                           const QString& modelDir)
{
    m_messages.clear();
    m_error.clear();
    const int index = m_examples->currentIndex();
    if (isLoading() && m_rows.empty()) {
        m_error = tr("Loading examples…");
    } else if (index < 0 || index >= static_cast<int>(m_rows.size())) {
        m_error = tr("The project has no examples to preview with.");
    } else {
        auto rendered = ts::promptlab::renderForExample(variant, fewShot, m_rows[static_cast<size_t>(index)]);
        if (rendered)
            m_messages = std::move(rendered->messages);
        else
            m_error = fromStd(rendered.error().message);
    }
    showMessages();

    const quint64 generation = ++m_countGeneration;
    if (m_messages.empty()) {
        m_pending = false;
        m_tokens->clear();
        return;
    }
    const QLocale locale;
    if (modelDir.isEmpty()) {
        m_pending = false;
        m_tokens->setText(tr("≈ %1 tokens (estimate: characters ÷ 4; the endpoint's own tokenizer may differ)")
                              .arg(locale.toString(qlonglong(ts::ui::estimateTokens(m_messages)))));
        return;
    }
    m_pending = true;
    m_tokens->setText(tr("Counting tokens with the model's tokenizer…"));
    runInBackground<ts::ui::TokenCount>(
        this, [dir = modelDir.toStdString(), messages = m_messages] { return countPromptTokens(dir, messages); },
        [this, generation, locale](const ts::ui::TokenCount& count) {
            if (generation != m_countGeneration)
                return;
            m_pending = false;
            const QString n = locale.toString(qlonglong(count.tokens));
            if (!count.exact)
                m_tokens->setText(tr("≈ %1 tokens (estimate: characters ÷ 4; the model's tokenizer did not load: %2)")
                                      .arg(n, fromStd(count.note)));
            else if (count.chatTemplate)
                m_tokens->setText(tr("%1 tokens (the model's tokenizer, on the prompt rendered with its chat "
                                     "template)")
                                      .arg(n));
            else
                m_tokens->setText(tr("%1 tokens (the model's tokenizer, on the message contents; no chat template: %2)")
                                      .arg(n, fromStd(count.note)));
        });
}

void PromptPreview::showMessages()
{
    if (!m_error.isEmpty()) {
        m_view->setHtml(QStringLiteral("<p style=\"color:#c0392b\">%1</p>").arg(m_error.toHtmlEscaped()));
        return;
    }
    const QString mono = QFontDatabase::systemFont(QFontDatabase::FixedFont).family();
    QString html;
    for (const auto& m : m_messages)
        html += QStringLiteral("<p style=\"margin-top:8px\"><b>%1</b></p><pre style=\"font-family:'%2'; "
                               "white-space:pre-wrap; margin:0\">%3</pre>")
                    .arg(fromStd(m.role).toHtmlEscaped(), mono, fromStd(m.content).toHtmlEscaped());
    m_view->setHtml(html);
}

} // namespace ts::ui
