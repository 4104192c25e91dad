// VariableHighlighter: one regular expression for {{ name }}, two character formats.
#include "promptlab/variable_highlighter.h"

#include <QGuiApplication>
#include <QPalette>
#include <QRegularExpression>

namespace ts::ui {

namespace {

const QRegularExpression& variablePattern()
{
    static const QRegularExpression pattern(QStringLiteral(R"(\{\{[ \t]*(.*?)[ \t]*\}\})"));
    return pattern;
}

} // namespace

VariableHighlighter::VariableHighlighter(QTextDocument* document)
    : QSyntaxHighlighter(document)
{ }

void VariableHighlighter::setKnownVariables(const QSet<QString>& names)
{
    if (names == m_known)
        return;
    m_known = names;
    rehighlight();
}

QStringList VariableHighlighter::variablesIn(const QString& text)
{
    QStringList names;
    auto it = variablePattern().globalMatch(text);
    while (it.hasNext()) {
        const QString name = it.next().captured(1);
        if (!names.contains(name))
            names.append(name);
    }
    return names;
}

void VariableHighlighter::highlightBlock(const QString& text)
{
    QTextCharFormat known;
    known.setForeground(QGuiApplication::palette().color(QPalette::Link));
    known.setFontWeight(QFont::DemiBold);
    QTextCharFormat unknown;
    unknown.setForeground(QColor(0xc0, 0x39, 0x2b));
    unknown.setUnderlineStyle(QTextCharFormat::WaveUnderline);
    unknown.setUnderlineColor(QColor(0xc0, 0x39, 0x2b));
    unknown.setToolTip(tr("Unknown variable: add it to the variables table"));
    auto it = variablePattern().globalMatch(text);
    while (it.hasNext()) {
        const auto match = it.next();
        setFormat(static_cast<int>(match.capturedStart()), static_cast<int>(match.capturedLength()),
                  m_known.contains(match.captured(1)) ? known : unknown);
    }
}

} // namespace ts::ui
