// JobsPanel: rebuilt from JobController::jobs() when jobs change and every half second while shown.
#include "main/jobs_panel.h"

#include <algorithm>

#include <QGuiApplication>
#include <QHBoxLayout>
#include <QLabel>
#include <QLocale>
#include <QProgressBar>
#include <QScreen>
#include <QStyle>
#include <QToolButton>
#include <QVBoxLayout>

#include "bridge/job_controller.h"

namespace ts::ui {

JobsPanel::JobsPanel(JobController& jobs, QWidget* parent)
    : QFrame(parent, Qt::Popup)
    , m_jobs(jobs)
{
    setObjectName(QStringLiteral("jobsPanel"));
    setFrameShape(QFrame::StyledPanel);
    setFixedWidth(kWidth);
    auto* layout = new QVBoxLayout(this);
    layout->setContentsMargins(10, 8, 10, 10);
    layout->setSpacing(6);
    auto* heading = new QLabel(tr("<b>Jobs</b>"), this);
    layout->addWidget(heading);
    m_empty = new QLabel(tr("No jobs have run since the project was opened."), this);
    m_empty->setObjectName(QStringLiteral("jobsPanelEmpty"));
    m_empty->setEnabled(false);
    layout->addWidget(m_empty);
    m_rows = new QVBoxLayout;
    m_rows->setSpacing(8);
    layout->addLayout(m_rows);
    m_refreshTimer.setInterval(kRefreshMs);
    connect(&m_refreshTimer, &QTimer::timeout, this, &JobsPanel::refresh);
    connect(&m_jobs, &JobController::jobsChanged, this, [this] {
        if (isVisible())
            refresh();
    });
}

void JobsPanel::popUpAbove(QWidget* anchor)
{
    m_anchor = anchor;
    refresh();
    fitAndPlace();
    show();
}

void JobsPanel::fitAndPlace()
{
    adjustSize();
    if (!m_anchor)
        return;
    const QPoint topLeft = m_anchor->mapToGlobal(QPoint(m_anchor->width() - width(), 0));
    QPoint at(topLeft.x(), topLeft.y() - height());
    if (const QScreen* screen = m_anchor->screen()) {
        const QRect area = screen->availableGeometry();
        if (at.y() < area.top())
            at.setY(m_anchor->mapToGlobal(QPoint(0, m_anchor->height())).y());
        at.setX(std::clamp(at.x(), area.left(), std::max(area.left(), area.right() - width())));
    }
    move(at);
}

QString JobsPanel::duration(double seconds)
{
    const auto s = static_cast<qint64>(seconds + 0.5);
    if (s < 60)
        return tr("%1 s").arg(s);
    if (s < 3600)
        return tr("%1 min").arg((s + 30) / 60);
    return tr("%1 h %2 min").arg(s / 3600).arg((s % 3600) / 60, 2, 10, QLatin1Char('0'));
}

QString JobsPanel::describe(const JobView& job)
{
    const QLocale locale;
    switch (job.state) {
    case ts::JobState::Queued:
        return job.waitingFor.isEmpty() ? tr("Queued") : tr("Waiting for %1").arg(job.waitingFor);
    case ts::JobState::Running: {
        QStringList parts;
        parts << (job.message.isEmpty() ? tr("Running") : job.message);
        if (job.total > 0) {
            if (job.message.isEmpty()) // a job's own message usually says how far it is already
                parts << tr("%1 of %2").arg(locale.toString(job.done), locale.toString(job.total));
            parts << tr("%1%").arg(100 * job.done / job.total);
        }
        if (job.etaSeconds)
            parts << tr("about %1 left").arg(duration(*job.etaSeconds));
        else
            parts << tr("%1 so far").arg(duration(job.elapsedSeconds));
        return parts.join(QStringLiteral(" · "));
    }
    case ts::JobState::Succeeded:
        return tr("Finished in %1").arg(duration(job.elapsedSeconds));
    case ts::JobState::Failed:
        return tr("Failed: %1").arg(job.error);
    case ts::JobState::Cancelled:
        return tr("Cancelled");
    }
    return {};
}

QWidget* JobsPanel::rowFor(const JobView& job)
{
    auto* row = new QWidget(this);
    row->setObjectName(QStringLiteral("jobRow%1").arg(job.id));
    auto* grid = new QVBoxLayout(row);
    grid->setContentsMargins(0, 0, 0, 0);
    grid->setSpacing(2);
    auto* top = new QHBoxLayout;
    auto* title = new QLabel(QStringLiteral("<b>%1</b>").arg(job.title.toHtmlEscaped()), row);
    top->addWidget(title, 1);
    if (ts::isActive(job.state)) {
        auto* cancel = new QToolButton(row);
        cancel->setObjectName(QStringLiteral("cancelJob%1").arg(job.id));
        cancel->setText(tr("Cancel"));
        cancel->setToolTip(tr("Cancel \"%1\"").arg(job.title));
        const JobId id = job.id;
        connect(cancel, &QToolButton::clicked, this, [this, id] { m_jobs.cancel(id); });
        top->addWidget(cancel);
    }
    grid->addLayout(top);
    if (job.state == ts::JobState::Running) {
        auto* bar = new QProgressBar(row);
        bar->setMaximumHeight(10);
        bar->setTextVisible(false);
        if (job.total > 0) {
            bar->setRange(0, 1000);
            bar->setValue(static_cast<int>(1000 * job.done / job.total));
        } else {
            bar->setRange(0, 0);
        }
        grid->addWidget(bar);
    }
    // One line per job, cut with "…" at the panel's width; the whole line is the tooltip.
    const QString line = describe(job);
    auto* status = new QLabel(row);
    status->setObjectName(QStringLiteral("jobStatus%1").arg(job.id));
    status->setText(status->fontMetrics().elidedText(line, Qt::ElideRight, kWidth - 24));
    status->setToolTip(line);
    if (job.state == ts::JobState::Failed) {
        QPalette palette = status->palette();
        palette.setColor(QPalette::WindowText, QColor(0xc0, 0x39, 0x2b)); // the error red the pages use
        status->setPalette(palette);
    } else {
        status->setEnabled(ts::isActive(job.state));
    }
    grid->addWidget(status);
    return row;
}

void JobsPanel::refresh()
{
    while (QLayoutItem* item = m_rows->takeAt(0)) {
        delete item->widget();
        delete item;
    }
    const QList<JobView> jobs = m_jobs.jobs();
    m_empty->setVisible(jobs.isEmpty());
    for (const JobView& job : jobs)
        m_rows->addWidget(rowFor(job));
    if (isVisible())
        fitAndPlace();
}

void JobsPanel::showEvent(QShowEvent* event)
{
    QFrame::showEvent(event);
    m_refreshTimer.start();
}

void JobsPanel::hideEvent(QHideEvent* event)
{
    m_refreshTimer.stop();
    QFrame::hideEvent(event);
}

} // namespace ts::ui
