// ModelPicker: the base model for training, a local Hugging Face folder, with its architecture and size read from
// config.json, and a clear message when the folder is not a usable model.
#pragma once

#include <optional>

#include <QWidget>

#include "model/model_config.h"

class QLabel;
class QLineEdit;
class QPushButton;

namespace ts::ui {

class ModelPicker final : public QWidget
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(ModelPicker)

public:
    explicit ModelPicker(QWidget* parent = nullptr);

    // Reads config.json at once (a small file); emits modelChanged() when the folder changes.
    void setModelDir(const QString& dir);
    QString modelDir() const { return m_dir; }
    // The parsed config.json when the folder is a usable model.
    const std::optional<ts::ModelConfig>& modelConfig() const { return m_config; }
    QString errorText() const { return m_error; } // "" when usable (or when no folder is chosen)
    QString infoText() const; // the line under the path

public slots:
    void browse(); // asks for the folder's config.json through the Dialogs seam

signals:
    void modelChanged();

private:
    void load();
    void showState();

    QString m_dir;
    std::optional<ts::ModelConfig> m_config;
    QString m_error;
    QString m_info;
    QLineEdit* m_path = nullptr;
    QPushButton* m_browse = nullptr;
    QLabel* m_infoLabel = nullptr;
};

} // namespace ts::ui
