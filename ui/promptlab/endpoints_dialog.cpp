// EndpointsDialog: a list beside a form; EndpointRepository validates and stores, ApiKeyStore keeps the keys,
// llm::checkEndpoint tests the form on the work pool.
#include "promptlab/endpoints_dialog.h"

#include <QCheckBox>
#include <QComboBox>
#include <QCompleter>
#include <QDialogButtonBox>
#include <QDir>
#include <QDoubleSpinBox>
#include <QFileInfo>
#include <QFormLayout>
#include <QHBoxLayout>
#include <QLabel>
#include <QLineEdit>
#include <QListWidget>
#include <QPushButton>
#include <QSpinBox>
#include <QStringListModel>
#include <QToolButton>
#include <QVBoxLayout>

#include "bridge/background_task.h"
#include "bridge/path_conversion.h"
#include "dialogs/dialogs.h"
#include "llm/api_keys.h"
#include "llm/endpoint_check.h"
#include "llm/provider_config.h"
#include "peft/adapter_fit.h"
#include "promptlab/api_key_store.h"
#include "store/project.h"
#include "store/run_repository.h"
#include "widgets/model_folder_dialog.h"

namespace ts::ui {

namespace {

constexpr int kChooseFolderRole = Qt::UserRole + 1; // the "Choose folder…" item

// A variable name to suggest for an endpoint that reads none: "local-vllm" → LOCAL_VLLM_API_KEY.
QString suggestedKeyEnv(const QString& endpointName)
{
    QString name;
    for (QChar c : endpointName.trimmed())
        name += c.isLetterOrNumber() && c.unicode() < 128 ? c.toUpper() : QChar(u'_');
    if (name.isEmpty() || name.front().isDigit())
        name.prepend(QStringLiteral("ENDPOINT_"));
    return name + QStringLiteral("_API_KEY");
}

// What to do when the keychain cannot hold the key of an endpoint that reads `envName` ("" = none).
QString keychainAdvice(const QString& envName, const QString& endpointName)
{
    if (envName.isEmpty())
        return QObject::tr("Name a key variable above (e.g. %1) and set it before starting Tunesmith, or start a "
                           "keyring (GNOME Keyring, KeePassXC or KWallet) and save again.")
            .arg(suggestedKeyEnv(endpointName));
    return QObject::tr("Set the environment variable %1 instead (before starting Tunesmith), or start a keyring "
                       "(GNOME Keyring, KeePassXC or KWallet) and save again.")
        .arg(envName);
}

// A wrapped, selectable line of status text, top-aligned in its row.
QLabel* statusLabel(QWidget* parent, const QString& objectName)
{
    auto* label = new QLabel(parent);
    label->setObjectName(objectName);
    label->setWordWrap(true);
    label->setAlignment(Qt::AlignLeft | Qt::AlignTop);
    label->setTextInteractionFlags(Qt::TextSelectableByMouse);
    return label;
}

// The same as a field-only row of `form`.
QLabel* addStatusRow(QWidget* parent, QFormLayout* form, const QString& objectName)
{
    QLabel* label = statusLabel(parent, objectName);
    form->addRow(QString(), label);
    return label;
}

QString capitalized(QString text)
{
    if (!text.isEmpty())
        text[0] = text[0].toUpper();
    return text;
}

} // namespace

EndpointsDialog::EndpointsDialog(ts::Project& project, QWidget* parent)
    : QDialog(parent)
    , m_project(project)
{
    setObjectName(QStringLiteral("endpointsDialog"));
    setWindowTitle(tr("Model Endpoints"));
    auto* layout = new QVBoxLayout(this);
    auto* row = new QHBoxLayout();
    auto* left = new QVBoxLayout();
    m_list = new QListWidget(this);
    m_list->setObjectName(QStringLiteral("endpointList"));
    m_list->setMaximumWidth(220); // the form's wrapped status lines get the width
    left->addWidget(m_list, 1);
    auto* listButtons = new QHBoxLayout();
    auto* add = new QPushButton(tr("&Add"), this);
    add->setObjectName(QStringLiteral("addEndpointButton"));
    m_removeButton = new QPushButton(tr("&Remove"), this);
    m_removeButton->setObjectName(QStringLiteral("removeEndpointButton"));
    listButtons->addWidget(add);
    listButtons->addWidget(m_removeButton);
    left->addLayout(listButtons);
    row->addLayout(left, 1);

    auto* form = new QFormLayout();
    m_form = form;
    m_name = new QLineEdit(this);
    m_name->setObjectName(QStringLiteral("endpointNameEdit"));
    m_name->setToolTip(tr("How prompt variants refer to this endpoint, e.g. \"gpt-4o-mini\" or \"local-demo\""));
    form->addRow(tr("&Name:"), m_name);
    m_kind = new QComboBox(this);
    m_kind->setObjectName(QStringLiteral("endpointKindCombo"));
    for (auto kind :
         {ts::llm::ProviderKind::OpenAiCompatible, ts::llm::ProviderKind::Anthropic, ts::llm::ProviderKind::Local})
        m_kind->addItem(fromStd(ts::llm::providerKindName(kind)), static_cast<int>(kind));
    m_kind->setToolTip(tr("openai-compatible: OpenAI, vLLM, llama.cpp server, Ollama, LM Studio and most hosts; "
                          "anthropic: the Messages API; local: a Hugging Face model folder run by Tunesmith's engine"));
    form->addRow(tr("&Kind:"), m_kind);
    m_baseUrl = new QLineEdit(this);
    m_baseUrl->setObjectName(QStringLiteral("endpointBaseUrlEdit"));
    m_baseUrl->setPlaceholderText(QStringLiteral("https://api.openai.com/v1"));
    m_baseUrl->setToolTip(
        tr("The API's base URL, e.g. http://127.0.0.1:8080/v1 (Anthropic: empty = api.anthropic.com)"));
    form->addRow(tr("Base &URL:"), m_baseUrl);
    auto* modelRow = new QHBoxLayout();
    m_model = new QLineEdit(this);
    m_model->setObjectName(QStringLiteral("endpointModelEdit"));
    m_model->setToolTip(tr("The provider's model name (\"gpt-4o-mini\"), or for a local endpoint the model folder"));
    m_browse = new QPushButton(tr("&Browse…"), this);
    m_browse->setObjectName(QStringLiteral("endpointBrowseButton"));
    m_browse->setToolTip(tr("Choose the local model's config.json"));
    m_modelNames = new QStringListModel(this);
    m_modelCompleter = new QCompleter(m_modelNames, this);
    m_modelCompleter->setCaseSensitivity(Qt::CaseInsensitive);
    m_modelCompleter->setFilterMode(Qt::MatchContains);
    m_model->setCompleter(m_modelCompleter);
    m_modelsButton = new QToolButton(this);
    m_modelsButton->setObjectName(QStringLiteral("endpointModelsButton"));
    m_modelsButton->setText(tr("Models…"));
    m_modelsButton->setToolTip(tr("The models the host listed in the last Test connection"));
    m_modelsButton->setEnabled(false);
    modelRow->addWidget(m_model, 1);
    modelRow->addWidget(m_modelsButton);
    modelRow->addWidget(m_browse);
    auto* modelLabel = new QLabel(tr("&Model:"), this);
    modelLabel->setBuddy(m_model);
    form->addRow(modelLabel, modelRow);
    m_adapter = new QComboBox(this);
    m_adapter->setObjectName(QStringLiteral("endpointAdapterCombo"));
    m_adapter->setSizeAdjustPolicy(QComboBox::AdjustToMinimumContentsLengthWithIcon);
    m_adapter->setMinimumContentsLength(24);
    m_adapter->setToolTip(tr("A PEFT LoRA adapter merged into the local model as it loads: a finished training "
                             "run's adapter, or any folder with adapter_config.json and "
                             "adapter_model.safetensors made for this model"));
    m_adapterLabel = new QLabel(tr("&Adapter:"), this);
    m_adapterLabel->setBuddy(m_adapter);
    form->addRow(m_adapterLabel, m_adapter);
    m_adapterStatus = addStatusRow(this, form, QStringLiteral("endpointAdapterStatus"));
    m_concurrency = new QSpinBox(this);
    m_concurrency->setObjectName(QStringLiteral("endpointConcurrencySpin"));
    m_concurrency->setRange(1, 256);
    m_concurrency->setValue(4);
    m_concurrency->setToolTip(tr("Requests in flight at once to this endpoint"));
    form->addRow(tr("Max &concurrency:"), m_concurrency);
    m_priceCheck = new QCheckBox(tr("Known &price (USD per 1M tokens):"), this);
    m_priceCheck->setObjectName(QStringLiteral("endpointPriceCheck"));
    m_priceCheck->setToolTip(tr("Without a price the cost of calls is unknown (local models: leave it off or 0)"));
    auto* priceRow = new QHBoxLayout();
    m_priceIn = new QDoubleSpinBox(this);
    m_priceIn->setObjectName(QStringLiteral("endpointPriceInSpin"));
    m_priceOut = new QDoubleSpinBox(this);
    m_priceOut->setObjectName(QStringLiteral("endpointPriceOutSpin"));
    for (QDoubleSpinBox* spin : {m_priceIn, m_priceOut}) {
        spin->setRange(0, 1000);
        spin->setDecimals(3);
        spin->setPrefix(QStringLiteral("$"));
    }
    m_priceIn->setToolTip(tr("USD per 1M input (prompt) tokens"));
    m_priceOut->setToolTip(tr("USD per 1M output (completion) tokens"));
    priceRow->addWidget(new QLabel(tr("in"), this));
    priceRow->addWidget(m_priceIn);
    priceRow->addWidget(new QLabel(tr("out"), this));
    priceRow->addWidget(m_priceOut);
    form->addRow(m_priceCheck, priceRow);
    m_keyEnv = new QLineEdit(this);
    m_keyEnv->setObjectName(QStringLiteral("endpointKeyEnvEdit"));
    m_keyEnv->setPlaceholderText(tr("default for the kind"));
    m_keyEnv->setToolTip(tr("Environment variable with the key, used when the keychain has none (the command line "
                            "always uses it). Empty: ANTHROPIC_API_KEY for anthropic, OPENAI_API_KEY for "
                            "api.openai.com, none for self-hosted servers."));
    form->addRow(tr("Key &variable:"), m_keyEnv);
    m_keyEnvStatus = addStatusRow(this, form, QStringLiteral("endpointKeyEnvStatus"));
    m_key = new QLineEdit(this);
    m_key->setObjectName(QStringLiteral("endpointKeyEdit"));
    m_key->setEchoMode(QLineEdit::Password);
    m_key->setPlaceholderText(tr("unchanged"));
    m_key->setToolTip(tr("Stored in the system keychain under this endpoint's name, never in the project file"));
    form->addRow(tr("API &key:"), m_key);
    m_keyStatus = addStatusRow(this, form, QStringLiteral("endpointKeyStatus"));
    auto* actions = new QHBoxLayout();
    m_testButton = new QPushButton(tr("&Test Connection"), this);
    m_testButton->setObjectName(QStringLiteral("testEndpointButton"));
    m_testButton->setToolTip(tr("Reads the host's model list and sends one 1-token request with the form as it is "
                                "(saved or not), using the key typed above, else the stored one"));
    auto* save = new QPushButton(tr("&Save Endpoint"), this);
    save->setObjectName(QStringLiteral("saveEndpointButton"));
    actions->addWidget(m_testButton);
    actions->addWidget(save);
    actions->addStretch(1);
    form->addRow(QString(), actions);
    m_testResult = addStatusRow(this, form, QStringLiteral("endpointTestResult"));
    row->addLayout(form, 2);
    layout->addLayout(row, 1);
    m_message = statusLabel(this, QStringLiteral("endpointMessage"));
    layout->addWidget(m_message);
    auto* buttons = new QDialogButtonBox(QDialogButtonBox::Close, this);
    layout->addWidget(buttons);

    connect(buttons, &QDialogButtonBox::rejected, this, &QDialog::accept);
    connect(add, &QPushButton::clicked, this, &EndpointsDialog::addNew);
    connect(m_removeButton, &QPushButton::clicked, this, &EndpointsDialog::removeCurrent);
    connect(save, &QPushButton::clicked, this, &EndpointsDialog::saveCurrent);
    connect(m_testButton, &QPushButton::clicked, this, &EndpointsDialog::testConnection);
    connect(m_modelsButton, &QToolButton::clicked, this, [this] {
        m_model->setFocus();
        m_modelCompleter->setCompletionPrefix(QString());
        m_modelCompleter->complete();
    });
    for (QLineEdit* edit : {m_name, m_baseUrl, m_keyEnv})
        connect(edit, &QLineEdit::textChanged, this, &EndpointsDialog::refreshKeyEnvStatus);
    connect(m_browse, &QPushButton::clicked, this, &EndpointsDialog::browseModelFolder);
    connect(m_kind, &QComboBox::currentIndexChanged, this, &EndpointsDialog::onKindChanged);
    connect(m_adapter, &QComboBox::currentIndexChanged, this, &EndpointsDialog::onAdapterActivated);
    connect(m_model, &QLineEdit::editingFinished, this, &EndpointsDialog::checkAdapter);
    connect(m_priceCheck, &QCheckBox::toggled, m_priceIn, &QWidget::setEnabled);
    connect(m_priceCheck, &QCheckBox::toggled, m_priceOut, &QWidget::setEnabled);
    connect(m_list, &QListWidget::currentRowChanged, this, [this](int r) {
        if (r < 0)
            return;
        auto reader = m_project.viewReader();
        if (!reader)
            return;
        auto e = ts::EndpointRepository(**reader).get(m_list->item(r)->text().toStdString());
        if (e && *e)
            showEndpoint(**e);
    });
    resize(900, 640);
    reloadAdapters();
    reload({});
    if (m_list->count() == 0)
        addNew();
}

EndpointsDialog::~EndpointsDialog()
{
    m_testCancel.requestStop();
}

void EndpointsDialog::reload(const QString& select)
{
    QSignalBlocker block(m_list);
    m_list->clear();
    auto reader = m_project.viewReader();
    auto all
        = reader ? ts::EndpointRepository(**reader).all() : ts::Expected<std::vector<ts::Endpoint>>(reader.error());
    int row = -1;
    if (all)
        for (const ts::Endpoint& e : *all) {
            m_list->addItem(fromStd(e.name));
            if (fromStd(e.name) == select)
                row = m_list->count() - 1;
        }
    if (row < 0 && m_list->count() > 0)
        row = 0;
    block.unblock();
    m_list->setCurrentRow(row);
    if (row >= 0 && all)
        showEndpoint((*all)[static_cast<size_t>(row)]);
    m_removeButton->setEnabled(row >= 0);
}

void EndpointsDialog::showEndpoint(const ts::Endpoint& e)
{
    m_base = e.provider;
    m_name->setText(fromStd(e.name));
    m_name->setReadOnly(e.id != 0);
    m_kind->setCurrentIndex(m_kind->findData(static_cast<int>(e.provider.kind)));
    m_baseUrl->setText(fromStd(e.provider.baseUrl));
    m_model->setText(fromStd(e.provider.model));
    m_keyEnv->setText(fromStd(e.provider.apiKeyEnv));
    m_key->clear();
    m_concurrency->setValue(e.provider.maxConcurrency);
    m_priceCheck->setChecked(e.price.has_value());
    m_priceIn->setValue(e.price ? e.price->inputPerMillion : 0);
    m_priceOut->setValue(e.price ? e.price->outputPerMillion : 0);
    m_priceIn->setEnabled(e.price.has_value());
    m_priceOut->setEnabled(e.price.has_value());
    selectAdapter(fromStd(e.provider.adapter));
    clearTest();
    onKindChanged();
    if (e.id != 0)
        refreshKeyStatus(e);
    else
        m_keyStatus->clear();
}

void EndpointsDialog::addNew()
{
    QSignalBlocker block(m_list);
    m_list->clearSelection();
    m_list->setCurrentRow(-1);
    ts::Endpoint e;
    showEndpoint(e);
    m_name->setFocus();
    m_removeButton->setEnabled(false);
}

void EndpointsDialog::onKindChanged()
{
    const auto kind = static_cast<ts::llm::ProviderKind>(m_kind->currentData().toInt());
    const bool local = kind == ts::llm::ProviderKind::Local;
    m_browse->setVisible(local);
    m_modelsButton->setVisible(!local);
    m_testButton->setEnabled(!local);
    m_baseUrl->setEnabled(!local);
    m_keyEnv->setEnabled(!local);
    m_key->setEnabled(!local && ApiKeyStore::keychainEnabled());
    m_model->setPlaceholderText(local ? tr("/path/to/model folder") : tr("gpt-4o-mini"));
    m_form->setRowVisible(m_adapter, local);
    checkAdapter();
    refreshKeyEnvStatus();
}

ts::llm::ProviderConfig EndpointsDialog::configFromForm() const
{
    ts::llm::ProviderConfig config = m_base;
    config.kind = static_cast<ts::llm::ProviderKind>(m_kind->currentData().toInt());
    const bool local = config.kind == ts::llm::ProviderKind::Local;
    config.baseUrl = local ? std::string() : m_baseUrl->text().trimmed().toStdString();
    config.model = m_model->text().trimmed().toStdString();
    config.apiKeyEnv = local ? std::string() : m_keyEnv->text().trimmed().toStdString();
    config.maxConcurrency = m_concurrency->value();
    config.adapter = local ? toPath(currentAdapter()).string() : std::string();
    return config;
}

void EndpointsDialog::refreshKeyEnvStatus()
{
    const ts::llm::ProviderConfig config = configFromForm();
    const bool local = config.kind == ts::llm::ProviderKind::Local;
    m_form->setRowVisible(m_keyEnvStatus, !local);
    if (local)
        return;
    const QString typed = m_keyEnv->text().trimmed();
    const QString env = fromStd(ts::llm::effectiveApiKeyEnv(config));
    m_keyEnv->setPlaceholderText(typed.isEmpty() && !env.isEmpty() ? tr("%1 (the default here)").arg(env) : tr("none"));
    QString text;
    bool problem = false;
    if (env.isEmpty()) {
        text = tr("Reads no environment variable: a self-hosted server gets no key unless one is stored or a "
                  "variable is named here (e.g. %1).")
                   .arg(suggestedKeyEnv(m_name->text()));
    } else if (!ts::llm::isValidEnvName(env.toStdString())) {
        text = tr("\"%1\" is not a valid variable name: letters, digits and _, not starting with a digit.").arg(env);
        problem = true;
    } else if (ts::llm::apiKeyFromEnv(env.toStdString())) {
        text = tr("Reads $%1 when the keychain has no key: it is set in this session.").arg(env);
    } else {
        text = tr("Reads $%1 when the keychain has no key: it is not set in this session (set it before starting "
                  "Tunesmith).")
                   .arg(env);
    }
    m_keyEnvStatus->setText(text);
    m_keyEnvStatus->setStyleSheet(problem ? QStringLiteral("color: #c0392b;") : QString());
}

void EndpointsDialog::reloadAdapters()
{
    QSignalBlocker block(m_adapter);
    const QString current = currentAdapter();
    m_adapter->clear();
    m_adapter->addItem(tr("None (the base model)"), QString());
    // Finished training runs of the project, newest first, with the adapter they wrote.
    const auto projectDir = m_project.path().parent_path();
    auto lock = m_project.writeLock();
    ts::RunRepository runs(m_project.writer());
    auto trained = runs.list("train");
    if (trained)
        for (const ts::Run& run : *trained) {
            if (run.status != ts::RunStatus::Succeeded)
                continue;
            auto artifacts = runs.artifacts(run.id, "adapter");
            if (!artifacts)
                continue;
            for (const ts::Artifact& a : *artifacts) {
                const QString folder = QDir::cleanPath(fromStd((projectDir / a.path).string()));
                const QString name = run.name.empty() ? QString() : QStringLiteral(" “%1”").arg(fromStd(run.name));
                m_adapter->addItem(tr("Training run %1%2 — adapter").arg(run.id).arg(name), folder);
                m_adapter->setItemData(m_adapter->count() - 1, folder, Qt::ToolTipRole);
            }
        }
    lock.unlock();
    m_adapter->addItem(tr("Choose folder…"), QString());
    m_adapter->setItemData(m_adapter->count() - 1, true, kChooseFolderRole);
    block.unblock();
    selectAdapter(current);
}

void EndpointsDialog::selectAdapter(const QString& folder)
{
    QSignalBlocker block(m_adapter);
    const QString clean = folder.isEmpty() ? QString() : QDir::cleanPath(folder);
    int index = -1;
    for (int i = 0; i < m_adapter->count() && index < 0; ++i)
        if (!m_adapter->itemData(i, kChooseFolderRole).toBool() && m_adapter->itemData(i).toString() == clean)
            index = i;
    if (index < 0) { // a folder of its own: listed just before "Choose folder…"
        index = m_adapter->count() - 1;
        m_adapter->insertItem(index, QFileInfo(clean).fileName() + QStringLiteral(" — ") + clean, clean);
        m_adapter->setItemData(index, clean, Qt::ToolTipRole);
    }
    m_adapter->setCurrentIndex(index);
    m_lastAdapterIndex = index;
    block.unblock();
    checkAdapter();
}

void EndpointsDialog::onAdapterActivated(int index)
{
    if (index < 0)
        return;
    if (!m_adapter->itemData(index, kChooseFolderRole).toBool()) {
        m_lastAdapterIndex = index;
        checkAdapter();
        return;
    }
    const QString start = currentAdapter().isEmpty() ? m_model->text() : currentAdapter();
    const QString file = Dialogs::getOpenFileName(this, tr("Choose the Adapter's adapter_config.json"), start,
                                                  tr("PEFT adapter (adapter_config.json);;All files (*)"));
    if (file.isEmpty()) { // cancelled: keep the previous choice
        QSignalBlocker block(m_adapter);
        m_adapter->setCurrentIndex(m_lastAdapterIndex);
        return;
    }
    const QFileInfo info(file);
    selectAdapter(info.isDir() ? info.absoluteFilePath() : info.absolutePath());
}

QString EndpointsDialog::currentAdapter() const
{
    const int index = m_adapter->currentIndex();
    if (index < 0 || m_adapter->itemData(index, kChooseFolderRole).toBool())
        return {};
    return m_adapter->itemData(index).toString();
}

void EndpointsDialog::checkAdapter()
{
    // The line under the picker: shown only for a local endpoint with an adapter chosen.
    const auto show = [this](const QString& text, bool error) {
        m_adapterStatus->setText(text);
        m_adapterStatus->setStyleSheet(error ? QStringLiteral("color: #c0392b;") : QString());
        m_form->setRowVisible(m_adapterStatus, !text.isEmpty());
    };
    const QString adapter = currentAdapter();
    if (adapter.isEmpty() || m_kind->currentData().toInt() != static_cast<int>(ts::llm::ProviderKind::Local))
        return show(QString(), false);
    if (m_model->text().trimmed().isEmpty())
        return show(tr("Choose the model folder to check the adapter against it."), false);
    const auto fits = ts::checkAdapterFitsModel(toPath(adapter), toPath(m_model->text().trimmed()));
    show(fits ? tr("Fits this model: merged into it as it loads.") : fromStd(fits.error().message), !fits);
}

void EndpointsDialog::browseModelFolder()
{
    const QString dir = chooseModelFolder(this, m_model->text());
    if (!dir.isEmpty())
        m_model->setText(dir);
}

ts::Expected<ts::Endpoint> EndpointsDialog::endpointFromForm() const
{
    ts::Endpoint e;
    e.name = m_name->text().trimmed().toStdString();
    if (e.name.empty())
        return ts::makeError(tr("Give the endpoint a name.").toStdString());
    e.provider = configFromForm();
    if (!e.provider.adapter.empty())
        if (auto fits = ts::checkAdapterFitsModel(e.provider.adapter, e.provider.model); !fits)
            return fits.error();
    if (m_priceCheck->isChecked())
        e.price = ts::llm::ModelPrice {m_priceIn->value(), m_priceOut->value()};
    if (auto valid = ts::llm::validateProviderConfig(e.provider); !valid)
        return valid.error();
    return e;
}

bool EndpointsDialog::saveCurrent()
{
    auto e = endpointFromForm();
    if (!e) {
        setMessage(fromStd(e.error().message), true);
        return false;
    }
    ts::Status saved;
    {
        auto lock = m_project.writeLock();
        saved = ts::EndpointRepository(m_project.writer()).save(*e);
    }
    if (!saved) {
        setMessage(fromStd(saved.error().message), true);
        return false;
    }
    m_changed = true;
    const QString name = fromStd(e->name);
    const QString key = m_key->text();
    reload(name);
    if (!key.isEmpty() && e->provider.kind != ts::llm::ProviderKind::Local) {
        ApiKeyStore::write(this, name, key, [this, key, endpoint = *e](const QString& error) {
            const QString endpointName = fromStd(endpoint.name);
            if (error.isEmpty()) {
                ApiKeyStore::keepForSession(endpointName, {});
                setMessage(tr("Saved \"%1\"; its key is in the keychain.").arg(endpointName), false);
            } else {
                // Nothing typed is lost: the key goes back into the field (Test Connection can use it) and is kept
                // in memory for this session's runs.
                ApiKeyStore::keepForSession(endpointName, key);
                if (m_name->text().trimmed() == endpointName)
                    m_key->setText(key);
                setMessage(
                    tr("Saved \"%1\", but its key could not be stored: %2. %3 The key you typed is still in "
                       "the field, and runs use it until you quit.")
                        .arg(endpointName, error,
                             keychainAdvice(fromStd(ts::llm::effectiveApiKeyEnv(endpoint.provider)), endpointName)),
                    true);
            }
            refreshKeyStatus(endpoint);
            emit keySaveFinished();
        });
    } else {
        setMessage(tr("Saved \"%1\".").arg(name), false);
    }
    return true;
}

bool EndpointsDialog::removeCurrent()
{
    const int row = m_list->currentRow();
    if (row < 0)
        return false;
    const QString name = m_list->item(row)->text();
    const auto answer = Dialogs::question(
        this, tr("Remove Endpoint"),
        tr("Remove \"%1\" and its key from the keychain? Prompt variants that use it must then pick another.")
            .arg(name),
        QMessageBox::Yes | QMessageBox::No, QMessageBox::No);
    if (answer != QMessageBox::Yes)
        return false;
    ts::Status removed;
    {
        auto lock = m_project.writeLock();
        removed = ts::EndpointRepository(m_project.writer()).remove(name.toStdString());
    }
    if (!removed) {
        setMessage(fromStd(removed.error().message), true);
        return false;
    }
    m_changed = true;
    ApiKeyStore::remove(this, name, [](const QString&) {});
    reload({});
    if (m_list->count() == 0)
        addNew();
    setMessage(tr("Removed \"%1\".").arg(name), false);
    return true;
}

void EndpointsDialog::refreshKeyStatus(const ts::Endpoint& endpoint)
{
    if (endpoint.provider.kind == ts::llm::ProviderKind::Local) {
        m_keyStatus->setText(tr("A local model needs no key."));
        emit keyLookupFinished();
        return;
    }
    m_keyStatus->setText(tr("Looking for the key…"));
    const QString name = fromStd(endpoint.name);
    ApiKeyStore::read(this, endpoint, [this, name](const KeyLookup& lookup) {
        if (m_name->text().trimmed() != name)
            return; // another endpoint is shown now
        // The key field stays usable when the keychain fails: a typed key still serves Test Connection.
        m_keyStatus->setText(capitalized(lookup.describe()) + QLatin1Char('.'));
        emit keyLookupFinished();
    });
}

QStringList EndpointsDialog::offeredModels() const
{
    return m_modelNames->stringList();
}

void EndpointsDialog::clearTest()
{
    m_testResult->clear();
    m_form->setRowVisible(m_testResult, false);
    m_modelNames->setStringList({});
    m_modelsButton->setEnabled(false);
}

void EndpointsDialog::showTestResult(const QString& text, int state)
{
    m_testResult->setText(text);
    m_testResult->setStyleSheet(state < 0       ? QStringLiteral("color: #c0392b;")
                                    : state > 0 ? QStringLiteral("color: #1e7b34;")
                                                : QString());
    m_form->setRowVisible(m_testResult, !text.isEmpty());
}

void EndpointsDialog::testConnection()
{
    const ts::llm::ProviderConfig config = configFromForm();
    if (config.kind == ts::llm::ProviderKind::Local) {
        showTestResult(tr("A local endpoint runs the model folder in Tunesmith: there is no server to test."), -1);
        emit connectionTestFinished();
        return;
    }
    m_testButton->setEnabled(false);
    setCursor(Qt::BusyCursor);
    showTestResult(tr("Testing %1 …").arg(fromStd(ts::llm::modelListUrl(config))), 0);
    const auto check = [this, config](const std::string& key, const QString& keySource) {
        const ts::CancelToken cancel = m_testCancel;
        runInBackground<ts::llm::EndpointCheck>(
            this, [config, key, cancel] { return ts::llm::checkEndpoint(config, key, cancel); },
            [this, config, keySource](const ts::llm::EndpointCheck& result) {
                m_testButton->setEnabled(static_cast<ts::llm::ProviderKind>(m_kind->currentData().toInt())
                                         != ts::llm::ProviderKind::Local);
                unsetCursor();
                if (result.models) {
                    QStringList names;
                    for (const std::string& model : *result.models)
                        names << fromStd(model);
                    m_modelNames->setStringList(names);
                    m_modelsButton->setEnabled(!names.isEmpty());
                }
                showTestResult(fromStd(result.summary(config.model)) + QLatin1Char('\n')
                                   + tr("Key sent: %1.").arg(keySource),
                               result.ok ? 1 : -1);
                emit connectionTestFinished();
            });
    };
    if (!m_key->text().isEmpty()) {
        check(m_key->text().toStdString(), tr("the one typed in the field"));
        return;
    }
    ts::Endpoint endpoint;
    endpoint.name = m_name->text().trimmed().toStdString();
    endpoint.provider = config;
    ApiKeyStore::read(this, endpoint, [check](const KeyLookup& lookup) {
        switch (lookup.from) {
        case KeyLookup::From::Keychain:
            return check(lookup.key.toStdString(), tr("the one in the keychain"));
        case KeyLookup::From::Session:
            return check(lookup.key.toStdString(), tr("the one typed in this session"));
        case KeyLookup::From::Environment:
            return check(lookup.key.toStdString(), tr("the one in $%1").arg(lookup.envName));
        case KeyLookup::From::None:
            break;
        }
        return check(std::string(), tr("none"));
    });
}

void EndpointsDialog::setMessage(const QString& text, bool error)
{
    m_message->setText(text);
    m_message->setStyleSheet(error ? QStringLiteral("color: #c0392b;") : QString());
}

} // namespace ts::ui
