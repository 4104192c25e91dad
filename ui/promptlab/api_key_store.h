// ApiKeyStore: the API keys of a project's endpoints in the OS keychain (QtKeychain: Secret Service, KWallet,
// macOS Keychain, Windows Credential Store), one entry per endpoint name under the service "Tunesmith". Keys are
// never written to the project file or the settings. Where no keychain answers (a headless session, CI), a key
// comes from a key typed in this session (kept in memory only), else from the environment variable the endpoint's
// config names (llm::effectiveApiKeyEnv), and callers say so.
// Every call is asynchronous: the callback runs on the GUI thread, and not at all once `context` is deleted.
#pragma once

#include <functional>

#include <QObject>
#include <QString>

#include "llm/endpoint_repository.h"

namespace ts::ui {

struct KeyLookup
{
    QString key; // "" when none was found (or the endpoint needs none)
    enum class From { None, Keychain, Session, Environment } from = From::None;
    bool keychainAvailable = true; // false: the keychain did not answer (see keychainError)
    QString keychainError; // "the system keychain is not available (no D-Bus session, …)" (diagnoseKeychainFailure)
    QString envName; // the variable that was (or would be) read; "" when the config uses none
    QString describe() const; // "from the keychain", "from $OPENAI_API_KEY (keychain unavailable: …)", …
};

class ApiKeyStore final
{
public:
    ApiKeyStore() = delete;
    static constexpr const char* kService = "Tunesmith";

    // Off: behave as if no keychain were installed (tests, and a session without one); on by default.
    static void setKeychainEnabled(bool enabled);
    static bool keychainEnabled();

    // The key for `endpoint`: the keychain's entry, else the environment variable of its config.
    static void read(QObject* context, const ts::Endpoint& endpoint, std::function<void(const KeyLookup&)> done);
    // Stores (or, with an empty key, deletes) the keychain entry of `endpointName`; error "" on success, else what
    // failed and why ("the system keychain is not available (no D-Bus session, …)").
    static void write(QObject* context, const QString& endpointName, const QString& key,
                      std::function<void(const QString& error)> done);
    static void remove(QObject* context, const QString& endpointName, std::function<void(const QString& error)> done);
    // A key the keychain could not store, kept in this process's memory only (never on disk) so that runs of this
    // session can use it; read() prefers it to the environment. An empty key forgets it.
    static void keepForSession(const QString& endpointName, const QString& key);
};

} // namespace ts::ui
