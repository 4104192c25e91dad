// DatasetOverviewDialog: the whole dataset at a glance — examples per split and per tag, a histogram of token
// lengths with the training max length marked, exact and near-duplicate groups that select their rows on click.
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <vector>

#include <QDialog>

#include "bridge/project_load.h"
#include "common/cancel.h"
#include "data/dataset_overview.h"

class QCPItemStraightLine;
class QCPItemText;
class QCustomPlot;
class QLabel;
class QListWidget;
class QSpinBox;
class QTableWidget;

namespace ts {
class Project;
}

namespace ts::ui {

// Computes on a pool thread (ProjectLoad): every example is read and, when the Training page has a base model, each is
// encoded with its tokenizer and chat template exactly as training does; without one, lengths are estimated as
// characters / 4 and the dialog says so. The max length starts at the latest training run's, else 512.
class DatasetOverviewDialog final : public QDialog
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(DatasetOverviewDialog)

public:
    static constexpr int kDefaultMaxLength = 512;
    static constexpr int kHistogramBins = 40;

    explicit DatasetOverviewDialog(ts::Project& project, QWidget* parent = nullptr);
    ~DatasetOverviewDialog() override;

    bool isComputing() const { return m_load.isLoading(); }
    const std::optional<ts::DatasetOverview>& overview() const { return m_overview; }
    void setMaxLength(int tokens);
    int maxLength() const;
    // "3 of 42 examples are longer than 256 tokens."
    QString longerText() const;

signals:
    // The overview is shown (or its error).
    void computed();
    // A duplicate group was clicked: the page selects these examples.
    void showExamplesRequested(const std::vector<int64_t>& ids);

private:
    struct Result;
    void start();
    void apply(ts::Expected<Result>& result);
    void showHistogram();
    void updateLonger();

    ts::Project& m_project;
    ProjectLoad m_load {this};
    ts::CancelToken m_cancel;
    std::optional<ts::DatasetOverview> m_overview;
    bool m_exactTokens = false;

    QLabel* m_status = nullptr;
    QLabel* m_splits = nullptr;
    QTableWidget* m_tags = nullptr;
    QLabel* m_lengthNote = nullptr;
    QSpinBox* m_maxLength = nullptr;
    QLabel* m_longer = nullptr;
    QCustomPlot* m_plot = nullptr;
    QCPItemStraightLine* m_limitLine = nullptr;
    QCPItemText* m_limitLabel = nullptr;
    QLabel* m_exact = nullptr;
    QLabel* m_near = nullptr;
    QListWidget* m_groups = nullptr;
};

} // namespace ts::ui
