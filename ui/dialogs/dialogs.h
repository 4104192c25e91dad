// Dialogs: the production facade for every modal file dialog and message box (after KeePassXC's MessageBox and
// FileDialog), with a test seam so tests can script the answers.
#pragma once

#include <QList>
#include <QMessageBox>
#include <QPair>
#include <QString>
#include <QStringList>

class QWidget;

namespace ts::ui {

// Every file dialog and message box in the UI goes through these functions. When an answer
// has been queued with setNextFileName()/setNextAnswer() it is used instead of showing a
// dialog. In testing mode nothing modal is ever shown: unscripted file dialogs return ""
// (cancelled), unscripted questions return their default button, and every message is
// recorded (see lastMessage()), unscripted text prompts count as cancelled.
class Dialogs final
{
public:
    Dialogs() = delete;

    static QString getOpenFileName(QWidget* parent, const QString& caption, const QString& dir = {},
                                   const QString& filter = {});
    // Never confirms overwriting: callers decide what an existing file means.
    static QString getSaveFileName(QWidget* parent, const QString& caption, const QString& dir = {},
                                   const QString& filter = {});

    static QMessageBox::StandardButton question(QWidget* parent, const QString& title, const QString& text,
                                                QMessageBox::StandardButtons buttons
                                                = QMessageBox::Yes | QMessageBox::No,
                                                QMessageBox::StandardButton defaultButton = QMessageBox::No);
    // A question whose buttons say what they do: `buttonTexts` relabels some of `buttons` (Yes as "Start Again").
    static QMessageBox::StandardButton question(QWidget* parent, const QString& title, const QString& text,
                                                QMessageBox::StandardButtons buttons,
                                                QMessageBox::StandardButton defaultButton,
                                                const QList<QPair<QMessageBox::StandardButton, QString>>& buttonTexts);
    static QMessageBox::StandardButton information(QWidget* parent, const QString& title, const QString& text);
    static QMessageBox::StandardButton warning(QWidget* parent, const QString& title, const QString& text);
    static QMessageBox::StandardButton critical(QWidget* parent, const QString& title, const QString& text);
    static void about(QWidget* parent, const QString& title, const QString& text);
    // One line of text; *ok is false when the user cancels.
    static QString getText(QWidget* parent, const QString& title, const QString& label, const QString& text, bool* ok);

    // Test seam.
    static void setTestingMode(bool on);
    static bool testingMode();
    static void setNextFileName(const QString& fileName); // queued; "" = the user cancels
    static void setNextAnswer(QMessageBox::StandardButton answer);
    static void setNextText(const QString& text); // queued answer for getText()
    static QString lastMessage(); // "title: text" of the last message or question
    static QStringList messages(); // all since the last clear()
    static void clear(); // drops queued answers and recorded messages
};

} // namespace ts::ui
