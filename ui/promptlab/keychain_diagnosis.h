// diagnoseKeychainFailure: why the OS keychain did not answer, in words a user can act on. QtKeychain reports most
// failures on Linux as "Unknown error"; this looks at what is missing: no D-Bus session at all, or a session on which
// neither the Secret Service (GNOME Keyring, KeePassXC) nor KWallet is registered. It makes blocking D-Bus calls, so
// it runs off the GUI thread (ApiKeyStore calls it on the work pool).
#pragma once

#include <QString>

namespace ts::ui {

// "the system keychain is not available (no D-Bus session, …)", or "the system keychain failed (<keychainMessage>)"
// when nothing is found missing; `keychainMessage` is the keychain library's own errorString().
QString diagnoseKeychainFailure(const QString& keychainMessage);

} // namespace ts::ui
