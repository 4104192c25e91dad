// chooseModelFolder: an open-file dialog for config.json; a chosen folder is taken as is.
#include "widgets/model_folder_dialog.h"

#include <QCoreApplication>
#include <QDir>
#include <QFileInfo>
#include <QStandardPaths>

#include "dialogs/dialogs.h"

namespace ts::ui {

QString chooseModelFolder(QWidget* parent, const QString& start)
{
    const QString dir = start.isEmpty() ? QStandardPaths::writableLocation(QStandardPaths::HomeLocation) : start;
    const QString file = Dialogs::getOpenFileName(
        parent, QCoreApplication::translate("ModelFolder", "Choose the Model's config.json"), dir,
        QCoreApplication::translate("ModelFolder", "Model configuration (config.json);;All files (*)"));
    if (file.isEmpty())
        return {};
    const QFileInfo info(file);
    return QDir::cleanPath(info.isDir() ? info.absoluteFilePath() : info.absolutePath());
}

} // namespace ts::ui
