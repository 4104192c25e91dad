// The README's location (TUNESMITH_README_IN_SOURCE is set on this file only, by ui/CMakeLists.txt) and the opener
// seam.
#include "main/readme_link.h"

#include <QCoreApplication>
#include <QDesktopServices>
#include <QFileInfo>

namespace ts::ui {

namespace {

std::function<bool(const QUrl&)>& opener()
{
    static std::function<bool(const QUrl&)> function;
    return function;
}

} // namespace

QString readmePath()
{
    const QString installed
        = QCoreApplication::applicationDirPath() + QStringLiteral("/../share/doc/tunesmith/README.md");
    for (const QString& candidate : {installed, QStringLiteral(TUNESMITH_README_IN_SOURCE)})
        if (QFileInfo(candidate).isFile())
            return QFileInfo(candidate).canonicalFilePath();
    return {};
}

bool openExternalUrl(const QUrl& url)
{
    if (opener())
        return opener()(url);
    return QDesktopServices::openUrl(url);
}

void setExternalUrlOpenerForTesting(std::function<bool(const QUrl&)> function)
{
    opener() = std::move(function);
}

} // namespace ts::ui
