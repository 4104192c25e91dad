// Names for new runs that are unique within a project: an automatic one when the user typed none ("run 3 · small-fast",
// "ab 2 · terse vs fields"), a typed one kept as typed unless the project already has it (then " (2)", " (3)", …).
#pragma once

#include <QString>
#include <QStringList>

namespace ts::ui {

// `kindWord` ("run", "ab") numbered one past `runsOfKind`, raised until the name is not in `taken`; `detail` (a preset,
// the variants) follows after " · " when not empty.
QString automaticRunName(const QString& kindWord, const QString& detail, int runsOfKind, const QStringList& taken);
// `typed` (trimmed) when it is not in `taken`, else the first of "typed (2)", "typed (3)", … that is not.
QString uniqueRunName(const QString& typed, const QStringList& taken);
// The name a new run gets: uniqueRunName of `typed` when it is not blank, else automaticRunName.
QString newRunName(const QString& typed, const QString& kindWord, const QString& detail, int runsOfKind,
                   const QStringList& taken);

} // namespace ts::ui
