// ExampleEditor: the side panel that edits the current example (system, input, ideal output, split, tags).
#pragma once

#include <cstdint>

#include <QPointer>
#include <QTimer>
#include <QWidget>

class QComboBox;
class QLabel;
class QLineEdit;
class QPlainTextEdit;
class QPushButton;

namespace ts::ui {

class ExamplesModel;

// Edits go to the undo stack as EditExampleCommands when a field loses focus, after
// kIdleCommitMs without typing, and before another example is shown, so switching rows never
// loses text. Consecutive typing commits into the same field merge into one undo step.
class ExampleEditor final : public QWidget
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(ExampleEditor)

public:
    static constexpr int kIdleCommitMs = 600;

    explicit ExampleEditor(QWidget* parent = nullptr);

    void setModel(ExamplesModel* model);
    // Commits what is pending for the shown example, then shows `id` (0 = none).
    void showExample(int64_t id);
    int64_t exampleId() const { return m_id; }
    bool hasPendingChanges() const { return m_dirty; }
    void setReadOnly(bool readOnly);
    void focusInput();
    // Under the ideal output: where an output that looks like JSON stops parsing ("" when it parses or is not JSON).
    QString jsonProblem() const;

public slots:
    // Rewrites an ideal output that is valid JSON indented by 2 spaces (keys in their order), as one undoable edit.
    void formatJson();

    void commit();

protected:
    bool eventFilter(QObject* watched, QEvent* event) override;

private:
    void load();
    void markDirty();
    void onRowsChanged(const QModelIndex& topLeft, const QModelIndex& bottomRight);
    void onModelReset();
    void checkJson();

    QPointer<ExamplesModel> m_model; // the page owns it; it may go first on destruction
    int64_t m_id = 0;
    bool m_dirty = false;
    bool m_loading = false;
    bool m_readOnly = false;
    bool m_ownStep = false; // the next commit is an undo step of its own (Format JSON), never merged with typing
    QTimer m_idle;
    QLabel* m_header = nullptr;
    QLabel* m_turnsNote = nullptr;
    QPlainTextEdit* m_system = nullptr;
    QPlainTextEdit* m_input = nullptr;
    QPlainTextEdit* m_output = nullptr;
    QLabel* m_jsonStatus = nullptr;
    QPushButton* m_formatJson = nullptr;
    QComboBox* m_split = nullptr;
    QLineEdit* m_tags = nullptr;
    QLabel* m_meta = nullptr;
};

} // namespace ts::ui
