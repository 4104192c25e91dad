// Formatting helpers for the Training page.
#include "training/training_format.h"

#include <cmath>

#include <QCoreApplication>
#include <QLocale>

#include "bridge/path_conversion.h"
#include "train/memory_estimate.h"

namespace ts::ui {

QString formatParameterCount(int64_t count)
{
    const QLocale locale;
    const double v = static_cast<double>(count);
    if (count >= 1'000'000'000)
        return QCoreApplication::translate("TrainingFormat", "%1 B").arg(locale.toString(v / 1e9, 'f', 2));
    if (count >= 1'000'000)
        return QCoreApplication::translate("TrainingFormat", "%1 M").arg(locale.toString(v / 1e6, 'f', 1));
    if (count >= 10'000)
        return QCoreApplication::translate("TrainingFormat", "%1 K").arg(locale.toString(v / 1e3, 'f', 0));
    return locale.toString(static_cast<qlonglong>(count));
}

QString formatMemory(uint64_t bytes)
{
    return fromStd(ts::formatBytes(bytes));
}

QString formatDuration(double seconds)
{
    if (!std::isfinite(seconds) || seconds < 0)
        return QStringLiteral("–");
    const auto total = static_cast<qint64>(std::llround(seconds));
    if (total < 60)
        return QCoreApplication::translate("TrainingFormat", "%1 s").arg(total);
    if (total < 3600)
        return QCoreApplication::translate("TrainingFormat", "%1 min %2 s")
            .arg(total / 60)
            .arg(total % 60, 2, 10, QLatin1Char('0'));
    return QCoreApplication::translate("TrainingFormat", "%1 h %2 min")
        .arg(total / 3600)
        .arg((total % 3600) / 60, 2, 10, QLatin1Char('0'));
}

QString formatRate(double perSecond)
{
    const QLocale locale;
    if (perSecond >= 100)
        return locale.toString(std::round(perSecond), 'f', 0);
    return locale.toString(perSecond, 'f', 1);
}

} // namespace ts::ui
