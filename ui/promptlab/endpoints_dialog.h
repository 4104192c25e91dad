// EndpointsDialog: add, edit and remove the project's model endpoints — kind (OpenAI-compatible, Anthropic, or a
// local model folder), base URL, model, concurrency, price per 1M input / output tokens — and each one's API key,
// which goes to the OS keychain under the endpoint's name (ApiKeyStore), never into the project file. Without a
// keychain the dialog says so and the key comes from the environment variable named in the endpoint. A local
// endpoint may merge a PEFT LoRA adapter: one of the project's finished training runs' adapters, or any folder,
// checked against the model before it is saved (peft/adapter_fit.h).
#pragma once

#include <QDialog>

#include "llm/endpoint_repository.h"

class QCheckBox;
class QComboBox;
class QDoubleSpinBox;
class QFormLayout;
class QLabel;
class QLineEdit;
class QListWidget;
class QPushButton;
class QSpinBox;

namespace ts {
class Project;
}

namespace ts::ui {

class EndpointsDialog final : public QDialog
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(EndpointsDialog)

public:
    explicit EndpointsDialog(ts::Project& project, QWidget* parent = nullptr);

    // The form as an endpoint (name, provider config, price); an error names the field.
    ts::Expected<ts::Endpoint> endpointFromForm() const;
    bool changed() const { return m_changed; } // something was saved or removed

    QListWidget* endpointList() const { return m_list; }
    QLineEdit* nameEdit() const { return m_name; }
    QComboBox* kindCombo() const { return m_kind; }
    QLineEdit* baseUrlEdit() const { return m_baseUrl; }
    QLineEdit* modelEdit() const { return m_model; }
    QLineEdit* keyEnvEdit() const { return m_keyEnv; }
    QLineEdit* keyEdit() const { return m_key; }
    QLabel* keyStatusLabel() const { return m_keyStatus; }
    QSpinBox* concurrencySpin() const { return m_concurrency; }
    QCheckBox* priceCheck() const { return m_priceCheck; }
    QDoubleSpinBox* priceInSpin() const { return m_priceIn; }
    QDoubleSpinBox* priceOutSpin() const { return m_priceOut; }
    QComboBox* adapterCombo() const { return m_adapter; } // item data: the folder ("" = none)
    QLabel* adapterStatusLabel() const { return m_adapterStatus; }
    QLabel* messageLabel() const { return m_message; }

public slots:
    void addNew();
    bool saveCurrent(); // validates, stores the endpoint, then the key (when one was typed)
    bool removeCurrent();
    void browseModelFolder();
    // Adds `folder` to the adapter choices (unless listed) and selects it.
    void selectAdapter(const QString& folder);

signals:
    void keyLookupFinished(); // the key status line was updated (tests wait for it)

private:
    void reload(const QString& select);
    void showEndpoint(const ts::Endpoint& endpoint);
    void onKindChanged();
    void refreshKeyStatus(const ts::Endpoint& endpoint);
    void setMessage(const QString& text, bool error);
    void reloadAdapters(); // the project's finished training runs' adapters
    void onAdapterActivated(int index);
    void checkAdapter(); // says whether the chosen adapter fits the model
    QString currentAdapter() const;

    ts::Project& m_project;
    bool m_changed = false;
    ts::llm::ProviderConfig m_base; // fields the dialog does not show (timeouts, retries) are kept
    QListWidget* m_list = nullptr;
    QLineEdit* m_name = nullptr;
    QComboBox* m_kind = nullptr;
    QLineEdit* m_baseUrl = nullptr;
    QLineEdit* m_model = nullptr;
    QPushButton* m_browse = nullptr;
    QLineEdit* m_keyEnv = nullptr;
    QLineEdit* m_key = nullptr;
    QLabel* m_keyStatus = nullptr;
    QSpinBox* m_concurrency = nullptr;
    QCheckBox* m_priceCheck = nullptr;
    QDoubleSpinBox* m_priceIn = nullptr;
    QDoubleSpinBox* m_priceOut = nullptr;
    QFormLayout* m_form = nullptr;
    QComboBox* m_adapter = nullptr;
    QLabel* m_adapterLabel = nullptr;
    QLabel* m_adapterStatus = nullptr;
    int m_lastAdapterIndex = 0;
    QLabel* m_message = nullptr;
    QPushButton* m_removeButton = nullptr;
};

} // namespace ts::ui
