// ServeProcess: `tunesmith-cli serve` as a child process (stdout a pipe): started with its arguments and extra
// environment, its "listening" line read, stopped with SIGINT (SIGKILL after 30 s). Used by the serve tests and by
// tests that need a real OpenAI-compatible peer (the evolve CLI's teacher).
#pragma once

#include <chrono>
#include <condition_variable>
#include <csignal>
#include <fcntl.h>
#include <mutex>
#include <poll.h>
#include <string>
#include <sys/wait.h>
#include <thread>
#include <unistd.h>
#include <vector>

#include <nlohmann/json.hpp>

extern char** environ;

namespace tstest {

class ServeProcess
{
public:
    // stderr goes to `stderrFile` (empty: /dev/null).
    ServeProcess(const std::vector<std::string>& args, const std::vector<std::string>& extraEnv = {},
                 const std::string& stderrFile = "")
    {
        const std::string errPath = stderrFile.empty() ? "/dev/null" : stderrFile;
        std::vector<std::string> argvStrings = {TUNESMITH_CLI, "serve"};
        argvStrings.insert(argvStrings.end(), args.begin(), args.end());
        std::vector<char*> argv;
        for (auto& a : argvStrings)
            argv.push_back(a.data());
        argv.push_back(nullptr);
        std::vector<std::string> envStrings(extraEnv);
        for (char** e = environ; *e; ++e)
            envStrings.emplace_back(*e);
        std::vector<char*> envp;
        for (auto& e : envStrings)
            envp.push_back(e.data());
        envp.push_back(nullptr);

        int fds[2];
        if (pipe(fds) != 0)
            return;
        m_pid = fork();
        if (m_pid == 0) {
            dup2(fds[1], STDOUT_FILENO);
            const int err = open(errPath.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
            dup2(err, STDERR_FILENO);
            close(fds[0]);
            close(fds[1]);
            execve(argv[0], argv.data(), envp.data());
            _exit(127);
        }
        close(fds[1]);
        m_out = fds[0];
        auto line = readLine(60'000);
        m_listening = nlohmann::json::parse(line, nullptr, false);
    }

    ~ServeProcess() { stop(); }

    // The {"listening", "model", "port", ...} line (discarded JSON if the server did not start).
    const nlohmann::json& listening() const { return m_listening; }
    std::string url(const std::string& path) const
    {
        return "http://127.0.0.1:" + std::to_string(m_listening.value("port", 0)) + path;
    }

    // SIGINT, then the exit code (-1 if it had to be killed).
    int stop()
    {
        if (m_pid <= 0)
            return m_exitCode;
        kill(m_pid, SIGINT);
        // Wait for the exit itself (blocking waitpid); a watchdog kills a server that ignores SIGINT for 30 s.
        std::mutex mutex;
        std::condition_variable exited;
        bool done = false, killed = false;
        std::thread watchdog([&] {
            std::unique_lock<std::mutex> lock(mutex);
            if (!exited.wait_for(lock, std::chrono::seconds(30), [&] { return done; })) {
                killed = true;
                kill(m_pid, SIGKILL);
            }
        });
        int status = 0;
        waitpid(m_pid, &status, 0);
        {
            std::lock_guard<std::mutex> lock(mutex);
            done = true;
        }
        exited.notify_all();
        watchdog.join();
        m_exitCode = !killed && WIFEXITED(status) ? WEXITSTATUS(status) : -1;
        m_pid = -1;
        m_lastLine = readLine(1000);
        close(m_out);
        return m_exitCode;
    }
    const std::string& lastLine() const { return m_lastLine; }

private:
    std::string readLine(int timeoutMs)
    {
        std::string line;
        const auto deadline = std::chrono::steady_clock::now() + std::chrono::milliseconds(timeoutMs);
        while (std::chrono::steady_clock::now() < deadline) {
            pollfd p {m_out, POLLIN, 0};
            if (poll(&p, 1, 100) <= 0)
                continue;
            char c = 0;
            if (read(m_out, &c, 1) != 1)
                break;
            if (c == '\n')
                break;
            line.push_back(c);
        }
        return line;
    }

    pid_t m_pid = -1;
    int m_out = -1;
    int m_exitCode = -2;
    nlohmann::json m_listening;
    std::string m_lastLine;
};

} // namespace tstest
