// PromptHistoryDialog: versions read on the work pool, the diff rendered as HTML lines with a +/− gutter.
#include "promptlab/prompt_history_dialog.h"

#include <algorithm>

#include <QDateTime>
#include <QDialogButtonBox>
#include <QFontDatabase>
#include <QHBoxLayout>
#include <QLabel>
#include <QListWidget>
#include <QPushButton>
#include <QSplitter>
#include <QTextEdit>
#include <QVBoxLayout>

#include "bridge/path_conversion.h"
#include "promptlab/line_diff.h"
#include "promptlab/variant_text.h"
#include "store/project.h"

namespace ts::ui {

namespace {

constexpr int kVersionRole = Qt::UserRole;

QString linesText(size_t n)
{
    return n == 1 ? QObject::tr("1 line") : QObject::tr("%1 lines").arg(n);
}

} // namespace

PromptHistoryDialog::PromptHistoryDialog(ts::Project* project, const QString& name, QWidget* parent)
    : QDialog(parent)
    , m_project(project)
    , m_name(name)
{
    setObjectName(QStringLiteral("promptHistoryDialog"));
    setWindowTitle(tr("History of \"%1\"").arg(name));
    auto* layout = new QVBoxLayout(this);
    auto* splitter = new QSplitter(Qt::Horizontal, this);
    splitter->setChildrenCollapsible(false);
    m_list = new QListWidget(splitter);
    m_list->setObjectName(QStringLiteral("historyList"));
    m_list->setToolTip(tr("Every saved version, newest first"));
    auto* right = new QWidget(splitter);
    auto* rightLayout = new QVBoxLayout(right);
    rightLayout->setContentsMargins(0, 0, 0, 0);
    m_summary = new QLabel(right);
    m_summary->setObjectName(QStringLiteral("historyDiffSummary"));
    m_summary->setWordWrap(true);
    rightLayout->addWidget(m_summary);
    m_diff = new QTextEdit(right);
    m_diff->setObjectName(QStringLiteral("historyDiff"));
    m_diff->setReadOnly(true);
    m_diff->setLineWrapMode(QTextEdit::NoWrap);
    m_diff->setFont(QFontDatabase::systemFont(QFontDatabase::FixedFont));
    rightLayout->addWidget(m_diff, 1);
    splitter->addWidget(m_list);
    splitter->addWidget(right);
    splitter->setStretchFactor(0, 0);
    splitter->setStretchFactor(1, 1);
    splitter->setSizes({260, 560});
    layout->addWidget(splitter, 1);

    auto* buttons = new QDialogButtonBox(QDialogButtonBox::Close, this);
    m_restore = buttons->addButton(tr("&Restore This Version"), QDialogButtonBox::ActionRole);
    m_restore->setObjectName(QStringLiteral("restoreVersionButton"));
    m_restore->setToolTip(tr("Save the selected version again as the newest one; the versions in between stay in the "
                             "history, so restoring can be undone the same way"));
    m_restore->setEnabled(false);
    layout->addWidget(buttons);
    connect(buttons, &QDialogButtonBox::rejected, this, &QDialog::reject);
    connect(m_list, &QListWidget::currentRowChanged, this, &PromptHistoryDialog::showDiff);
    connect(m_restore, &QPushButton::clicked, this, [this] {
        if (const int version = selectedVersion(); version > 0)
            emit restoreRequested(version);
    });
    resize(820, 520);
    reload();
}

void PromptHistoryDialog::setCurrent(const ts::promptlab::PromptVariant& current, bool unsaved)
{
    m_current = current;
    m_unsaved = unsaved;
    showDiff();
}

void PromptHistoryDialog::reload()
{
    if (!m_project)
        return;
    m_summary->setText(tr("Loading the history…"));
    m_load.start<std::vector<ts::PromptVersion>>(
        m_project->path(),
        [name = m_name.toStdString()](ts::Database& db) { return ts::PromptRepository(db).versions(name); },
        [this](ts::Expected<std::vector<ts::PromptVersion>>& versions) {
            const int keep = selectedVersion();
            m_versions.clear();
            m_list->clear();
            if (!versions) {
                m_summary->setText(tr("The history could not be read: %1").arg(fromStd(versions.error().message)));
                emit historyLoaded();
                return;
            }
            m_versions.assign(versions->rbegin(), versions->rend());
            for (size_t i = 0; i < m_versions.size(); ++i) {
                const ts::PromptVersion& v = m_versions[i];
                const QString when
                    = QDateTime::fromMSecsSinceEpoch(v.createdAt).toString(QStringLiteral("yyyy-MM-dd HH:mm:ss"));
                auto* item = new QListWidgetItem(i == 0 ? tr("v%1  %2  (newest)").arg(v.version).arg(when)
                                                        : tr("v%1  %2").arg(v.version).arg(when),
                                                 m_list);
                item->setData(kVersionRole, v.version);
            }
            if (!selectVersion(keep) && !m_versions.empty())
                m_list->setCurrentRow(m_versions.size() > 1 ? 1 : 0); // the version before the newest
            showDiff();
            emit historyLoaded();
        });
}

int PromptHistoryDialog::selectedVersion() const
{
    const QListWidgetItem* item = m_list->currentItem();
    return item ? item->data(kVersionRole).toInt() : 0;
}

bool PromptHistoryDialog::selectVersion(int version)
{
    for (int i = 0; i < m_list->count(); ++i)
        if (m_list->item(i)->data(kVersionRole).toInt() == version) {
            m_list->setCurrentRow(i);
            return true;
        }
    return false;
}

void PromptHistoryDialog::showDiff()
{
    const int version = selectedVersion();
    const auto found = std::find_if(m_versions.begin(), m_versions.end(),
                                    [version](const ts::PromptVersion& v) { return v.version == version; });
    m_restore->setEnabled(found != m_versions.end());
    if (found == m_versions.end()) {
        m_diff->clear();
        if (!m_load.isLoading())
            m_summary->setText(m_versions.empty() ? tr("No saved versions.") : tr("Select a version."));
        return;
    }
    const auto diff
        = ts::promptlab::diffLines(ts::promptlab::variantText(found->variant), ts::promptlab::variantText(m_current));
    const QString current = m_unsaved ? tr("the editor (unsaved changes)") : tr("the editor");
    if (diff.identical())
        m_summary->setText(tr("v%1 is the same as %2.").arg(version).arg(current));
    else
        m_summary->setText(tr("From v%1 to %2: %3 added (green), %4 removed (red).")
                               .arg(version)
                               .arg(current, linesText(diff.added), linesText(diff.removed)));
    QString html = QStringLiteral("<pre style=\"margin:0\">");
    for (const ts::promptlab::DiffLine& line : diff.lines) {
        const QString escaped = fromStd(line.text).toHtmlEscaped();
        switch (line.change) {
        case ts::promptlab::LineChange::Kept:
            html += QStringLiteral("  %1\n").arg(escaped);
            break;
        case ts::promptlab::LineChange::Removed:
            html += QStringLiteral("<span style=\"background:#fbd3d0;color:#8b1a10\">- %1</span>\n").arg(escaped);
            break;
        case ts::promptlab::LineChange::Added:
            html += QStringLiteral("<span style=\"background:#d2f4d3;color:#145c1e\">+ %1</span>\n").arg(escaped);
            break;
        }
    }
    html += QStringLiteral("</pre>");
    m_diff->setHtml(html);
}

} // namespace ts::ui
