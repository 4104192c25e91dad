// EndpointsDialog driven by objectName (issue 12 #7): the key status shows a real em dash; a keychain that cannot
// answer (this test points D-Bus at a socket that does not exist, so QtKeychain fails for real) is explained, with the
// variable to set, and the typed key stays in its field; the exact environment variable the endpoint reads and
// whether it is set; Test Connection against a loopback HTTP server: the model list offered in the model field, a
// refused key, and a closed port.
#include <QComboBox>
#include <QCompleter>
#include <QFile>
#include <QLabel>
#include <QLayout>
#include <QLineEdit>
#include <QPushButton>
#include <QTemporaryDir>
#include <QToolButton>
#include <QtTest>

#include "../core/endpoint_test_responses.h"
#include "../core/fault_http_server.h"
#include "promptlab/api_key_store.h"
#include "promptlab/endpoints_dialog.h"
#include "store/project.h"
#include "ui_test_support.h"

using tstest::FaultHttpServer;
using tstest::ScriptedResponse;

namespace {

constexpr const char* kTypedKey = "sk-typed-0123456789abcdef";

} // namespace

class TestEndpointsDialog : public QObject
{
    Q_OBJECT

private slots:
    void initTestCase();
    void init();
    void cleanup();
    void keyStatusShowsARealEmDash();
    void keychainFailureSaysWhyAndKeepsTheTypedKey();
    void namesTheExactKeyVariableAndWhetherItIsSet();
    void testConnectionListsTheModelsAndOffersThem();
    void testConnectionSaysTheKeyWasRefused();
    void testConnectionToAClosedPortSaysConnectionRefused();

private:
    // Fills the form for an openai-compatible endpoint at `baseUrl`.
    void fillHttpEndpoint(ts::ui::EndpointsDialog& dialog, const QString& name, const QString& baseUrl,
                          const QString& keyEnv);
    void runTest(ts::ui::EndpointsDialog& dialog, QString& result); // clicks Test Connection, waits for the result

    std::unique_ptr<QTemporaryDir> m_dir;
    std::unique_ptr<ts::Project> m_project;
    QTemporaryDir m_noBus;
};

void TestEndpointsDialog::initTestCase()
{
    ts::test::initUiTesting();
    // No D-Bus session answers in this process: the keychain (Secret Service or KWallet, both over D-Bus) fails the
    // way it does on a desktop without a keyring, through QtKeychain's own code path.
    qputenv("DBUS_SESSION_BUS_ADDRESS", "unix:path=" + m_noBus.filePath(QStringLiteral("no-bus")).toUtf8());
    qunsetenv("TS_EP_TEST_UNSET_KEY");
}

void TestEndpointsDialog::init()
{
    ts::ui::ApiKeyStore::setKeychainEnabled(false);
    m_dir = std::make_unique<QTemporaryDir>();
    m_project = ts::test::createProject(m_dir->filePath(QStringLiteral("endpoints.tunesmith")));
    QVERIFY(m_project);
}

void TestEndpointsDialog::cleanup()
{
    ts::ui::ApiKeyStore::setKeychainEnabled(false);
    m_project.reset();
    m_dir.reset();
}

void TestEndpointsDialog::fillHttpEndpoint(ts::ui::EndpointsDialog& dialog, const QString& name, const QString& baseUrl,
                                           const QString& keyEnv)
{
    dialog.nameEdit()->setText(name);
    dialog.kindCombo()->setCurrentIndex(dialog.kindCombo()->findText(QStringLiteral("openai-compatible")));
    dialog.baseUrlEdit()->setText(baseUrl);
    dialog.modelEdit()->setText(QStringLiteral("test-model"));
    dialog.keyEnvEdit()->setText(keyEnv);
}

void TestEndpointsDialog::runTest(ts::ui::EndpointsDialog& dialog, QString& result)
{
    QSignalSpy finished(&dialog, &ts::ui::EndpointsDialog::connectionTestFinished);
    auto* button = dialog.findChild<QPushButton*>(QStringLiteral("testEndpointButton"));
    button->click();
    // The request runs on the work pool (its result comes through the event loop): meanwhile the button is busy.
    QCOMPARE(finished.count(), 0);
    QVERIFY(!button->isEnabled());
    QVERIFY2(dialog.findChild<QLabel*>(QStringLiteral("endpointTestResult"))
                 ->text()
                 .startsWith(QStringLiteral("Testing http://")),
             qPrintable(dialog.findChild<QLabel*>(QStringLiteral("endpointTestResult"))->text()));
    QVERIFY(finished.wait(30000));
    QVERIFY(button->isEnabled());
    result = dialog.findChild<QLabel*>(QStringLiteral("endpointTestResult"))->text();
}

