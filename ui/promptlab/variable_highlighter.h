// VariableHighlighter: marks {{variables}} in a prompt section as the user types — known ones (defined in the
// variant's variables table) in the link colour, unknown ones in red with a wavy underline, as rendering would
// refuse them.
#pragma once

#include <QSet>
#include <QStringList>
#include <QSyntaxHighlighter>

namespace ts::ui {

class VariableHighlighter final : public QSyntaxHighlighter
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(VariableHighlighter)

public:
    explicit VariableHighlighter(QTextDocument* document);

    void setKnownVariables(const QSet<QString>& names); // rehighlights
    // The {{names}} used in `text` (trimmed, in order of first use), as systemPrompt() reads them.
    static QStringList variablesIn(const QString& text);

protected:
    void highlightBlock(const QString& text) override;

private:
    QSet<QString> m_known;
};

} // namespace ts::ui
