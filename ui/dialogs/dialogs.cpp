// Dialogs: shows the real file and message dialogs unless an answer is scripted or testing mode is on.
#include "dialogs/dialogs.h"

#include <QAbstractButton>
#include <QFileDialog>
#include <QInputDialog>
#include <QQueue>

namespace ts::ui {

namespace {

struct SeamState
{
    bool testing = false;
    QQueue<QString> fileNames;
    QQueue<QMessageBox::StandardButton> answers;
    QQueue<QString> texts;
    QStringList messages;
};

SeamState& state()
{
    static SeamState s;
    return s;
}

void record(const QString& title, const QString& text)
{
    state().messages.append(title + QStringLiteral(": ") + text);
}

bool takeFileName(QString& out)
{
    if (!state().fileNames.isEmpty()) {
        out = state().fileNames.dequeue();
        return true;
    }
    if (state().testing) {
        out.clear();
        return true;
    }
    return false;
}

bool takeAnswer(QMessageBox::StandardButton fallback, QMessageBox::StandardButton& out)
{
    if (!state().answers.isEmpty()) {
        out = state().answers.dequeue();
        return true;
    }
    if (state().testing) {
        out = fallback;
        return true;
    }
    return false;
}

QMessageBox::StandardButton show(QMessageBox::Icon icon, QWidget* parent, const QString& title, const QString& text,
                                 QMessageBox::StandardButtons buttons, QMessageBox::StandardButton defaultButton,
                                 const QList<QPair<QMessageBox::StandardButton, QString>>& buttonTexts = {})
{
    record(title, text);
    QMessageBox::StandardButton scripted;
    if (takeAnswer(defaultButton == QMessageBox::NoButton ? QMessageBox::Ok : defaultButton, scripted))
        return scripted;
    QMessageBox box(icon, title, text, buttons, parent);
    box.setDefaultButton(defaultButton);
    for (const auto& [button, label] : buttonTexts)
        if (QAbstractButton* shown = box.button(button))
            shown->setText(label);
    return static_cast<QMessageBox::StandardButton>(box.exec());
}

} // namespace

QString Dialogs::getOpenFileName(QWidget* parent, const QString& caption, const QString& dir, const QString& filter)
{
    QString scripted;
    if (takeFileName(scripted))
        return scripted;
    return QFileDialog::getOpenFileName(parent, caption, dir, filter);
}

QString Dialogs::getSaveFileName(QWidget* parent, const QString& caption, const QString& dir, const QString& filter)
{
    QString scripted;
    if (takeFileName(scripted))
        return scripted;
    return QFileDialog::getSaveFileName(parent, caption, dir, filter, nullptr, QFileDialog::DontConfirmOverwrite);
}

QMessageBox::StandardButton Dialogs::question(QWidget* parent, const QString& title, const QString& text,
                                              QMessageBox::StandardButtons buttons,
                                              QMessageBox::StandardButton defaultButton)
{
    return show(QMessageBox::Question, parent, title, text, buttons, defaultButton);
}

QMessageBox::StandardButton Dialogs::question(QWidget* parent, const QString& title, const QString& text,
                                              QMessageBox::StandardButtons buttons,
                                              QMessageBox::StandardButton defaultButton,
                                              const QList<QPair<QMessageBox::StandardButton, QString>>& buttonTexts)
{
    return show(QMessageBox::Question, parent, title, text, buttons, defaultButton, buttonTexts);
}

QMessageBox::StandardButton Dialogs::information(QWidget* parent, const QString& title, const QString& text)
{
    return show(QMessageBox::Information, parent, title, text, QMessageBox::Ok, QMessageBox::Ok);
}

QMessageBox::StandardButton Dialogs::warning(QWidget* parent, const QString& title, const QString& text)
{
    return show(QMessageBox::Warning, parent, title, text, QMessageBox::Ok, QMessageBox::Ok);
}

QMessageBox::StandardButton Dialogs::critical(QWidget* parent, const QString& title, const QString& text)
{
    return show(QMessageBox::Critical, parent, title, text, QMessageBox::Ok, QMessageBox::Ok);
}

void Dialogs::about(QWidget* parent, const QString& title, const QString& text)
{
    record(title, text);
    QMessageBox::StandardButton scripted;
    if (takeAnswer(QMessageBox::Ok, scripted))
        return;
    QMessageBox::about(parent, title, text);
}

QString Dialogs::getText(QWidget* parent, const QString& title, const QString& label, const QString& text, bool* ok)
{
    if (!state().texts.isEmpty()) {
        if (ok)
            *ok = true;
        return state().texts.dequeue();
    }
    if (state().testing) {
        if (ok)
            *ok = false;
        return {};
    }
    return QInputDialog::getText(parent, title, label, QLineEdit::Normal, text, ok);
}

void Dialogs::setTestingMode(bool on)
{
    state().testing = on;
}

bool Dialogs::testingMode()
{
    return state().testing;
}

void Dialogs::setNextFileName(const QString& fileName)
{
    state().fileNames.enqueue(fileName);
}

void Dialogs::setNextAnswer(QMessageBox::StandardButton answer)
{
    state().answers.enqueue(answer);
}

void Dialogs::setNextText(const QString& text)
{
    state().texts.enqueue(text);
}

QString Dialogs::lastMessage()
{
    return state().messages.isEmpty() ? QString() : state().messages.constLast();
}

QStringList Dialogs::messages()
{
    return state().messages;
}

void Dialogs::clear()
{
    state().fileNames.clear();
    state().answers.clear();
    state().texts.clear();
    state().messages.clear();
}

} // namespace ts::ui