void TestEndpointsDialog::keyStatusShowsARealEmDash()
{
    ts::ui::EndpointsDialog dialog(*m_project);
    dialog.show();
    fillHttpEndpoint(dialog, QStringLiteral("remote"), QStringLiteral("http://127.0.0.1:8080/v1"),
                     QStringLiteral("TS_EP_TEST_UNSET_KEY"));
    QSignalSpy looked(&dialog, &ts::ui::EndpointsDialog::keyLookupFinished);
    QVERIFY(dialog.saveCurrent());
    QVERIFY(looked.wait(10000));
    const QString status = dialog.findChild<QLabel*>(QStringLiteral("endpointKeyStatus"))->text();
    QVERIFY2(status.contains(QStringLiteral(" \u2014 ")), qPrintable(status));
    QVERIFY2(!status.contains(QStringLiteral("\u00e2\u0080")) && !status.contains(QStringLiteral("\u00e2\u20ac")),
             qPrintable(status));
    dialog.layout()->activate(); // the layout request posted by the last setText
    QVERIFY(!ts::test::saveScreenshot(&dialog, QStringLiteral("endpoints-dialog-key-status")).isEmpty());
}

void TestEndpointsDialog::keychainFailureSaysWhyAndKeepsTheTypedKey()
{
    ts::ui::ApiKeyStore::setKeychainEnabled(true);
    ts::ui::EndpointsDialog dialog(*m_project);
    dialog.show();
    fillHttpEndpoint(dialog, QStringLiteral("remote"), QStringLiteral("http://127.0.0.1:8080/v1"),
                     QStringLiteral("TS_EP_TEST_UNSET_KEY"));
    QVERIFY(dialog.keyEdit()->isEnabled());
    dialog.keyEdit()->setText(QString::fromLatin1(kTypedKey));
    QSignalSpy saved(&dialog, &ts::ui::EndpointsDialog::keySaveFinished);
    QVERIFY(dialog.saveCurrent());
    QVERIFY(saved.wait(30000));
    const QString message = dialog.messageLabel()->text();
    QVERIFY2(message.contains(QStringLiteral("its key could not be stored: the system keychain is not available "
                                             "(no D-Bus session, so no Secret Service or KWallet can answer)")),
             qPrintable(message));
    QVERIFY2(message.contains(QStringLiteral("Set the environment variable TS_EP_TEST_UNSET_KEY instead")),
             qPrintable(message));
    QVERIFY2(!message.contains(QStringLiteral("Unknown error")), qPrintable(message));
    QVERIFY(!message.contains(QString::fromLatin1(kTypedKey)));
    // Nothing typed is lost, and the field stays usable.
    QCOMPARE(dialog.keyEdit()->text(), QString::fromLatin1(kTypedKey));
    QVERIFY(dialog.keyEdit()->isEnabled());
    // The key status line says the same about reading.
    QTRY_VERIFY_WITH_TIMEOUT(dialog.keyStatusLabel()->text().contains(QStringLiteral("no D-Bus session")), 30000);
    dialog.layout()->activate(); // the layout request posted by the last setText
    QVERIFY(!ts::test::saveScreenshot(&dialog, QStringLiteral("endpoints-dialog-keychain-failure")).isEmpty());
    // Runs of this session get the typed key (the Prompt lab reads keys through ApiKeyStore::read): it is kept in
    // memory, never written.
    ts::Endpoint remote;
    remote.name = "remote";
    remote.provider.apiKeyEnv = "TS_EP_TEST_UNSET_KEY";
    std::optional<ts::ui::KeyLookup> lookup;
    ts::ui::ApiKeyStore::read(&dialog, remote, [&](const ts::ui::KeyLookup& found) { lookup = found; });
    QTRY_VERIFY_WITH_TIMEOUT(lookup.has_value(), 30000);
    QCOMPARE(lookup->from, ts::ui::KeyLookup::From::Session);
    QCOMPARE(lookup->key, QString::fromLatin1(kTypedKey));
    QVERIFY2(lookup->describe().contains(QStringLiteral("typed in this session")), qPrintable(lookup->describe()));
    for (const QString& suffix : {QString(), QStringLiteral("-wal")}) {
        QFile file(QString::fromStdString(m_project->path().string()) + suffix);
        if (file.open(QIODevice::ReadOnly))
            QVERIFY2(!file.readAll().contains(kTypedKey), qPrintable(file.fileName()));
    }

    // A self-hosted endpoint that reads no variable: the advice suggests one to name.
    dialog.addNew();
    fillHttpEndpoint(dialog, QStringLiteral("my-vllm"), QStringLiteral("http://127.0.0.1:8080/v1"), QString());
    dialog.keyEdit()->setText(QString::fromLatin1(kTypedKey));
    QVERIFY(dialog.saveCurrent());
    QVERIFY(saved.wait(30000));
    QVERIFY2(dialog.messageLabel()->text().contains(QStringLiteral("Name a key variable above (e.g. MY_VLLM_API_KEY)")),
             qPrintable(dialog.messageLabel()->text()));
    QCOMPARE(dialog.keyEdit()->text(), QString::fromLatin1(kTypedKey));
}

