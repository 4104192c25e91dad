// The message banner of a page: a label above the page's content that says what happened (an error in red, a
// success in green, information framed), hidden when there is nothing to say.
#pragma once

#include <QString>

class QLabel;

namespace ts::ui {

enum class BannerKind { Info, Success, Error };

// Shows `text` in `label` styled for `kind`; an empty text hides the label.
void showBanner(QLabel* label, const QString& text, BannerKind kind);

} // namespace ts::ui
