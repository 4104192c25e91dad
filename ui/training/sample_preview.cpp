// SamplePreview: tokenizer + chat template loading and encoding on the thread pool (one task at a time, the
// loaded tokenizer kept for the next), rendering of learned / masked pieces into a read-only text view.
#include "training/sample_preview.h"

#include <QFontDatabase>
#include <QHBoxLayout>
#include <QLabel>
#include <QLocale>
#include <QShowEvent>
#include <QSpinBox>
#include <QTextCursor>
#include <QTextEdit>
#include <QVBoxLayout>

#include "bridge/background_task.h"
#include "bridge/path_conversion.h"
#include "model/chat_template.h"
#include "model/tokenizer.h"
#include "store/example_repository.h"
#include "store/project.h"

namespace ts::ui {

// What the preview needs from a model folder; immutable once loaded.
struct SamplePreview::Loaded
{
    QString modelDir;
    ts::Tokenizer tokenizer;
    ts::ChatTemplate chatTemplate;
    ts::SftTemplateOptions templateOptions;
};

struct SamplePreview::Result
{
    std::shared_ptr<const Loaded> loaded; // set when the model loaded (new or reused)
    std::optional<ts::SftPreview> preview;
    QString error;
    QString hint; // not an error: nothing to preview yet
    qint64 trainCount = 0;
    int exampleIndex = 0;
    bool lengthsMeasured = false;
    int lengthsFor = 0; // SamplePreview::m_lengthsWanted when this started
    std::shared_ptr<const std::vector<ts::SftExampleLength>> lengths; // nullptr when they could not be measured
};

namespace {

QColor learnedBackground(const QPalette& palette)
{
    // A green that reads on light and dark bases.
    QColor green(46, 160, 67);
    green.setAlpha(palette.color(QPalette::Base).lightness() > 128 ? 70 : 110);
    return green;
}

} // namespace

SamplePreview::SamplePreview(QWidget* parent)
    : QWidget(parent)
{
    setObjectName(QStringLiteral("samplePreview"));
    auto* layout = new QVBoxLayout(this);

    auto* top = new QHBoxLayout();
    m_legend = new QLabel(this);
    m_legend->setObjectName(QStringLiteral("previewLegend"));
    m_legend->setTextFormat(Qt::RichText);
    const QColor learned = learnedBackground(palette());
    const QColor masked = palette().color(QPalette::Disabled, QPalette::Text);
    m_legend->setText(tr("<span style=\"background-color: rgba(%1,%2,%3,%4)\">&nbsp;learned&nbsp;</span> the loss is "
                         "computed on these tokens &nbsp;&nbsp; <span style=\"color: %5\">context</span> masked, "
                         "not learned")
                          .arg(learned.red())
                          .arg(learned.green())
                          .arg(learned.blue())
                          .arg(learned.alpha())
                          .arg(masked.name()));
    m_legend->setWordWrap(true); // wraps in a narrow window instead of widening it
    top->addWidget(m_legend, 1);
    auto* exampleLabel = new QLabel(tr("E&xample:"), this);
    m_index = new QSpinBox(this);
    m_index->setObjectName(QStringLiteral("previewExampleSpin"));
    m_index->setRange(1, 1);
    m_index->setToolTip(tr("Which example of the train split to preview"));
    exampleLabel->setBuddy(m_index);
    m_count = new QLabel(this);
    m_count->setObjectName(QStringLiteral("previewCount"));
    top->addWidget(exampleLabel);
    top->addWidget(m_index);
    top->addWidget(m_count);
    layout->addLayout(top);

    m_message = new QLabel(this);
    m_message->setObjectName(QStringLiteral("previewMessage"));
    m_message->setWordWrap(true);
    m_message->setTextInteractionFlags(Qt::TextSelectableByMouse);
    layout->addWidget(m_message);

    m_text = new QTextEdit(this);
    m_text->setObjectName(QStringLiteral("samplePreviewText"));
    m_text->setReadOnly(true);
    m_text->setAcceptRichText(false);
    m_text->setFont(QFontDatabase::systemFont(QFontDatabase::FixedFont));
    m_text->setLineWrapMode(QTextEdit::WidgetWidth);
    m_text->setToolTip(tr("The example rendered with the model's chat template, as the trainer sees it. Greyed "
                          "text is context (masked from the loss); highlighted text is what the model learns to "
                          "write."));
    layout->addWidget(m_text, 1);

    m_summary = new QLabel(this);
    m_summary->setObjectName(QStringLiteral("previewSummary"));
    m_summary->setWordWrap(true);
    layout->addWidget(m_summary);

    m_debounce.setSingleShot(true);
    m_debounce.setInterval(kDebounceMs);
    connect(&m_debounce, &QTimer::timeout, this, &SamplePreview::start);
    connect(m_index, &QSpinBox::valueChanged, this, [this](int value) {
        if (value - 1 != m_exampleIndex) {
            m_exampleIndex = value - 1;
            schedule();
        }
    });
    setMessage(tr("Open a project to preview its training data."), false);
}

SamplePreview::~SamplePreview() = default;

QString SamplePreview::message() const
{
    return m_message->isVisible() ? m_message->text() : QString();
}

void SamplePreview::setProject(ts::Project* project)
{
    m_project = project;
    m_exampleIndex = 0;
    ++m_lengthsWanted;
    schedule();
}

void SamplePreview::setModelDir(const QString& dir)
{
    if (dir == m_modelDir)
        return;
    m_modelDir = dir;
    ++m_lengthsWanted;
    schedule();
}

void SamplePreview::setMaxSeqLen(int maxSeqLen)
{
    if (maxSeqLen == m_maxSeqLen)
        return;
    m_maxSeqLen = maxSeqLen;
    schedule();
}

void SamplePreview::refresh()
{
    ++m_lengthsWanted;
    schedule();
}

void SamplePreview::showEvent(QShowEvent* event)
{
    QWidget::showEvent(event);
    if (!event->spontaneous()) {
        ++m_lengthsWanted; // examples may have changed while the page was hidden
        schedule();
    }
}

void SamplePreview::setMessage(const QString& text, bool error)
{
    m_message->setText(text);
    m_message->setStyleSheet(error ? QStringLiteral("color: #c0392b;") : QString());
    m_message->setVisible(!text.isEmpty());
}

void SamplePreview::schedule()
{
    m_pending = true;
    m_debounce.start();
}

void SamplePreview::start()
{
    if (m_busy)
        return; // onResult() starts again: m_pending is still set
    m_pending = false;
    if (!m_project || m_modelDir.isEmpty()) {
        m_lengths.reset(); // nothing to measure with or from
        m_lengthsHave = m_lengthsWanted;
        emit exampleLengthsChanged(m_lengths);
    }
    if (!m_project) {
        m_preview.reset();
        m_text->clear();
        m_summary->clear();
        setMessage(tr("Open a project to preview its training data."), false);
        emit previewUpdated();
        return;
    }
    if (m_modelDir.isEmpty()) {
        m_preview.reset();
        m_text->clear();
        m_summary->clear();
        setMessage(tr("Choose a base model: the preview uses its tokenizer and chat template."), false);
        emit previewUpdated();
        return;
    }
    auto opened = m_project->openReader();
    if (!opened) {
        setMessage(tr("The project cannot be read: %1").arg(fromStd(opened.error().message)), true);
        emit previewUpdated();
        return;
    }
    auto reader = std::make_shared<ts::Database>(std::move(*opened));
    m_busy = true;
    if (!m_loaded || m_loaded->modelDir != m_modelDir)
        setMessage(tr("Loading the tokenizer and chat template…"), false);

    const QString modelDir = m_modelDir;
    const int maxSeqLen = m_maxSeqLen;
    const int wantedIndex = m_exampleIndex;
    const bool measureLengths = m_lengthsHave != m_lengthsWanted;
    const int lengthsFor = m_lengthsWanted;
    std::shared_ptr<const Loaded> cached = m_loaded && m_loaded->modelDir == modelDir ? m_loaded : nullptr;

    runInBackground<std::shared_ptr<Result>>(
        this,
        [reader, modelDir, maxSeqLen, wantedIndex, measureLengths, lengthsFor, cached]() {
            auto result = std::make_shared<Result>();
            result->lengthsFor = lengthsFor;
            result->exampleIndex = wantedIndex;
            std::shared_ptr<const Loaded> loaded = cached;
            if (!loaded) {
                const auto dir = toPath(modelDir);
                auto tokenizer = ts::Tokenizer::loadFromPath(dir);
                if (!tokenizer) {
                    result->error = tr("The tokenizer could not be loaded: %1").arg(fromStd(tokenizer.error().message));
                    return result;
                }
                ts::ChatTemplateLoadFailure failure;
                auto chatTemplate = ts::loadModelChatTemplate(dir, &failure);
                if (!chatTemplate && !failure.unparsable) {
                    result->error = tr("The model has no usable chat template (chat_template.jinja, or "
                                       "\"chat_template\" in tokenizer_config.json), so conversations cannot be "
                                       "rendered the way the model expects: %1")
                                        .arg(fromStd(failure.detail));
                    return result;
                }
                if (!chatTemplate) {
                    result->error = tr("The chat template cannot be used: %1").arg(fromStd(failure.detail));
                    return result;
                }
                ts::SftTemplateOptions options;
                if (!chatTemplate->options.bosToken.empty())
                    options.bosToken = chatTemplate->options.bosToken;
                if (!chatTemplate->options.eosToken.empty())
                    options.eosToken = chatTemplate->options.eosToken;
                loaded = std::make_shared<const Loaded>(Loaded {
                    modelDir, std::move(*tokenizer), std::move(chatTemplate->chatTemplate), std::move(options)});
            }
            result->loaded = loaded;

            ts::ExampleRepository repo(*reader);
            ts::ExampleQuery query;
            query.split = ts::Split::Train;
            auto ids = repo.queryIds(query);
            if (!ids) {
                result->error = tr("The train split cannot be read: %1").arg(fromStd(ids.error().message));
                return result;
            }
            result->trainCount = static_cast<qint64>(ids->size());
            if (ids->empty()) {
                result->hint = tr("The train split has no examples yet. Add examples on the Golden examples page, or "
                                  "move some to the train split.");
                return result;
            }
            result->exampleIndex = std::clamp<int>(wantedIndex, 0, static_cast<int>(ids->size()) - 1);
            auto example = repo.get((*ids)[size_t(result->exampleIndex)]);
            if (!example || !*example) {
                result->error = tr("The example cannot be read: %1")
                                    .arg(example ? tr("it was deleted") : fromStd(example.error().message));
                return result;
            }
            const ts::SftEncoder encoder(loaded->tokenizer, loaded->chatTemplate, loaded->templateOptions);
            if (measureLengths) {
                // Every example (or an even spread of kMaxMeasured): an example that cannot be encoded is left out.
                result->lengthsMeasured = true;
                auto lengths = std::make_shared<std::vector<ts::SftExampleLength>>();
                const size_t count = std::min<size_t>(ids->size(), kMaxMeasured);
                for (size_t i = 0; i < count; ++i) {
                    auto measured = repo.get((*ids)[i * ids->size() / count]);
                    if (!measured || !*measured)
                        continue;
                    if (auto encoded = encoder.encode(**measured))
                        lengths->push_back(ts::measureExampleLength(*encoded));
                }
                result->lengths = std::move(lengths);
            }
            auto preview = ts::previewExample(**example, encoder, maxSeqLen);
            if (!preview) {
                result->error
                    = tr("This example cannot be turned into training data: %1").arg(fromStd(preview.error().message));
                return result;
            }
            result->preview = std::move(*preview);
            return result;
        },
        [this](const std::shared_ptr<Result>& result) { onResult(result); });
}

void SamplePreview::onResult(const std::shared_ptr<Result>& result)
{
    m_busy = false;
    if (result->loaded)
        m_loaded = result->loaded;
    // Lengths measured for what is still wanted stand (also when the preview itself is stale); a model or project
    // that cannot give any has none.
    if (result->lengthsFor == m_lengthsWanted
        && (result->lengthsMeasured || !result->error.isEmpty() || !result->hint.isEmpty())) {
        m_lengths = result->lengths;
        m_lengthsHave = m_lengthsWanted;
        emit exampleLengthsChanged(m_lengths);
    }
    if (m_pending) {
        start(); // the inputs changed while this ran: its result is stale
        return;
    }
    m_preview = result->preview;
    {
        const QSignalBlocker blocker(m_index);
        m_index->setRange(1, static_cast<int>(std::max<qint64>(1, result->trainCount)));
        m_index->setValue(result->exampleIndex + 1);
        m_index->setEnabled(result->trainCount > 1);
    }
    m_exampleIndex = result->exampleIndex;
    m_count->setText(tr("of %1").arg(result->trainCount));
    if (!result->error.isEmpty())
        setMessage(result->error, true);
    else
        setMessage(result->hint, false);
    render();
    emit previewUpdated();
}

void SamplePreview::render()
{
    m_text->clear();
    if (!m_preview) {
        m_summary->clear();
        return;
    }
    const ts::SftPreview& p = *m_preview;
    QTextCursor cursor(m_text->document());
    QTextCharFormat maskedFormat;
    maskedFormat.setForeground(palette().color(QPalette::Disabled, QPalette::Text));
    maskedFormat.setProperty(kTrainedProperty, false);
    QTextCharFormat learnedFormat;
    learnedFormat.setForeground(palette().color(QPalette::Text));
    learnedFormat.setBackground(learnedBackground(palette()));
    learnedFormat.setProperty(kTrainedProperty, true);
    // Tokens past maxSeqLen are cut off (or the example dropped): they are struck out and, learned or not, shown as
    // not learned. A piece that crosses the limit is split at the token boundary.
    QTextCharFormat cutFormat = maskedFormat;
    cutFormat.setFontStrikeOut(true);
    int64_t tokenPos = 0;
    for (const ts::SftPreviewPiece& piece : p.pieces) {
        const QTextCharFormat& format = piece.trained ? learnedFormat : maskedFormat;
        const int64_t count = static_cast<int64_t>(piece.ids.size());
        const int64_t kept = p.maxSeqLen > 0 ? std::clamp<int64_t>(p.maxSeqLen - tokenPos, 0, count) : count;
        tokenPos += count;
        std::string keptText;
        for (int64_t i = 0; i < kept && i < static_cast<int64_t>(piece.tokens.size()); ++i)
            keptText += piece.tokens[size_t(i)];
        if (kept == count || (kept > 0 && piece.text.compare(0, keptText.size(), keptText) != 0)) {
            // Wholly kept, or token texts that do not spell the piece (a character split across tokens): as is.
            cursor.insertText(fromStd(piece.text), kept == count ? format : cutFormat);
            continue;
        }
        if (!keptText.empty())
            cursor.insertText(fromStd(keptText), format);
        cursor.insertText(fromStd(piece.text.substr(keptText.size())), cutFormat);
    }
    m_text->moveCursor(QTextCursor::Start);

    const QLocale locale;
    const double share = p.tokens > 0 ? 100.0 * double(p.trainedTokens) / double(p.tokens) : 0.0;
    int64_t learnedKept = 0; // learned tokens within maxSeqLen
    int64_t position = 0;
    for (const ts::SftPreviewPiece& piece : p.pieces) {
        const int64_t count = static_cast<int64_t>(piece.ids.size());
        if (piece.trained)
            learnedKept += p.maxSeqLen > 0 ? std::clamp<int64_t>(p.maxSeqLen - position, 0, count) : count;
        position += count;
    }
    QString summary
        = tr("Example #%1: %2 tokens, %3 learned (%4%).")
              .arg(p.exampleId)
              .arg(locale.toString(static_cast<qlonglong>(p.tokens)),
                   locale.toString(static_cast<qlonglong>(p.trainedTokens)), locale.toString(share, 'f', 0));
    if (p.trainedTokens == 0)
        summary += QLatin1Char(' ') + tr("Nothing is learned from this example: it has no assistant answer.");
    else if (p.overLong && learnedKept == 0)
        summary += QLatin1Char(' ')
            + tr("Nothing is learned from this example at this length: its whole answer lies past the limit.");
    if (p.overLong)
        summary += QLatin1Char(' ')
            + tr("It is longer than the maximum sequence length (%1 tokens): the struck-out part is cut off, or the "
                 "whole example dropped, depending on the setting.")
                  .arg(p.maxSeqLen);
    if (p.retokenized)
        summary += QLatin1Char(' ')
            + tr("The tokenizer merges tokens across the context / answer boundary; the whole text's tokens are used.");
    m_summary->setText(summary);
}

} // namespace ts::ui
