// What the pipeline's commands share: the data folder and its key, opening the store, and
// printing an error with the exit status it means.
#pragma once

#include <CLI/CLI.hpp>
#include <boost/json/object.hpp>
#include <map>
#include <memory>
#include <optional>
#include <string>

#include "commands.hpp"
#include "todoke/common/clock.hpp"
#include "todoke/common/result.hpp"
#include "todoke/forms/catalogue.hpp"
#include "todoke/queue/store.hpp"

namespace todoke::gateway {

struct CliSettings;

// --data DIR and the data key: --data-key-file FILE, else the variable named by --data-key-env
// (TODOKE_DATA_KEY by default); --config where the command reads settings.
struct DataArgs {
    std::string data;
    std::string key_file;
    std::string key_env = "TODOKE_DATA_KEY";
    std::optional<std::string> config;
};

void AddDataOptions(CLI::App& cmd, DataArgs& a);
// Prints "error: [field] message"; kExitInvalid for input the user can fix, else kExitUsage.
int Failed(const Error& e);
Result<std::string> DataKey(const DataArgs& a);
Result<std::unique_ptr<queue::Store>> OpenStore(const DataArgs& a);
// The settings file's catalogue (the default with its identifiers applied).
Result<forms::Catalogue> SettingsCatalogue(const DataArgs& a);
const SystemClock& Wall();
// JST "YYYY-MM-DD HH:MM:SS", "" for an unset time.
std::string Time(TimePoint t);

// One filing as the commands print it (status --json, the operator commands).
boost::json::object FilingJson(const queue::Filing& f);

CommandRun AddServeCommand(CLI::App& app);
CommandRun AddMailboxCommand(CLI::App& app);
// replay, correct, settle, cancel, withdraw (operator_commands.cpp): each into `commands`.
void AddOperatorCommands(CLI::App& app, std::map<std::string, CommandRun>& commands);

}  // namespace todoke::gateway
