// diagnoseKeychainFailure: QDBusConnection::sessionBus() tells whether a session bus answers, and its interface
// whether a keyring service is registered on it (Linux; elsewhere the keychain library's message stands).
#include "promptlab/keychain_diagnosis.h"

#include <atomic>

#include <QCoreApplication>

// QtKeychain links QtDBus where it uses D-Bus (Linux), so its headers are there exactly where they are needed.
#if __has_include(<QDBusConnection>)
#define TUNESMITH_KEYCHAIN_OVER_DBUS 1
#include <QDBusConnection>
#include <QDBusConnectionInterface>
#endif

namespace ts::ui {

QString diagnoseKeychainFailure(const QString& keychainMessage)
{
#if defined(TUNESMITH_KEYCHAIN_OVER_DBUS)
    // A private connection with a name of its own per call (calls may overlap on the pool): the shared sessionBus()
    // would keep a failed connection for the whole process.
    static std::atomic<int> calls {0};
    const QString connectionName = QStringLiteral("tunesmith-keychain-check-%1").arg(calls++);
    QString reason;
    {
        QDBusConnection bus = QDBusConnection::connectToBus(QDBusConnection::SessionBus, connectionName);
        if (!bus.isConnected()) {
            reason = QCoreApplication::translate("ts::ui::ApiKeyStore",
                                                 "no D-Bus session, so no Secret Service or KWallet can answer");
        } else if (QDBusConnectionInterface* busInterface = bus.interface()) {
            bool any = false;
            for (const char* service : {"org.freedesktop.secrets", "org.kde.kwalletd6", "org.kde.kwalletd5"})
                any = any || busInterface->isServiceRegistered(QString::fromLatin1(service)).value();
            if (!any)
                reason = QCoreApplication::translate("ts::ui::ApiKeyStore",
                                                     "no Secret Service or KWallet is running on the D-Bus session");
        }
    }
    QDBusConnection::disconnectFromBus(connectionName);
    if (!reason.isEmpty())
        return QCoreApplication::translate("ts::ui::ApiKeyStore", "the system keychain is not available (%1)")
            .arg(reason);
#endif
    return QCoreApplication::translate("ts::ui::ApiKeyStore", "the system keychain failed (%1)").arg(keychainMessage);
}

} // namespace ts::ui
