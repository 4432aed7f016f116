#include "process.hpp"

#include <fcntl.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cstdio>
#include <cstdlib>

namespace todoke::testing {

ChildProcess SpawnProcess(const std::vector<std::string>& argv, const std::vector<std::string>& env,
                          const std::filesystem::path& stderr_file) {
    int out[2];
    if (pipe(out) != 0) return {};
    const pid_t pid = fork();
    if (pid == 0) {
        dup2(out[1], STDOUT_FILENO);
        if (!stderr_file.empty()) {
            const int err = ::open(stderr_file.c_str(), O_WRONLY | O_CREAT | O_APPEND, 0600);
            dup2(err, STDERR_FILENO);
        }
        close(out[0]);
        close(out[1]);
        for (const auto& e : env) putenv(const_cast<char*>(e.c_str()));
        std::vector<char*> args;
        for (const auto& a : argv) args.push_back(const_cast<char*>(a.c_str()));
        args.push_back(nullptr);
        execv(args[0], args.data());
        _exit(127);
    }
    close(out[1]);
    ChildProcess child{pid, ""};
    char c = 0;
    while (read(out[0], &c, 1) == 1 && c != '\n') child.first_line += c;
    close(out[0]);
    return child;
}

int StopProcess(const ChildProcess& child) {
    kill(child.pid, SIGTERM);
    int status = 0;
    waitpid(child.pid, &status, 0);
    return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
}

std::pair<int, std::string> RunShell(const std::string& command) {
    FILE* pipe = popen(command.c_str(), "r");
    std::string out;
    char buffer[4096];
    while (pipe != nullptr) {
        const size_t n = fread(buffer, 1, sizeof buffer, pipe);
        if (n == 0) break;
        out.append(buffer, n);
    }
    const int status = pipe != nullptr ? pclose(pipe) : -1;
    return {WIFEXITED(status) ? WEXITSTATUS(status) : -1, out};
}

}  // namespace todoke::testing
