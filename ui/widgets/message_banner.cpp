// The message banner: one style sheet per kind.
#include "widgets/message_banner.h"

#include <QLabel>

namespace ts::ui {

void showBanner(QLabel* label, const QString& text, BannerKind kind)
{
    label->setText(text);
    switch (kind) {
    case BannerKind::Error:
        label->setStyleSheet(
            QStringLiteral("QLabel { background: rgba(192, 57, 43, 40); border: 1px solid rgba(192, 57, 43, 140); "
                           "border-radius: 3px; }"));
        break;
    case BannerKind::Success:
        label->setStyleSheet(
            QStringLiteral("QLabel { background: rgba(46, 160, 67, 40); border: 1px solid rgba(46, 160, 67, 140); "
                           "border-radius: 3px; }"));
        break;
    case BannerKind::Info:
        label->setStyleSheet(QStringLiteral("QLabel { border: 1px solid palette(mid); border-radius: 3px; }"));
        break;
    }
    label->setVisible(!text.isEmpty());
}

} // namespace ts::ui