void TestEndpointsDialog::namesTheExactKeyVariableAndWhetherItIsSet()
{
    qunsetenv("ANTHROPIC_API_KEY");
    ts::ui::EndpointsDialog dialog(*m_project);
    dialog.show();
    auto* envStatus = dialog.findChild<QLabel*>(QStringLiteral("endpointKeyEnvStatus"));
    QVERIFY(envStatus);
    dialog.nameEdit()->setText(QStringLiteral("claude"));
    dialog.kindCombo()->setCurrentIndex(dialog.kindCombo()->findText(QStringLiteral("anthropic")));
    QCOMPARE(envStatus->text(),
             QStringLiteral("Reads $ANTHROPIC_API_KEY when the keychain has no key: it is not set "
                            "in this session (set it before starting Tunesmith)."));
    QCOMPARE(dialog.keyEnvEdit()->placeholderText(), QStringLiteral("ANTHROPIC_API_KEY (the default here)"));
    qputenv("TS_EP_TEST_SET_KEY", "sk-set-0123456789");
    dialog.keyEnvEdit()->setText(QStringLiteral("TS_EP_TEST_SET_KEY"));
    QCOMPARE(envStatus->text(),
             QStringLiteral("Reads $TS_EP_TEST_SET_KEY when the keychain has no key: it is set in this session."));
    dialog.keyEnvEdit()->setText(QStringLiteral("2 BAD"));
    QVERIFY2(envStatus->text().contains(QStringLiteral("not a valid variable name")), qPrintable(envStatus->text()));
    // A self-hosted openai-compatible server reads none unless one is named: a name is suggested.
    fillHttpEndpoint(dialog, QStringLiteral("my-vllm"), QStringLiteral("http://127.0.0.1:8080/v1"), QString());
    QVERIFY2(envStatus->text().contains(QStringLiteral("Reads no environment variable"))
                 && envStatus->text().contains(QStringLiteral("MY_VLLM_API_KEY")),
             qPrintable(envStatus->text()));
    // api.openai.com reads OPENAI_API_KEY by default.
    dialog.baseUrlEdit()->setText(QStringLiteral("https://api.openai.com/v1"));
    QVERIFY2(envStatus->text().startsWith(QStringLiteral("Reads $OPENAI_API_KEY")), qPrintable(envStatus->text()));
    // A local endpoint reads no key: the line is hidden.
    dialog.kindCombo()->setCurrentIndex(dialog.kindCombo()->findText(QStringLiteral("local")));
    QVERIFY(!envStatus->isVisible());
    qunsetenv("TS_EP_TEST_SET_KEY");
}

