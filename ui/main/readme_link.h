// Help ▸ Read the README: where the README is (installed beside the program, else the source tree it was built from)
// and how it is opened (the desktop's viewer; tests replace the opener so that nothing launches).
#pragma once

#include <functional>

#include <QString>
#include <QUrl>

namespace ts::ui {

// The README file that exists, in this order: <prefix>/share/doc/tunesmith/README.md beside the program, the source
// tree's README.md; "" when neither does.
QString readmePath();
// Opens `url` with QDesktopServices, or with the opener set for tests; false when it could not.
bool openExternalUrl(const QUrl& url);
void setExternalUrlOpenerForTesting(std::function<bool(const QUrl&)> opener); // nullptr: QDesktopServices again

} // namespace ts::ui
