// FewShotPicker: golden examples read through ExampleRepository (search = its text query), ids kept in list order.
#include "promptlab/few_shot_picker.h"

#include <QGridLayout>
#include <QLabel>
#include <QLineEdit>
#include <QListWidget>
#include <QPushButton>
#include <QStyle>
#include <QVBoxLayout>

#include "bridge/path_conversion.h"
#include "store/example_repository.h"
#include "store/project.h"

namespace ts::ui {

namespace {

constexpr int kIdRole = Qt::UserRole;
constexpr int kSplitRole = Qt::UserRole + 1; // ts::Split as int; absent on a deleted example

QString oneLine(const std::string& text, int max)
{
    QString s = fromStd(text).simplified();
    return s.size() > max ? s.left(max - 1) + QChar(0x2026) : s;
}

} // namespace

FewShotPicker::FewShotPicker(QWidget* parent)
    : QWidget(parent)
{
    setObjectName(QStringLiteral("fewShotPicker"));
    auto* grid = new QGridLayout(this);
    grid->setContentsMargins(0, 0, 0, 0);
    m_search = new QLineEdit(this);
    m_search->setObjectName(QStringLiteral("fewShotSearch"));
    m_search->setPlaceholderText(tr("Search golden examples"));
    m_search->setClearButtonEnabled(true);
    m_available = new QListWidget(this);
    m_available->setObjectName(QStringLiteral("fewShotAvailable"));
    m_available->setSelectionMode(QAbstractItemView::ExtendedSelection);
    m_available->setToolTip(tr("Golden examples of the project (double-click to add). Pick them from the train "
                               "split: an eval example shown as a few-shot answer would flatter the scores."));
    m_chosen = new QListWidget(this);
    m_chosen->setObjectName(QStringLiteral("fewShotChosen"));
    m_chosen->setSelectionMode(QAbstractItemView::SingleSelection);
    m_chosen->setToolTip(tr("Shown to the model in this order, each as a user turn and its ideal answer, before "
                            "the input"));
    m_countLabel = new QLabel(this);
    m_countLabel->setObjectName(QStringLiteral("fewShotCount"));
    m_splitWarning = new QLabel(this);
    m_splitWarning->setObjectName(QStringLiteral("fewShotSplitWarning"));
    m_splitWarning->setWordWrap(true);
    m_splitWarning->setStyleSheet(QStringLiteral(
        "QLabel { background: rgba(230, 160, 20, 45); border: 1px solid rgba(230, 160, 20, 150); border-radius: 3px; "
        "padding: 3px; }"));
    m_splitWarning->setVisible(false);

    m_addButton = new QPushButton(style()->standardIcon(QStyle::SP_ArrowRight), QString(), this);
    m_addButton->setObjectName(QStringLiteral("fewShotAddButton"));
    m_addButton->setToolTip(tr("Add the selected examples"));
    m_removeButton = new QPushButton(style()->standardIcon(QStyle::SP_ArrowLeft), QString(), this);
    m_removeButton->setObjectName(QStringLiteral("fewShotRemoveButton"));
    m_removeButton->setToolTip(tr("Remove the selected example"));
    m_upButton = new QPushButton(style()->standardIcon(QStyle::SP_ArrowUp), QString(), this);
    m_upButton->setObjectName(QStringLiteral("fewShotUpButton"));
    m_upButton->setToolTip(tr("Show it earlier"));
    m_downButton = new QPushButton(style()->standardIcon(QStyle::SP_ArrowDown), QString(), this);
    m_downButton->setObjectName(QStringLiteral("fewShotDownButton"));
    m_downButton->setToolTip(tr("Show it later"));
    auto* buttons = new QVBoxLayout();
    buttons->addStretch(1);
    for (QPushButton* b : {m_addButton, m_removeButton, m_upButton, m_downButton})
        buttons->addWidget(b);
    buttons->addStretch(1);

    grid->addWidget(m_search, 0, 0);
    grid->addWidget(m_countLabel, 0, 2);
    grid->addWidget(m_available, 1, 0);
    grid->addLayout(buttons, 1, 1);
    grid->addWidget(m_chosen, 1, 2);
    grid->addWidget(m_splitWarning, 2, 0, 1, 3);
    grid->setColumnStretch(0, 1);
    grid->setColumnStretch(2, 1);

    connect(m_search, &QLineEdit::textChanged, this, &FewShotPicker::reload);
    connect(m_available, &QListWidget::itemDoubleClicked, this, &FewShotPicker::addSelected);
    connect(m_addButton, &QPushButton::clicked, this, &FewShotPicker::addSelected);
    connect(m_removeButton, &QPushButton::clicked, this, &FewShotPicker::removeSelected);
    connect(m_upButton, &QPushButton::clicked, this, [this] { moveSelected(-1); });
    connect(m_downButton, &QPushButton::clicked, this, [this] { moveSelected(1); });
    connect(m_available, &QListWidget::itemSelectionChanged, this, &FewShotPicker::updateButtons);
    connect(m_chosen, &QListWidget::itemSelectionChanged, this, &FewShotPicker::updateButtons);
    updateButtons();
}

void FewShotPicker::setProject(ts::Project* project)
{
    m_project = project;
    m_chosen->clear();
    reload();
}

QListWidgetItem* FewShotPicker::makeItem(const ts::Example& example) const
{
    auto* item = new QListWidgetItem(QStringLiteral("#%1 [%2] %3")
                                         .arg(example.id)
                                         .arg(fromStd(ts::splitName(example.split)), oneLine(example.input(), 80)));
    item->setData(kIdRole, QVariant::fromValue<qint64>(example.id));
    item->setData(kSplitRole, static_cast<int>(example.split));
    item->setToolTip(QStringLiteral("<b>%1</b><br>%2<br><br><b>%3</b><br>%4")
                         .arg(tr("Input"), oneLine(example.input(), 600).toHtmlEscaped(), tr("Ideal output"),
                              oneLine(example.output(), 600).toHtmlEscaped()));
    return item;
}

void FewShotPicker::reload()
{
    m_available->clear();
    m_countLabel->clear();
    if (!m_project) {
        m_load.cancel();
        return;
    }
    m_countLabel->setText(tr("Loading…"));
    struct Golden
    {
        std::vector<ts::Example> listed; // at most kMaxListed
        size_t total = 0;
        std::vector<ts::Example> chosen; // the chosen rows as stored now
    };
    const QList<qint64> chosen = ids();
    ts::ExampleQuery query;
    query.text = m_search->text().trimmed().toStdString();
    query.source = ts::Source::Golden;
    m_load.start<Golden>(
        m_project->path(),
        [query,
         chosenIds = std::vector<int64_t>(chosen.begin(), chosen.end())](ts::Database& db) -> ts::Expected<Golden> {
            ts::ExampleRepository repo(db);
            auto found = repo.queryIds(query);
            if (!found)
                return found.error();
            Golden out;
            out.total = found->size();
            if (found->size() > static_cast<size_t>(kMaxListed))
                found->resize(kMaxListed);
            auto rows = repo.getMany(*found);
            if (!rows)
                return rows.error();
            out.listed = std::move(*rows);
            if (auto chosenRows = repo.getMany(chosenIds))
                out.chosen = std::move(*chosenRows);
            return out;
        },
        [this](ts::Expected<Golden>& golden) {
            m_countLabel->clear();
            if (golden) {
                for (const ts::Example& e : golden->listed)
                    m_available->addItem(makeItem(e));
                const size_t shown = golden->listed.size();
                m_countLabel->setText(golden->total > shown
                                          ? tr("%1 of %2 shown").arg(shown).arg(golden->total)
                                          : tr("%n golden example(s)", nullptr, static_cast<int>(golden->total)));
                // Chosen rows whose text changed on the Golden examples page show the new text.
                for (int i = 0; i < m_chosen->count(); ++i)
                    for (const ts::Example& e : golden->chosen)
                        if (e.id == m_chosen->item(i)->data(kIdRole).toLongLong()) {
                            QListWidgetItem* fresh = makeItem(e);
                            m_chosen->item(i)->setText(fresh->text());
                            m_chosen->item(i)->setToolTip(fresh->toolTip());
                            m_chosen->item(i)->setData(kSplitRole, fresh->data(kSplitRole));
                            delete fresh;
                        }
            }
            updateButtons();
            emit loaded();
        });
}

QList<qint64> FewShotPicker::ids() const
{
    QList<qint64> out;
    for (int i = 0; i < m_chosen->count(); ++i)
        out.append(m_chosen->item(i)->data(kIdRole).toLongLong());
    return out;
}

void FewShotPicker::setIds(const QList<qint64>& ids)
{
    m_chosen->clear();
    auto reader = m_project && !ids.isEmpty() ? m_project->viewReader()
                                              : ts::Expected<ts::Database*>(ts::Error {"nothing to read"});
    if (reader) {
        ts::ExampleRepository repo(**reader);
        std::vector<int64_t> wanted(ids.begin(), ids.end());
        auto rows = repo.getMany(wanted);
        for (qint64 id : ids) {
            const ts::Example* found = nullptr;
            if (rows)
                for (const ts::Example& e : *rows)
                    if (e.id == id)
                        found = &e;
            if (found) {
                m_chosen->addItem(makeItem(*found));
            } else {
                auto* missing = new QListWidgetItem(tr("#%1 (deleted)").arg(id));
                missing->setData(kIdRole, QVariant::fromValue<qint64>(id));
                missing->setForeground(QColor(0xc0, 0x39, 0x2b));
                m_chosen->addItem(missing);
            }
        }
    }
    updateButtons();
}

void FewShotPicker::addSelected()
{
    const QList<qint64> have = ids();
    bool changed = false;
    for (QListWidgetItem* item : m_available->selectedItems()) {
        const qint64 id = item->data(kIdRole).toLongLong();
        if (have.contains(id))
            continue;
        m_chosen->addItem(item->clone());
        changed = true;
    }
    updateButtons();
    if (changed)
        emit idsChanged();
}

void FewShotPicker::removeSelected()
{
    const int row = m_chosen->currentRow();
    if (row < 0)
        return;
    delete m_chosen->takeItem(row);
    updateButtons();
    emit idsChanged();
}

void FewShotPicker::moveSelected(int delta)
{
    const int row = m_chosen->currentRow();
    const int target = row + delta;
    if (row < 0 || target < 0 || target >= m_chosen->count())
        return;
    QListWidgetItem* item = m_chosen->takeItem(row);
    m_chosen->insertItem(target, item);
    m_chosen->setCurrentRow(target);
    updateButtons();
    emit idsChanged();
}

void FewShotPicker::updateButtons()
{
    const int row = m_chosen->currentRow();
    m_addButton->setEnabled(!m_available->selectedItems().isEmpty());
    m_removeButton->setEnabled(row >= 0);
    m_upButton->setEnabled(row > 0);
    m_downButton->setEnabled(row >= 0 && row + 1 < m_chosen->count());
    updateSplitWarning();
}

QString FewShotPicker::splitWarning() const
{
    return m_splitWarning->isHidden() ? QString() : m_splitWarning->text();
}

void FewShotPicker::updateSplitWarning()
{
    int eval = 0;
    int test = 0;
    for (int i = 0; i < m_chosen->count(); ++i) {
        const QVariant split = m_chosen->item(i)->data(kSplitRole);
        if (!split.isValid())
            continue;
        eval += split.toInt() == static_cast<int>(ts::Split::Eval) ? 1 : 0;
        test += split.toInt() == static_cast<int>(ts::Split::Test) ? 1 : 0;
    }
    const int leaked = eval + test;
    const int total = m_chosen->count();
    QString text;
    if (leaked > 0) {
        const QString splits = test == 0 ? tr("the eval split")
            : eval == 0                  ? tr("the test split")
                                         : tr("the eval and test splits");
        const QString runOn = test == 0 ? tr("an A/B run on eval")
            : eval == 0                 ? tr("an A/B run on test")
                                        : tr("an A/B run on eval or test");
        if (leaked == 1 && total == 1)
            text = tr("The chosen shot is in %1: %2 would see its own answer.").arg(splits, runOn);
        else if (leaked == 1)
            text = tr("1 of the %1 chosen shots is in %2: %3 would see its own answer.").arg(total).arg(splits, runOn);
        else if (leaked == total)
            text = tr("All %1 chosen shots are in %2: %3 would see its own answers.").arg(total).arg(splits, runOn);
        else
            text = tr("%1 of the chosen shots are in %2: %3 would see its own answers.").arg(leaked).arg(splits, runOn);
        text += QLatin1Char(' ') + tr("Pick shots from the train split.");
    }
    m_splitWarning->setText(text);
    m_splitWarning->setVisible(!text.isEmpty());
}

} // namespace ts::ui
