// The subcommands of `todoke`. Each registers its options on the CLI11 app and returns the
// function main() runs when that subcommand was chosen; the function returns the exit status.
#pragma once

#include <CLI/CLI.hpp>
#include <functional>
#include <map>
#include <string>

namespace todoke::gateway {

using CommandRun = std::function<int()>;

CommandRun AddSignCommand(CLI::App& app);
CommandRun AddVerifyCommand(CLI::App& app);
CommandRun AddFormsCommand(CLI::App& app);
CommandRun AddPackageCommand(CLI::App& app);
CommandRun AddSimCommand(CLI::App& app);
CommandRun AddEgovCommand(CLI::App& app);
// serve, submit, status, replay, correct, mailbox: registers each in `commands`.
CommandRun AddQueueCommands(CLI::App& app, std::map<std::string, CommandRun>& commands);

}  // namespace todoke::gateway
