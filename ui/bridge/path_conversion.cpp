// Path conversion: QFile::encodeName/decodeName so non-ASCII file names survive the trip.
#include "bridge/path_conversion.h"

#include <QFile>

namespace ts::ui {

std::filesystem::path toPath(const QString& path)
{
    return std::filesystem::path(QFile::encodeName(path).toStdString());
}

QString fromPath(const std::filesystem::path& path)
{
    return QFile::decodeName(QByteArray::fromStdString(path.string()));
}

QString fromStd(std::string_view text)
{
    return QString::fromUtf8(text.data(), static_cast<qsizetype>(text.size()));
}

} // namespace ts::ui
