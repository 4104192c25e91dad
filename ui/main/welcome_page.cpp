// WelcomePage: a centered column with the app name, three start buttons and the recent list.
#include "main/welcome_page.h"

#include <QDir>
#include <QFileInfo>
#include <QHBoxLayout>
#include <QLabel>
#include <QListWidget>
#include <QPushButton>
#include <QStyle>
#include <QVBoxLayout>

namespace ts::ui {

WelcomePage::WelcomePage(QWidget* parent)
    : QWidget(parent)
{
    setObjectName(QStringLiteral("welcomePage"));
    auto* outer = new QHBoxLayout(this);
    auto* column = new QVBoxLayout();
    outer->addStretch(1);
    outer->addLayout(column, 2);
    outer->addStretch(1);

    column->addStretch(2);
    auto* title = new QLabel(tr("Tunesmith"), this);
    QFont titleFont = title->font();
    titleFont.setPointSizeF(titleFont.pointSizeF() * 2.0);
    titleFont.setBold(true);
    title->setFont(titleFont);
    column->addWidget(title);
    auto* subtitle = new QLabel(
        tr("Curate golden examples, compare prompts against fine-tuning, and decide with measured numbers."), this);
    subtitle->setWordWrap(true);
    column->addWidget(subtitle);
    column->addSpacing(16);

    auto* buttons = new QHBoxLayout();
    auto* newButton = new QPushButton(style()->standardIcon(QStyle::SP_FileIcon), tr("&New Project…"), this);
    newButton->setObjectName(QStringLiteral("newButton"));
    auto* openButton = new QPushButton(style()->standardIcon(QStyle::SP_DialogOpenButton), tr("&Open Project…"), this);
    openButton->setObjectName(QStringLiteral("openButton"));
    auto* demoButton = new QPushButton(style()->standardIcon(QStyle::SP_DirHomeIcon), tr("Open &Demo"), this);
    demoButton->setObjectName(QStringLiteral("demoButton"));
    demoButton->setToolTip(tr("A small project of insurance-claim extraction examples to explore"));
    buttons->addWidget(newButton);
    buttons->addWidget(openButton);
    buttons->addWidget(demoButton);
    buttons->addStretch(1);
    column->addLayout(buttons);
    column->addSpacing(16);

    m_recentBox = new QWidget(this);
    auto* recentLayout = new QVBoxLayout(m_recentBox);
    recentLayout->setContentsMargins(0, 0, 0, 0);
    auto* recentLabel = new QLabel(tr("Recent projects"), m_recentBox);
    QFont bold = recentLabel->font();
    bold.setBold(true);
    recentLabel->setFont(bold);
    recentLayout->addWidget(recentLabel);
    m_recent = new QListWidget(m_recentBox);
    m_recent->setObjectName(QStringLiteral("recentList"));
    m_recent->setMaximumHeight(220);
    recentLayout->addWidget(m_recent);
    column->addWidget(m_recentBox);
    column->addStretch(3);

    connect(newButton, &QPushButton::clicked, this, &WelcomePage::newRequested);
    connect(openButton, &QPushButton::clicked, this, &WelcomePage::openRequested);
    connect(demoButton, &QPushButton::clicked, this, &WelcomePage::openDemoRequested);
    connect(m_recent, &QListWidget::itemActivated, this,
            [this](QListWidgetItem* item) { emit openRecentRequested(item->data(Qt::UserRole).toString()); });
    setRecentProjects({});
}

void WelcomePage::setRecentProjects(const QStringList& paths)
{
    m_recent->clear();
    for (const QString& path : paths) {
        const QFileInfo info(path);
        auto* item = new QListWidgetItem(
            style()->standardIcon(QStyle::SP_FileIcon),
            QStringLiteral("%1 — %2").arg(info.fileName(), QDir::toNativeSeparators(info.absolutePath())), m_recent);
        item->setData(Qt::UserRole, path);
        item->setToolTip(QDir::toNativeSeparators(path));
    }
    m_recentBox->setVisible(!paths.isEmpty());
}

} // namespace ts::ui
