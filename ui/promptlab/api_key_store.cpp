// ApiKeyStore: QKeychain::ReadPasswordJob / WritePasswordJob / DeletePasswordJob, self-deleting, with their
// finished signal bound to the caller's context; the environment fallback through core's llm::apiKeyFromEnv.
#include "promptlab/api_key_store.h"

#include <QHash>

#include <QPointer>
#include <QTimer>
#include <qt6keychain/keychain.h>

#include "bridge/background_task.h"
#include "bridge/path_conversion.h"
#include "llm/api_keys.h"
#include "llm/provider_config.h"
#include "promptlab/keychain_diagnosis.h"

namespace ts::ui {

namespace {

bool g_keychainEnabled = true;

QString entryName(const QString& endpointName)
{
    return QStringLiteral("endpoint/") + endpointName;
}

// Keys the keychain refused, by endpoint name: this process's memory only (GUI thread).
QHash<QString, QString>& sessionKeys()
{
    static QHash<QString, QString> keys;
    return keys;
}

void finishFromEnvironment(KeyLookup lookup, const QString& endpointName,
                           const std::function<void(const KeyLookup&)>& done)
{
    if (const QString kept = sessionKeys().value(endpointName); !kept.isEmpty()) {
        lookup.key = kept;
        lookup.from = KeyLookup::From::Session;
    } else if (!lookup.envName.isEmpty()) {
        auto key = ts::llm::apiKeyFromEnv(lookup.envName.toStdString());
        if (key) {
            lookup.key = fromStd(*key);
            lookup.from = KeyLookup::From::Environment;
        }
    }
    done(lookup);
}

// `done` gets diagnoseKeychainFailure's explanation of the failed `job`, worked out on the work pool.
void explainFailure(QObject* context, const QKeychain::Job& job, std::function<void(const QString&)> done)
{
    const QString message = job.errorString();
    runInBackground<QString>(
        context, [message] { return diagnoseKeychainFailure(message); }, std::move(done));
}

} // namespace

QString KeyLookup::describe() const
{
    QString text;
    switch (from) {
    case From::Keychain:
        return QObject::tr("key from the keychain");
    case From::Session:
        text = QObject::tr("key typed in this session (kept in memory only, not stored)");
        break;
    case From::Environment:
        text = QObject::tr("key from $%1").arg(envName);
        break;
    case From::None:
        text = envName.isEmpty() ? QObject::tr("no key (none needed for this host unless you store one)")
                                 : QObject::tr("no key stored and $%1 is not set").arg(envName);
        break;
    }
    if (!keychainAvailable)
        text += QStringLiteral(" — ")
            + (keychainError.isEmpty()
                   ? QObject::tr("the keychain is not available (disabled), so keys come from environment variables")
                   : QObject::tr("%1, so keys come from environment variables").arg(keychainError));
    return text;
}

void ApiKeyStore::setKeychainEnabled(bool enabled)
{
    g_keychainEnabled = enabled;
}

bool ApiKeyStore::keychainEnabled()
{
    return g_keychainEnabled;
}

void ApiKeyStore::read(QObject* context, const ts::Endpoint& endpoint, std::function<void(const KeyLookup&)> done)
{
    KeyLookup lookup;
    lookup.envName = fromStd(ts::llm::effectiveApiKeyEnv(endpoint.provider));
    if (endpoint.provider.kind == ts::llm::ProviderKind::Local) {
        QTimer::singleShot(0, context, [lookup, done] { done(lookup); });
        return;
    }
    if (!g_keychainEnabled) {
        lookup.keychainAvailable = false;
        QTimer::singleShot(
            0, context, [lookup, name = fromStd(endpoint.name), done] { finishFromEnvironment(lookup, name, done); });
        return;
    }
    auto* job = new QKeychain::ReadPasswordJob(QString::fromLatin1(kService));
    job->setAutoDelete(true);
    job->setInsecureFallback(false); // never a plain-text copy in the settings
    job->setKey(entryName(fromStd(endpoint.name)));
    QObject::connect(job, &QKeychain::Job::finished, context,
                     [context, job, lookup, name = fromStd(endpoint.name), done](QKeychain::Job*) mutable {
                         switch (job->error()) {
                         case QKeychain::NoError:
                             lookup.key = job->textData();
                             if (!lookup.key.isEmpty()) {
                                 lookup.from = KeyLookup::From::Keychain;
                                 done(lookup);
                                 return;
                             }
                             break;
                         case QKeychain::EntryNotFound:
                             break;
                         default:
                             lookup.keychainAvailable = false;
                             explainFailure(context, *job, [lookup, name, done](const QString& why) mutable {
                                 lookup.keychainError = why;
                                 finishFromEnvironment(lookup, name, done);
                             });
                             return;
                         }
                         finishFromEnvironment(lookup, name, done);
                     });
    job->start();
}

void ApiKeyStore::keepForSession(const QString& endpointName, const QString& key)
{
    if (key.isEmpty())
        sessionKeys().remove(endpointName);
    else
        sessionKeys().insert(endpointName, key);
}

void ApiKeyStore::write(QObject* context, const QString& endpointName, const QString& key,
                        std::function<void(const QString& error)> done)
{
    if (key.isEmpty()) {
        remove(context, endpointName, std::move(done));
        return;
    }
    if (!g_keychainEnabled) {
        QTimer::singleShot(0, context, [done] { done(QObject::tr("the system keychain is disabled")); });
        return;
    }
    auto* job = new QKeychain::WritePasswordJob(QString::fromLatin1(kService));
    job->setAutoDelete(true);
    job->setInsecureFallback(false);
    job->setKey(entryName(endpointName));
    job->setTextData(key);
    QObject::connect(job, &QKeychain::Job::finished, context, [context, job, done](QKeychain::Job*) {
        if (job->error() == QKeychain::NoError)
            done(QString());
        else
            explainFailure(context, *job, done);
    });
    job->start();
}

void ApiKeyStore::remove(QObject* context, const QString& endpointName, std::function<void(const QString& error)> done)
{
    if (!g_keychainEnabled) {
        QTimer::singleShot(0, context, [done] { done(QString()); });
        return;
    }
    auto* job = new QKeychain::DeletePasswordJob(QString::fromLatin1(kService));
    job->setAutoDelete(true);
    job->setInsecureFallback(false);
    job->setKey(entryName(endpointName));
    QObject::connect(job, &QKeychain::Job::finished, context, [context, job, done](QKeychain::Job*) {
        if (job->error() == QKeychain::NoError || job->error() == QKeychain::EntryNotFound)
            done(QString());
        else
            explainFailure(context, *job, done);
    });
    job->start();
}

} // namespace ts::ui
