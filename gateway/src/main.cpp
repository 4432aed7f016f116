// todoke: the composition root. Parses the command line, sets up the C libraries once, and
// runs the chosen subcommand. Exit status: 0 success/valid, 1 invalid input, 2 usage or I/O.
#include <CLI/CLI.hpp>
#include <iostream>
#include <map>

#include "cli/commands.hpp"
#include "cli/exit_status.hpp"
#include "todoke/common/runtime.hpp"

namespace {

int Main(int argc, char** argv) {
    todoke::LibraryRuntime runtime;
    CLI::App app{"todoke (届): electronic filing gateway for e-Gov and Mynaportal"};
    app.require_subcommand(1);
    std::map<std::string, todoke::gateway::CommandRun> commands;
    commands["sign"] = todoke::gateway::AddSignCommand(app);
    commands["verify"] = todoke::gateway::AddVerifyCommand(app);
    commands["forms"] = todoke::gateway::AddFormsCommand(app);
    commands["package"] = todoke::gateway::AddPackageCommand(app);
    commands["sim"] = todoke::gateway::AddSimCommand(app);
    commands["egov"] = todoke::gateway::AddEgovCommand(app);
    todoke::gateway::AddQueueCommands(app, commands);
    try {
        app.parse(argc, argv);
    } catch (const CLI::CallForHelp& e) {
        return app.exit(e);
    } catch (const CLI::ParseError& e) {
        app.exit(e);
        return todoke::gateway::kExitUsage;
    }
    for (const auto* sub : app.get_subcommands()) {
        return commands.at(sub->get_name())();
    }
    return todoke::gateway::kExitUsage;
}

}  // namespace

int main(int argc, char** argv) {
    // No exception is expected to get here (modules return Result); if a library throws
    // anyway, say so instead of terminating without a word.
    try {
        return Main(argc, argv);
    } catch (const std::exception& e) {
        std::cerr << "todoke: internal error: " << e.what() << "\n";
    } catch (...) {
        std::cerr << "todoke: internal error\n";
    }
    return todoke::gateway::kExitUsage;
}
