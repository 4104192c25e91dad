// EndpointsDialog: add, edit and remove the project's model endpoints — kind (OpenAI-compatible, Anthropic, or a
// local model folder), base URL, model, concurrency, price per 1M input / output tokens — and each one's API key,
// which goes to the OS keychain under the endpoint's name (ApiKeyStore), never into the project file. Without a
// keychain the dialog says what failed and why, keeps the typed key in its field, and names the exact environment
// variable the endpoint reads (and whether it is set). "Test connection" reads the host's model list (offered in the
// model field) and sends one 1-token request with the form as it is (llm::checkEndpoint, off the GUI thread). A local
// endpoint may merge a PEFT LoRA adapter: one of the project's finished training runs' adapters, or any folder,
// checked against the model before it is saved (peft/adapter_fit.h).
#pragma once

#include <QDialog>

#include "common/cancel.h"
#include "llm/endpoint_repository.h"

class QCheckBox;
class QComboBox;
class QCompleter;
class QDoubleSpinBox;
class QFormLayout;
class QLabel;
class QLineEdit;
class QListWidget;
class QPushButton;
class QSpinBox;
class QStringListModel;
class QToolButton;

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
    ~EndpointsDialog() override; // stops a connection test still running

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
    QLabel* keyEnvStatusLabel() const { return m_keyEnvStatus; } // the variable this endpoint reads, and if set
    QPushButton* testButton() const { return m_testButton; }
    QLabel* testResultLabel() const { return m_testResult; }
    QStringList offeredModels() const; // the model names the last test listed (the model field's completer)
    QCompleter* modelCompleter() const { return m_modelCompleter; }
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
    // Tests the form as it is, with the typed key (else the keychain's, else the environment's).
    void testConnection();
    void browseModelFolder();
    // Adds `folder` to the adapter choices (unless listed) and selects it.
    void selectAdapter(const QString& folder);

signals:
    void keyLookupFinished(); // the key status line was updated (tests wait for it)
    void keySaveFinished(); // the keychain answered a Save (stored, or the message says why not)
    void connectionTestFinished(); // the test result is shown

private:
    void reload(const QString& select);
    void showEndpoint(const ts::Endpoint& endpoint);
    void onKindChanged();
    void refreshKeyStatus(const ts::Endpoint& endpoint);
    ts::llm::ProviderConfig configFromForm() const; // unvalidated: what the fields say
    void refreshKeyEnvStatus();
    void showTestResult(const QString& text, int state); // state: -1 failed, 0 running, 1 ok
    void clearTest();
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
    QLabel* m_keyEnvStatus = nullptr;
    QPushButton* m_testButton = nullptr;
    QLabel* m_testResult = nullptr;
    QToolButton* m_modelsButton = nullptr;
    QStringListModel* m_modelNames = nullptr;
    QCompleter* m_modelCompleter = nullptr;
    ts::CancelToken m_testCancel; // set when the dialog closes
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
