// FewShotPicker: chooses the golden examples a prompt variant shows the model before the input, in order. Left:
// the project's golden examples with a search box; right: the chosen ones (add, remove, move up / down).
#pragma once

#include <QList>
#include <QWidget>

#include "bridge/project_load.h"

class QLabel;
class QLineEdit;
class QListWidget;
class QListWidgetItem;
class QPushButton;

namespace ts {
class Project;
struct Example;
} // namespace ts

namespace ts::ui {

class FewShotPicker final : public QWidget
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(FewShotPicker)

public:
    static constexpr int kMaxListed = 500; // search narrows a larger set

    explicit FewShotPicker(QWidget* parent = nullptr);

    // The golden examples are read in the background (setProject, reload, a search): the count label says
    // "Loading…" until loaded().
    void setProject(ts::Project* project);
    void reload(); // the golden examples again (after edits on the Golden examples page)
    bool isLoading() const { return m_load.isLoading(); }
    QList<qint64> ids() const;
    void setIds(const QList<qint64>& ids); // does not emit idsChanged

    QListWidget* availableList() const { return m_available; }
    QListWidget* chosenList() const { return m_chosen; }
    QLineEdit* searchEdit() const { return m_search; }
    // Shown while chosen shots come from the eval or test split; empty otherwise.
    QString splitWarning() const;

public slots:
    void addSelected();
    void removeSelected();
    void moveSelected(int delta);

signals:
    void idsChanged();
    void loaded();

private:
    QListWidgetItem* makeItem(const ts::Example& example) const;
    void updateButtons();
    void updateSplitWarning();

    ts::Project* m_project = nullptr;
    QLineEdit* m_search = nullptr;
    QListWidget* m_available = nullptr;
    QListWidget* m_chosen = nullptr;
    QLabel* m_countLabel = nullptr;
    QLabel* m_splitWarning = nullptr;
    QPushButton* m_addButton = nullptr;
    QPushButton* m_removeButton = nullptr;
    QPushButton* m_upButton = nullptr;
    QPushButton* m_downButton = nullptr;
    ProjectLoad m_load {this};
};

} // namespace ts::ui
