// PromptPreview: the exact messages a prompt variant sends for one chosen example (promptlab::renderForExample,
// few-shot turns included) and the token count of that prompt — with the model's tokenizer and chat template for
// a local endpoint, else an estimate (characters / 4, marked "≈").
#pragma once

#include <optional>
#include <string>
#include <vector>

#include <QWidget>

#include "bridge/project_load.h"
#include "llm/provider.h"
#include "promptlab/prompt_variant.h"
#include "store/example.h"

class QComboBox;
class QLabel;
class QTextEdit;

namespace ts {
class Project;
}

namespace ts::ui {

class PromptPreview final : public QWidget
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(PromptPreview)

public:
    static constexpr int kMaxExamples = 500;

    explicit PromptPreview(QWidget* parent = nullptr);

    // Lists the eval split's examples (all examples when it is empty), read in the background: exampleChanged() is
    // emitted when they arrive (render again then).
    void setProject(ts::Project* project);
    void reloadExamples();
    bool isLoading() const { return m_load.isLoading(); }
    // Renders `variant` for the chosen example. `modelDir`: the local model folder of its endpoint, "" otherwise.
    void render(const ts::promptlab::PromptVariant& variant, const std::vector<ts::Example>& fewShot,
                const QString& modelDir);

    QComboBox* exampleCombo() const { return m_examples; }
    QTextEdit* view() const { return m_view; }
    QLabel* tokenLabel() const { return m_tokens; }
    const std::vector<ts::llm::ChatMessage>& messages() const { return m_messages; } // empty on a render error
    QString errorText() const { return m_error; }
    bool tokenCountPending() const { return m_pending; }

signals:
    void exampleChanged();

private:
    void showMessages();

    ts::Project* m_project = nullptr;
    std::vector<ts::Example> m_rows;
    std::vector<ts::llm::ChatMessage> m_messages;
    QString m_error;
    quint64 m_countGeneration = 0;
    bool m_pending = false;
    QComboBox* m_examples = nullptr;
    QTextEdit* m_view = nullptr;
    QLabel* m_tokens = nullptr;
    ProjectLoad m_load {this};
};

} // namespace ts::ui
