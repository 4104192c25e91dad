// SyntheticReviewWriter: the reviewer's changes to synthetic rows (review, text, promotion to the training set) —
// shown in the table at once, written to the project file on the work pool, one write after another in the order
// made (an undo is written after the change it undoes). Each write reads back the rows it touched, so the table
// ends up showing exactly what the file holds. A project closed or replaced meanwhile: setProject() waits for the
// write in flight (one short transaction) and drops the queued ones.
#pragma once

#include <cstdint>
#include <deque>
#include <functional>
#include <memory>
#include <mutex>
#include <string>
#include <utility>
#include <vector>

#include <QObject>
#include <QString>

#include "common/expected.h"
#include "synth/synthetic_row.h"

namespace ts {
class Project;
}
namespace ts::synth {
class SyntheticRowRepository;
}

namespace ts::ui {

class SyntheticRowsModel;

class SyntheticReviewWriter final : public QObject
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(SyntheticReviewWriter)

public:
    explicit SyntheticReviewWriter(SyntheticRowsModel& model, QObject* parent = nullptr);
    ~SyntheticReviewWriter() override; // waits for the write in flight: it uses the project

    void setProject(ts::Project* project);
    bool isBusy() const { return m_running || !m_queue.empty(); }

    void setReview(const std::vector<int64_t>& ids, ts::synth::SyntheticReview review);
    void restoreReviews(const std::vector<std::pair<int64_t, ts::synth::SyntheticReview>>& reviews);
    void setText(int64_t id, const std::string& instruction, const std::string& output, bool edited);
    // Promotes the run's accepted rows; `promoted` receives the new example ids, which a later unpromote() of the
    // same list deletes again (it is written after the promotion, so it sees them).
    void promote(int64_t runId, std::shared_ptr<std::vector<int64_t>> promoted);
    void unpromote(int64_t runId, std::shared_ptr<std::vector<int64_t>> promoted);

signals:
    void rowsWritten(); // a write landed (or failed): the table shows the stored rows
    void examplesChanged(); // a promotion or its undo changed the golden examples
    void failed(const QString& message);
    void busyChanged(bool busy);

private:
    struct Outcome
    {
        QString error;
        std::vector<ts::synth::SyntheticRow> rows; // the touched rows as stored after the write
        bool examplesChanged = false;
    };
    using Work = std::function<ts::Status(ts::synth::SyntheticRowRepository& repo, Outcome& outcome)>;
    struct Pending
    {
        std::vector<int64_t> held; // rows whose user columns the table keeps until this write ends
        Work work;
        QString failure; // "Cannot … : %1"
    };
    // The project as the pool thread sees it: null once closed. The mutex is held for a whole write.
    struct Access
    {
        std::mutex mutex;
        ts::Project* project = nullptr;
    };

    void enqueue(Pending pending);
    void startNext();

    SyntheticRowsModel& m_model;
    std::shared_ptr<Access> m_access = std::make_shared<Access>();
    std::deque<Pending> m_queue;
    bool m_running = false;
    quint64 m_generation = 0;
};

} // namespace ts::ui
