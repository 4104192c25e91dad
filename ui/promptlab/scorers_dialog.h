// ScorersDialog: the project's scorer list (meta promptlab.scorers), edited as JSON with live
// validation (eval::scorersFromJson: errors name the scorer and field). A/B tests use it when
// they name no scorers of their own.
#pragma once

#include <QDialog>

class QDialogButtonBox;
class QLabel;
class QPlainTextEdit;

namespace ts {
class Project;
}

namespace ts::ui {

class ScorersDialog final : public QDialog
{
    Q_OBJECT
public:
    explicit ScorersDialog(ts::Project* project, QWidget* parent = nullptr);

    QString text() const;
    void setText(const QString& json);
    QString errorText() const; // empty when the JSON is a valid scorer list

public slots:
    void accept() override; // saves to the project, then closes
    void resetToDefaults();

private:
    void validate();

    ts::Project* m_project = nullptr;
    QPlainTextEdit* m_edit = nullptr;
    QLabel* m_error = nullptr;
    QDialogButtonBox* m_buttons = nullptr;
};

} // namespace ts::ui
