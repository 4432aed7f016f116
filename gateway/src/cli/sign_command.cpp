#include <boost/json.hpp>
#include <filesystem>
#include <iostream>
#include <memory>

#include "commands.hpp"
#include "exit_status.hpp"
#include "settings.hpp"
#include "signing_keys.hpp"
#include "todoke/common/clock.hpp"
#include "todoke/common/file.hpp"
#include "todoke/signing/applicant_signature.hpp"
#include "todoke/signing/key_store.hpp"

namespace todoke::gateway {
namespace {

namespace fs = std::filesystem;

struct SignArgs {
    std::vector<std::string> inputs;
    KeyArgs keys;
    std::string out;
    std::string out_dir;
    std::string format = "text";
    std::optional<std::string> config;
};

int Run(const SignArgs& a) {
    const bool json = a.format == "json";
    if (a.out.empty() == a.out_dir.empty()) {
        std::cerr << "error: give exactly one of --out FILE (one input) or --out-dir DIR\n";
        return kExitUsage;
    }
    if (!a.out.empty() && a.inputs.size() != 1) {
        std::cerr << "error: --out takes one input; use --out-dir for several\n";
        return kExitUsage;
    }
    auto settings = LoadCliSettings(a.config);
    if (!settings) {
        std::cerr << "error: " << settings.error().message << "\n";
        return kExitUsage;
    }
    const TimePoint now = SystemClock().Now();
    auto keys = LoadSigningKeys(a.keys, now, settings->expiry_warning_days);
    if (!keys) {
        std::cerr << "error: " << keys.error().message << "\n";
        return kExitUsage;
    }
    if (!a.out_dir.empty()) {
        std::error_code ec;
        fs::create_directories(a.out_dir, ec);
        if (ec) {
            std::cerr << "error: cannot create " << a.out_dir << ": " << ec.message() << "\n";
            return kExitUsage;
        }
    }
    signing::ApplicantSignOptions options;
    options.xml_limits = settings->xml;
    int status = kExitOk;
    for (const auto& input : a.inputs) {
        const fs::path out =
            a.out.empty() ? fs::path(a.out_dir) / fs::path(input).filename() : fs::path(a.out);
        boost::json::object report{{"input", input}};
        auto bytes = ReadFileBytes(input);
        if (!bytes) {
            std::cerr << "error: " << bytes.error().message << "\n";
            status = kExitUsage;
            continue;
        }
        auto signed_pkg =
            signing::SignApplicationPackage(*bytes, *keys, now, settings->zip, options);
        if (!signed_pkg) {
            std::cerr << "invalid: " << input << ": [" << signed_pkg.error().field << "] "
                      << signed_pkg.error().message << "\n";
            if (status == kExitOk) {
                status = kExitInvalid;
            }
            if (json) {
                report["signed"] = false;
                report["check"] = signed_pkg.error().field;
                report["message"] = signed_pkg.error().message;
                std::cout << boost::json::serialize(report) << "\n";
            }
            continue;
        }
        if (auto w = WriteFileAtomically(out, signed_pkg->zip); !w) {
            std::cerr << "error: " << w.error().message << "\n";
            status = kExitUsage;
            continue;
        }
        if (json) {
            report["signed"] = true;
            report["output"] = out.string();
            boost::json::array folders;
            for (const auto& f : signed_pkg->folders) {
                folders.emplace_back(f);
            }
            report["folders"] = std::move(folders);
            report["signatures"] = keys->size();
            std::cout << boost::json::serialize(report) << "\n";
        } else {
            std::cout << "signed: " << input << " -> " << out.string() << " ("
                      << signed_pkg->folders.size() << " application(s), " << keys->size()
                      << " signature(s) each)\n";
        }
    }
    return status;
}

}  // namespace

CommandRun AddSignCommand(CLI::App& app) {
    auto args = std::make_shared<SignArgs>();
    CLI::App* cmd = app.add_subcommand(
        "sign", "Sign the kousei.xml of e-Gov application packages (applicant signature)");
    cmd->add_option("packages", args->inputs, "unsigned application ZIPs")->required();
    AddKeyOptions(*cmd, args->keys);
    cmd->add_option("--out", args->out, "signed ZIP (one input)");
    cmd->add_option("--out-dir", args->out_dir, "folder for the signed ZIPs (same names)");
    cmd->add_option("--format", args->format, "text or json")
        ->check(CLI::IsMember({"text", "json"}));
    cmd->add_option("--config", args->config, "settings file (JSON)");
    return [args] { return Run(*args); };
}

}  // namespace todoke::gateway
