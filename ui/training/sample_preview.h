// SamplePreview: one training example of the train split exactly as the trainer will see it: rendered with the
// model's chat template, tokenized with its tokenizer, context tokens greyed out (masked from the loss) and the
// learned tokens highlighted (ts::previewExample). Catches chat-template and label-mask mistakes before training.
#pragma once

#include <memory>
#include <optional>
#include <vector>

#include <QTextFormat>
#include <QTimer>
#include <QWidget>

#include "train/sft_encoder.h"
#include "train/sft_length_coverage.h"
#include "train/sft_preview.h"

class QLabel;
class QSpinBox;
class QTextEdit;

namespace ts {
class Project;
}

namespace ts::ui {

class SamplePreview final : public QWidget
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(SamplePreview)

public:
    // Character-format property of the rendered text: true on learned text, false on masked text.
    static constexpr int kTrainedProperty = QTextFormat::UserProperty + 1;
    static constexpr int kDebounceMs = 150;

    explicit SamplePreview(QWidget* parent = nullptr);
    ~SamplePreview() override;

    void setProject(ts::Project* project);
    // An empty folder, or one the model picker refused, shows a message instead of a preview.
    void setModelDir(const QString& dir);
    void setMaxSeqLen(int maxSeqLen);
    void refresh(); // re-read the example (e.g. after edits on the examples page)

    bool isBusy() const { return m_busy || m_pending; }
    const std::optional<ts::SftPreview>& preview() const { return m_preview; }
    QString message() const; // the error or hint shown instead of (or above) the preview
    QTextEdit* textView() const { return m_text; }

    // Token lengths of the train split (at most kMaxMeasured examples, evenly spread), measured with the preview's
    // tokenizer and template when the project, the model or the examples change; nullptr until known.
    static constexpr int kMaxMeasured = 2000;
    const std::shared_ptr<const std::vector<ts::SftExampleLength>>& exampleLengths() const { return m_lengths; }

signals:
    void previewUpdated(); // a preview or a message is shown
    void exampleLengthsChanged(const std::shared_ptr<const std::vector<ts::SftExampleLength>>& lengths);

protected:
    void showEvent(QShowEvent* event) override;

private:
    struct Loaded;
    struct Result;
    void schedule();
    void start();
    void onResult(const std::shared_ptr<Result>& result);
    void render();
    void setMessage(const QString& text, bool error);

    ts::Project* m_project = nullptr;
    QString m_modelDir;
    int m_maxSeqLen = 512;
    int m_exampleIndex = 0;
    std::shared_ptr<const Loaded> m_loaded; // tokenizer and chat template of the last model, reused
    std::optional<ts::SftPreview> m_preview;
    std::shared_ptr<const std::vector<ts::SftExampleLength>> m_lengths;
    int m_lengthsWanted = 1; // raised when the project, the model or the examples change
    int m_lengthsHave = 0; // the m_lengthsWanted that m_lengths answers
    bool m_busy = false;
    bool m_pending = false;
    QTimer m_debounce;

    QLabel* m_legend = nullptr;
    QSpinBox* m_index = nullptr;
    QLabel* m_count = nullptr;
    QLabel* m_message = nullptr;
    QTextEdit* m_text = nullptr;
    QLabel* m_summary = nullptr;
};

} // namespace ts::ui
