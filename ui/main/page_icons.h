// Sidebar page icons, drawn with QPainter in the palette's text colour with one accent: a table for the examples, a
// flask for the prompt lab, scales for the decision, sparkles for synthetic data, a rising chart for training, a
// checklist for evaluation, a box with an arrow for export.
#pragma once

#include <QIcon>
#include <QPalette>

namespace ts::ui {

enum class PageIcon { Examples, PromptLab, Decision, Synthetic, Training, Evaluation, Export };

QIcon pageIcon(PageIcon icon, const QPalette& palette);

} // namespace ts::ui