void TestEndpointsDialog::testConnectionListsTheModelsAndOffersThem()
{
    FaultHttpServer server;
    server.enqueue(ScriptedResponse::json(200, tstest::modelListBody({"test-model", "big-model", "alpha"})));
    server.enqueue(ScriptedResponse::json(200, tstest::oneTokenCompletionBody()));
    ts::ui::EndpointsDialog dialog(*m_project);
    dialog.show();
    fillHttpEndpoint(dialog, QStringLiteral("loopback"), QString::fromStdString(server.baseUrl() + "/v1"), QString());
    auto* modelsButton = dialog.findChild<QToolButton*>(QStringLiteral("endpointModelsButton"));
    QVERIFY(!modelsButton->isEnabled());
    dialog.keyEdit()->setText(QString::fromLatin1(kTypedKey)); // tests use the typed key, saved or not
    QString result;
    runTest(dialog, result);
    if (QTest::currentTestFailed())
        return;
    QVERIFY2(result.startsWith(QStringLiteral("OK: test-model answered a 1-token request in ")), qPrintable(result));
    QVERIFY2(result.contains(QStringLiteral("The host lists 3 models: alpha, big-model, test-model.")),
             qPrintable(result));
    QVERIFY2(result.contains(QStringLiteral("Key sent: the one typed in the field.")), qPrintable(result));
    QVERIFY(!result.contains(QString::fromLatin1(kTypedKey)));
    QCOMPARE(dialog.offeredModels(),
             QStringList({QStringLiteral("alpha"), QStringLiteral("big-model"), QStringLiteral("test-model")}));
    QVERIFY(modelsButton->isEnabled());
    // The model field completes from the list.
    QCOMPARE(dialog.modelEdit()->completer(), dialog.modelCompleter());
    dialog.modelCompleter()->setCompletionPrefix(QStringLiteral("big"));
    QCOMPARE(dialog.modelCompleter()->currentCompletion(), QStringLiteral("big-model"));
    const auto requests = server.requests();
    QCOMPARE(requests.size(), size_t(2));
    QCOMPARE(QString::fromStdString(requests[0].method + " " + requests[0].path), QStringLiteral("GET /v1/models"));
    QCOMPARE(QString::fromStdString(requests[0].header("authorization").value_or("")),
             QStringLiteral("Bearer ") + QString::fromLatin1(kTypedKey));
    QCOMPARE(QString::fromStdString(requests[1].path), QStringLiteral("/v1/chat/completions"));
    dialog.layout()->activate(); // the layout request posted by the last setText
    QVERIFY(!ts::test::saveScreenshot(&dialog, QStringLiteral("endpoints-dialog-test-ok")).isEmpty());
}

void TestEndpointsDialog::testConnectionSaysTheKeyWasRefused()
{
    FaultHttpServer server;
    const std::string refusal = R"({"error":{"message":"Incorrect API key provided"}})";
    server.enqueue(ScriptedResponse::json(401, refusal));
    server.enqueue(ScriptedResponse::json(401, refusal));
    qputenv("TS_EP_TEST_SET_KEY", "sk-env-0123456789");
    ts::ui::EndpointsDialog dialog(*m_project);
    dialog.show();
    fillHttpEndpoint(dialog, QStringLiteral("loopback"), QString::fromStdString(server.baseUrl() + "/v1"),
                     QStringLiteral("TS_EP_TEST_SET_KEY"));
    QString result;
    runTest(dialog, result); // no key typed: the environment's is sent
    if (QTest::currentTestFailed())
        return;
    QVERIFY2(result.startsWith(QStringLiteral("Failed: HTTP 401: the key was refused: Incorrect API key provided.")),
             qPrintable(result));
    QVERIFY2(result.contains(QStringLiteral("Key sent: the one in $TS_EP_TEST_SET_KEY.")), qPrintable(result));
    QCOMPARE(QString::fromStdString(server.requests()[0].header("authorization").value_or("")),
             QStringLiteral("Bearer sk-env-0123456789"));
    QVERIFY(dialog.offeredModels().isEmpty());
    dialog.layout()->activate(); // the layout request posted by the last setText
    QVERIFY(!ts::test::saveScreenshot(&dialog, QStringLiteral("endpoints-dialog-test-401")).isEmpty());
    qunsetenv("TS_EP_TEST_SET_KEY");
}

void TestEndpointsDialog::testConnectionToAClosedPortSaysConnectionRefused()
{
    QString baseUrl;
    int port = 0;
    {
        FaultHttpServer server; // bound and closed again: nothing listens on its port
        baseUrl = QString::fromStdString(server.baseUrl() + "/v1");
        port = server.port();
    }
    ts::ui::EndpointsDialog dialog(*m_project);
    dialog.show();
    fillHttpEndpoint(dialog, QStringLiteral("closed"), baseUrl, QString());
    QString result;
    runTest(dialog, result);
    if (QTest::currentTestFailed())
        return;
    QVERIFY2(
        result.startsWith(QStringLiteral("Failed: Connection refused: nothing listens at 127.0.0.1:%1.").arg(port)),
        qPrintable(result));
    QVERIFY2(result.contains(QStringLiteral("Key sent: none.")), qPrintable(result));
}

QTEST_MAIN(TestEndpointsDialog)

#include "test-endpoints-dialog.moc"
