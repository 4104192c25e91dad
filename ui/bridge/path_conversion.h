// Path conversion between QString (UI) and std::filesystem::path (core), in the local 8-bit encoding.
#pragma once

#include <filesystem>

#include <QString>

namespace ts::ui {

std::filesystem::path toPath(const QString& path);
QString fromPath(const std::filesystem::path& path);
QString fromStd(std::string_view text); // UTF-8 text from core

} // namespace ts::ui
