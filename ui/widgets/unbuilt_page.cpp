// UnbuiltPage: centered title, "Not built yet" and a one- or two-sentence description.
#include "widgets/unbuilt_page.h"

#include <QHBoxLayout>
#include <QLabel>
#include <QVBoxLayout>

namespace ts::ui {

UnbuiltPage::UnbuiltPage(const QString& title, const QString& description, QWidget* parent)
    : QWidget(parent)
{
    auto* layout = new QVBoxLayout(this);
    layout->addStretch(2);

    auto* titleLabel = new QLabel(title, this);
    titleLabel->setObjectName(QStringLiteral("unbuiltTitle"));
    QFont titleFont = titleLabel->font();
    titleFont.setPointSizeF(titleFont.pointSizeF() * 1.5);
    titleFont.setBold(true);
    titleLabel->setFont(titleFont);
    titleLabel->setAlignment(Qt::AlignCenter);
    layout->addWidget(titleLabel);

    auto* statusLabel = new QLabel(tr("Not built yet"), this);
    statusLabel->setObjectName(QStringLiteral("unbuiltStatus"));
    statusLabel->setAlignment(Qt::AlignCenter);
    statusLabel->setEnabled(false);
    layout->addWidget(statusLabel);

    auto* descriptionLabel = new QLabel(description, this);
    descriptionLabel->setObjectName(QStringLiteral("unbuiltDescription"));
    descriptionLabel->setWordWrap(true);
    descriptionLabel->setAlignment(Qt::AlignCenter);
    descriptionLabel->setMaximumWidth(560);
    // No alignment flag on the label itself: a layout only honours height-for-width (wrapping)
    // for widgets that fill their cell, so the centring comes from stretches around it.
    auto* row = new QHBoxLayout();
    row->addStretch(1);
    row->addWidget(descriptionLabel, 4);
    row->addStretch(1);
    layout->addSpacing(12);
    layout->addLayout(row);
    layout->addStretch(3);
}

} // namespace ts::ui
