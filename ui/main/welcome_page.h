// WelcomePage: shown with no project open: New / Open / Open demo and the recent projects.
#pragma once

#include <QWidget>

class QListWidget;
class QPushButton;

namespace ts::ui {

class WelcomePage final : public QWidget
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(WelcomePage)

public:
    explicit WelcomePage(QWidget* parent = nullptr);

    void setRecentProjects(const QStringList& paths);
    QListWidget* recentList() const { return m_recent; }

signals:
    void newRequested();
    void openRequested();
    void openDemoRequested();
    void openRecentRequested(const QString& path);

private:
    QListWidget* m_recent = nullptr;
    QWidget* m_recentBox = nullptr;
};

} // namespace ts::ui
