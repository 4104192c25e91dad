// Number formatting shared by the Training page's widgets: parameter counts, byte sizes, durations, rates.
#pragma once

#include <cstdint>

#include <QString>

namespace ts::ui {

QString formatParameterCount(int64_t count); // "1.24 B", "8.0 M", "950 K", "12"
QString formatMemory(uint64_t bytes); // ts::formatBytes: "13.6 GiB"
QString formatDuration(double seconds); // "45 s", "4 min 12 s", "2 h 05 min"
QString formatRate(double perSecond); // "3,412" / "12.5" in the user's locale

} // namespace ts::ui
