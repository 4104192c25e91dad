// Run names: numbered automatic names and suffixed duplicates, checked against the names a project already has.
#include "bridge/run_names.h"

namespace ts::ui {

QString automaticRunName(const QString& kindWord, const QString& detail, int runsOfKind, const QStringList& taken)
{
    for (int number = runsOfKind + 1;; ++number) {
        QString name = QStringLiteral("%1 %2").arg(kindWord).arg(number);
        if (!detail.isEmpty())
            name += QStringLiteral(" · ") + detail;
        if (!taken.contains(name))
            return name;
    }
}

QString uniqueRunName(const QString& typed, const QStringList& taken)
{
    const QString name = typed.trimmed();
    if (!taken.contains(name))
        return name;
    for (int copy = 2;; ++copy) {
        const QString candidate = QStringLiteral("%1 (%2)").arg(name).arg(copy);
        if (!taken.contains(candidate))
            return candidate;
    }
}

QString newRunName(const QString& typed, const QString& kindWord, const QString& detail, int runsOfKind,
                   const QStringList& taken)
{
    if (!typed.trimmed().isEmpty())
        return uniqueRunName(typed, taken);
    return automaticRunName(kindWord, detail, runsOfKind, taken);
}

} // namespace ts::ui
