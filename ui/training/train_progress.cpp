// TrainProgress: ETA from the time per step between the first and the latest logged step of this session.
#include "training/train_progress.h"

#include <QHBoxLayout>
#include <QLabel>
#include <QLocale>
#include <QProgressBar>
#include <QResizeEvent>

#include "training/training_format.h"

namespace ts::ui {

namespace {

// Holds the live line without a layout and sizes it itself: a label's new text asks its parent's layout, and through
// it the whole window's, to recompute (about 1 ms, four times a second during a run). Here it only reaches this slot,
// whose size never depends on the text, so nothing is laid out again.
class LineSlot final : public QWidget
{
public:
    LineSlot(QLabel* label, QWidget* parent)
        : QWidget(parent)
        , m_label(label)
    {
        m_label->setParent(this);
        // The line takes the room there is (a longer line must not widen the window); its tooltip has it all.
        setSizePolicy(QSizePolicy::Ignored, QSizePolicy::Fixed);
    }

    QSize sizeHint() const override { return {0, m_label->fontMetrics().height() + 2 * m_label->margin()}; }
    QSize minimumSizeHint() const override { return sizeHint(); }

protected:
    void resizeEvent(QResizeEvent* event) override
    {
        QWidget::resizeEvent(event);
        m_label->setGeometry(rect());
    }
    void changeEvent(QEvent* event) override
    {
        QWidget::changeEvent(event);
        if (event->type() == QEvent::FontChange)
            updateGeometry();
    }

private:
    QLabel* m_label;
};

} // namespace

TrainProgress::TrainProgress(QWidget* parent)
    : QWidget(parent)
{
    setObjectName(QStringLiteral("trainProgress"));
    auto* layout = new QHBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    m_bar = new QProgressBar(this);
    m_bar->setObjectName(QStringLiteral("trainProgressBar"));
    m_bar->setMaximumWidth(220);
    m_bar->setTextVisible(true);
    layout->addWidget(m_bar);
    m_label = new QLabel;
    m_label->setObjectName(QStringLiteral("trainProgressLabel"));
    m_label->setTextInteractionFlags(Qt::TextSelectableByMouse);
    layout->addWidget(new LineSlot(m_label, this), 1);
    reset();
}

QString TrainProgress::text() const
{
    return m_label->text();
}

void TrainProgress::reset()
{
    m_first.reset();
    m_last.reset();
    m_secondsLeft.reset();
    m_totalSteps = 0;
    m_bar->setRange(0, 1);
    m_bar->setValue(0);
    m_bar->setVisible(false);
    setLine({});
}

void TrainProgress::start(int64_t totalSteps)
{
    reset();
    m_totalSteps = totalSteps;
    m_bar->setVisible(true);
    m_bar->setRange(0, 0); // busy until the first step
    setLine(tr("Starting…"));
}

void TrainProgress::setPhase(const QString& message)
{
    if (!m_last && !message.isEmpty())
        setLine(message);
}

void TrainProgress::setJobProgress(qint64 done, qint64 total)
{
    if (m_last || total <= 0)
        return;
    m_bar->setRange(0, static_cast<int>(std::min<qint64>(total, 1 << 30)));
    m_bar->setValue(static_cast<int>(std::min<qint64>(done, total)));
}

void TrainProgress::update(const ts::TrainStepLog& log)
{
    if (!m_first)
        m_first = log;
    m_last = log;
    const int64_t total = log.totalSteps > 0 ? log.totalSteps : m_totalSteps;
    if (total > 0) {
        m_bar->setRange(0, static_cast<int>(std::min<int64_t>(total, 1 << 30)));
        m_bar->setValue(static_cast<int>(std::min(log.step, total)));
    }
    m_secondsLeft.reset();
    if (log.step > m_first->step && total > 0) {
        const double perStep = (log.elapsedSeconds - m_first->elapsedSeconds) / double(log.step - m_first->step);
        m_secondsLeft = perStep * double(std::max<int64_t>(0, total - log.step));
    }
    const QLocale locale;
    QStringList parts;
    parts << (total > 0
                  ? tr("Step %1 of %2").arg(locale.toString(qlonglong(log.step)), locale.toString(qlonglong(total)))
                  : tr("Step %1").arg(locale.toString(qlonglong(log.step))));
    parts << tr("loss %1").arg(locale.toString(log.loss, 'f', 4));
    if (log.evalLoss)
        parts << tr("eval loss %1").arg(locale.toString(*log.evalLoss, 'f', 4));
    parts << tr("%1 tokens/s").arg(formatRate(log.tokensPerSecond));
    parts << tr("%1 elapsed").arg(formatDuration(log.elapsedSeconds));
    parts << (m_secondsLeft ? tr("about %1 left").arg(formatDuration(*m_secondsLeft)) : tr("estimating time left…"));
    setLine(parts.join(QStringLiteral(" · ")));
}

void TrainProgress::finish(const QString& text)
{
    const auto last = m_last;
    reset();
    if (last && last->totalSteps > 0) {
        m_bar->setRange(0, static_cast<int>(std::min<int64_t>(last->totalSteps, 1 << 30)));
        m_bar->setValue(static_cast<int>(std::min(last->step, last->totalSteps)));
        m_bar->setVisible(true);
    }
    setLine(text);
}

void TrainProgress::setLine(const QString& text)
{
    m_label->setText(text);
    m_label->setToolTip(text);
}

} // namespace ts::ui
