#include <boost/json.hpp>
#include <filesystem>
#include <iostream>
#include <memory>

#include "commands.hpp"
#include "exit_status.hpp"
#include "settings.hpp"
#include "todoke/common/clock.hpp"
#include "todoke/common/file.hpp"
#include "todoke/forms/nenkin_csv.hpp"
#include "todoke/forms/package.hpp"
#include "todoke/forms/record_validator.hpp"

namespace todoke::gateway {
namespace {

namespace fs = std::filesystem;
using forms::Catalogue;

struct FormsArgs {
    std::vector<std::string> inputs;
    std::string format = "text";
    std::string today;       // check date, default: today (JST)
    std::string created_on;  // CSV 作成年月日, default: today
    std::string out_dir;
    std::optional<std::string> config;
};

Result<forms::Date> DateArg(const std::string& text) {
    if (!text.empty()) {
        return forms::ParseIsoDate(text);
    }
    return forms::DateInJapan(SystemClock().Now());
}

std::string_view ChannelName(forms::Channel c) {
    return c == forms::Channel::kNenkinCsv ? "nenkin_csv" : "egov_form_xml";
}

int RunList(const FormsArgs& a, const Catalogue& catalogue) {
    for (const auto& p : catalogue.procedures()) {
        if (a.format == "json") {
            boost::json::object o{{"id", p.id},
                                  {"name", p.name},
                                  {"channel", ChannelName(p.channel)},
                                  {"proc_id", p.proc_id},
                                  {"form_id", p.form_id},
                                  {"identifiers_confirmed", p.confirmed},
                                  {"csv_form_code", p.csv_form_code},
                                  {"person_fields", p.person_fields.size()}};
            std::cout << boost::json::serialize(o) << "\n";
        } else {
            std::cout << p.id << "\t" << p.name << "\t" << ChannelName(p.channel) << "\tproc_id "
                      << p.proc_id << (p.confirmed ? "" : " (unconfirmed)")
                      << (p.csv_form_code.empty() ? ""
                                                  : "\t様式コード " + std::string(p.csv_form_code))
                      << "\n";
        }
    }
    return kExitOk;
}

// Reads and validates every input; prints the errors; returns the records that are valid.
int ValidateInputs(const FormsArgs& a, const Catalogue& catalogue, forms::Date today,
                   std::vector<forms::Record>& valid) {
    int status = kExitOk;
    std::size_t records = 0, invalid = 0, errors = 0;
    for (const auto& input : a.inputs) {
        auto text = ReadFileBytes(input, "record file");
        if (!text) {
            std::cerr << "error: " << text.error().message << "\n";
            status = kExitUsage;
            continue;
        }
        auto parsed = forms::ParseRecords(*text, input);
        if (!parsed) {
            std::cerr << "error: " << parsed.error().message << "\n";
            status = kExitUsage;
            continue;
        }
        for (auto& record : *parsed) {
            ++records;
            const auto found = forms::ValidateRecord(record, catalogue, today);
            for (const auto& e : found) {
                if (a.format == "json") {
                    std::cout << forms::FormatErrorJson(e) << "\n";
                } else {
                    std::cout << forms::FormatError(e) << "\n";
                }
            }
            if (found.empty()) {
                valid.push_back(std::move(record));
            } else {
                ++invalid;
                errors += found.size();
                if (status == kExitOk) {
                    status = kExitInvalid;
                }
            }
        }
    }
    std::cerr << records << " record(s), " << invalid << " invalid, " << errors << " error(s)\n";
    return status;
}

int RunValidate(const FormsArgs& a, const Catalogue& catalogue) {
    auto today = DateArg(a.today);
    if (!today) {
        std::cerr << "error: --today: " << today.error().message << "\n";
        return kExitUsage;
    }
    std::vector<forms::Record> valid;
    return ValidateInputs(a, catalogue, *today, valid);
}

int RunRender(const FormsArgs& a, const Catalogue& catalogue) {
    auto today = DateArg(a.today);
    auto created = DateArg(a.created_on);
    if (!today || !created) {
        std::cerr << "error: --today/--created-on must be YYYY-MM-DD\n";
        return kExitUsage;
    }
    std::vector<forms::Record> valid;
    const int status = ValidateInputs(a, catalogue, *today, valid);
    if (status != kExitOk) {
        return status;  // nothing is rendered from a batch with errors
    }
    for (const auto& record : valid) {
        const forms::Procedure* p = catalogue.Find(record.procedure());
        forms::PackageOptions options;
        options.submitted_on = *created;
        auto applications = forms::RenderApplications(*p, record, options);
        if (!applications) {
            std::cerr << "invalid: record " << record.index << " (" << record.source << "): ["
                      << applications.error().field << "] " << applications.error().message << "\n";
            return kExitInvalid;
        }
        const std::string name =
            record.id().empty() ? "record-" + std::to_string(record.index) : record.id();
        for (std::size_t n = 0; n < applications->size(); ++n) {
            // One folder per application: a filing over 4.5 MB of CSV becomes several.
            const auto& app = (*applications)[n];
            const std::string folder =
                applications->size() == 1 ? name : name + "-part" + std::to_string(n + 1);
            const fs::path dir = fs::path(a.out_dir) / folder / app.folder;
            std::error_code ec;
            fs::create_directories(dir, ec);
            for (const auto& file : app.files) {
                if (auto w = WriteFileAtomically(dir / file.name, file.bytes); ec || !w) {
                    std::cerr << "error: cannot write into " << dir.string() << "\n";
                    return kExitUsage;
                }
            }
            std::cout << "rendered: " << record.source << " record " << record.index << " -> "
                      << dir.string() << " (" << app.files.size() << " files, unsigned"
                      << (applications->size() > 1
                              ? ", application " + std::to_string(n + 1) + " of " +
                                    std::to_string(applications->size())
                              : "")
                      << ")\n";
        }
    }
    return kExitOk;
}

}  // namespace

CommandRun AddFormsCommand(CLI::App& app) {
    auto args = std::make_shared<FormsArgs>();
    auto chosen = std::make_shared<std::string>();
    CLI::App* cmd =
        app.add_subcommand("forms", "The procedure catalogue, record validation and rendering");
    cmd->require_subcommand(1);
    CLI::App* list = cmd->add_subcommand("list", "List the procedures of the catalogue");
    list->add_option("--format", args->format)->check(CLI::IsMember({"text", "json"}));
    CLI::App* validate = cmd->add_subcommand(
        "validate",
        "Validate filing records (JSON or CSV); every error of every record, in one pass");
    validate->add_option("records", args->inputs, "record files")->required();
    validate->add_option("--format", args->format, "text or json (one error per line)")
        ->check(CLI::IsMember({"text", "json"}));
    validate->add_option("--today", args->today, "check date YYYY-MM-DD (default: today, JST)");
    CLI::App* render = cmd->add_subcommand(
        "render", "Validate records and write their unsigned files, for inspection");
    render->add_option("records", args->inputs, "record files")->required();
    render->add_option("--out", args->out_dir, "output folder")->required();
    render->add_option("--today", args->today, "check date YYYY-MM-DD (default: today, JST)");
    render->add_option("--created-on", args->created_on,
                       "作成年月日 of the CSV and 届出年月日 of the forms (default: today)");
    for (CLI::App* sub : {list, validate, render}) {
        sub->callback([chosen, sub] { *chosen = sub->get_name(); });
        sub->add_option("--config", args->config,
                        "settings file (JSON; its \"catalogue\" section configures identifiers)");
    }
    return [args, chosen] {
        auto settings = LoadCliSettings(args->config);
        auto catalogue =
            settings ? CliCatalogue(*settings) : Result<Catalogue>(Fail(settings.error()));
        if (!catalogue) {
            std::cerr << "error: " << catalogue.error().message
                      << (catalogue.error().field.empty() ? ""
                                                          : " (" + catalogue.error().field + ")")
                      << "\n";
            return kExitUsage;
        }
        if (*chosen == "list") {
            return RunList(*args, *catalogue);
        }
        if (*chosen == "validate") {
            return RunValidate(*args, *catalogue);
        }
        return RunRender(*args, *catalogue);
    };
}

}  // namespace todoke::gateway
