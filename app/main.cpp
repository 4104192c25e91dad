// Tunesmith GUI entry point: application identity, translations, icon, then the main window.
#include <QApplication>
#include <QCommandLineParser>
#include <QIcon>
#include <QLibraryInfo>
#include <QLocale>
#include <QTranslator>

#include "main/main_window.h"

int main(int argc, char* argv[])
{
    QApplication app(argc, argv);
    QApplication::setOrganizationName(QStringLiteral("Tunesmith"));
    QApplication::setApplicationName(QStringLiteral("Tunesmith"));
    QApplication::setApplicationVersion(QStringLiteral(TUNESMITH_VERSION));
    QApplication::setDesktopFileName(QStringLiteral("io.tunesmith.Tunesmith"));
    if (QIcon icon(QStringLiteral(":/tunesmith/icons/tunesmith.svg")); !icon.isNull())
        QApplication::setWindowIcon(icon);

    // Qt's own strings (standard buttons, file dialogs), then ours, for the system locale.
    QTranslator qtTranslator;
    if (qtTranslator.load(QLocale::system(), QStringLiteral("qtbase"), QStringLiteral("_"),
                          QLibraryInfo::path(QLibraryInfo::TranslationsPath)))
        QApplication::installTranslator(&qtTranslator);
    QTranslator appTranslator;
    if (appTranslator.load(QLocale::system(), QStringLiteral("tunesmith"), QStringLiteral("_"),
                           QStringLiteral(":/i18n")))
        QApplication::installTranslator(&appTranslator);

    QCommandLineParser parser;
    parser.setApplicationDescription(QApplication::translate("main", "Prompt-vs-fine-tune workbench"));
    parser.addHelpOption();
    parser.addVersionOption();
    parser.addPositionalArgument(QStringLiteral("project"),
                                 QApplication::translate("main", "A .tunesmith project to open."),
                                 QStringLiteral("[project]"));
    parser.process(app);

    ts::ui::MainWindow window;
    window.show();
    if (!parser.positionalArguments().isEmpty())
        window.openProject(parser.positionalArguments().constFirst());
    return QApplication::exec();
}
