// ScorerRow: one scorer of the Scorers dialog's checklist — a checkbox naming the kind and what it measures, an
// optional name, and the kind's options as fields (regex pattern, substring, case and full-match switches, a JSON
// schema, the field F1 pass threshold, length unit and bounds; eval/scorer.h lists them). spec() reads the fields
// back; a row keeps its fields while unchecked.
#pragma once

#include <optional>

#include <QWidget>

#include "eval/scorer.h"

class QCheckBox;
class QComboBox;
class QDoubleSpinBox;
class QLabel;
class QLineEdit;
class QPlainTextEdit;
class QSpinBox;

namespace ts::ui {

class ScorerRow final : public QWidget
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(ScorerRow)

public:
    ScorerRow(const ts::eval::ScorerSpec& spec, bool checked, QWidget* parent = nullptr);

    ts::eval::ScorerKind kind() const { return m_spec.kind; }
    bool isChecked() const;
    void setChecked(bool checked);
    // The spec as the fields say; nullopt and *error when a field cannot be read (a schema that is not JSON).
    std::optional<ts::eval::ScorerSpec> spec(QString* error = nullptr) const;
    void setSpec(const ts::eval::ScorerSpec& spec); // fills the fields (the kind stays)
    void setReason(const QString& reason); // why it was suggested; "" hides the line

    static QString title(ts::eval::ScorerKind kind); // "Regular expression"
    static QString description(ts::eval::ScorerKind kind); // what a pass means

signals:
    void changed();

private:
    QSpinBox* makeBound(const QString& objectName);

    ts::eval::ScorerSpec m_spec; // the options the fields do not show stay as given
    QCheckBox* m_check = nullptr;
    QLineEdit* m_name = nullptr;
    QLabel* m_reason = nullptr;
    QWidget* m_options = nullptr;
    QLineEdit* m_substring = nullptr;
    QLineEdit* m_pattern = nullptr;
    QCheckBox* m_caseSensitive = nullptr;
    QCheckBox* m_fullMatch = nullptr;
    QPlainTextEdit* m_schema = nullptr;
    QDoubleSpinBox* m_passThreshold = nullptr;
    QComboBox* m_unit = nullptr;
    QSpinBox* m_minChars = nullptr;
    QSpinBox* m_maxChars = nullptr;
    QSpinBox* m_minWords = nullptr;
    QSpinBox* m_maxWords = nullptr;
};

} // namespace ts::ui
