#include <boost/json.hpp>
#include <iostream>
#include <memory>

#include "commands.hpp"
#include "exit_status.hpp"
#include "settings.hpp"
#include "todoke/common/clock.hpp"
#include "todoke/common/file.hpp"
#include "todoke/signing/verifier.hpp"

namespace todoke::gateway {
namespace {

struct VerifyArgs {
    std::vector<std::string> inputs;
    std::vector<std::string> trust;
    bool official = false;
    std::string format = "text";
    std::optional<std::string> config;
};

boost::json::object Describe(const signing::SignatureReport& s) {
    boost::json::array refs;
    for (const auto& r : s.references) {
        refs.emplace_back(r);
    }
    return {{"id", s.id},
            {"signer", s.signer.subject},
            {"issuer", s.signer.issuer},
            {"serial", s.signer.serial_hex},
            {"not_after", FormatIsoUtc(s.signer.not_after)},
            {"sha256_fingerprint", s.signer.sha256_fingerprint},
            {"references", std::move(refs)}};
}

boost::json::array Names(const std::vector<std::string>& names) {
    boost::json::array out;
    for (const auto& n : names) {
        out.emplace_back(n);
    }
    return out;
}

boost::json::array Names(const signing::FileMap& files) {
    boost::json::array out;
    for (const auto& [n, bytes] : files) {
        out.emplace_back(n);
    }
    return out;
}

int Run(const VerifyArgs& a) {
    const bool json = a.format == "json";
    auto settings = LoadCliSettings(a.config);
    if (!settings) {
        std::cerr << "error: " << settings.error().message << "\n";
        return kExitUsage;
    }
    std::vector<std::filesystem::path> anchors(a.trust.begin(), a.trust.end());
    auto trust = signing::TrustStore::FromPemFiles(anchors);
    if (!trust) {
        std::cerr << "error: " << trust.error().message << "\n";
        return kExitUsage;
    }
    signing::VerifyOptions options;
    options.zip_limits = settings->zip;
    options.xml_limits = settings->xml;
    options.signature_limits = settings->signature;
    const TimePoint now = SystemClock().Now();

    int status = kExitOk;
    for (const auto& input : a.inputs) {
        auto bytes = ReadFileBytes(input);
        if (!bytes) {
            std::cerr << "error: " << bytes.error().message << "\n";
            status = kExitUsage;
            continue;
        }
        boost::json::object report{{"input", input},
                                   {"profile", a.official ? "official" : "applicant"}};
        std::string summary;
        Result<void> outcome = Ok();
        if (a.official) {
            auto r = signing::VerifyOfficialDocument(*bytes, *trust, now, options);
            if (r) {
                report["document"] = r->document;
                report["signature"] = Describe(r->signature);
                report["signed_files"] = Names(r->signed_files);
                report["unsigned_files"] = Names(r->unsigned_files);
                summary = r->document + " signed by \"" + r->signature.signer.subject + "\", " +
                          std::to_string(r->signed_files.size()) + " attached file(s) covered";
            } else {
                outcome = Fail(r.error());
            }
        } else {
            auto r = signing::VerifyApplicationPackage(*bytes, *trust, now, options);
            if (r) {
                boost::json::array apps;
                for (const auto& app : r->applications) {
                    boost::json::array sigs;
                    for (const auto& s : app.signatures) {
                        sigs.push_back(Describe(s));
                    }
                    apps.push_back({{"folder", app.folder},
                                    {"signatures", std::move(sigs)},
                                    {"signed_files", Names(app.signed_files)},
                                    {"unsigned_files", Names(app.unsigned_files)}});
                    summary += (summary.empty() ? "" : "; ") + app.folder + " " +
                               std::to_string(app.signatures.size()) + " signature(s) by";
                    for (const auto& s : app.signatures) {
                        summary += " \"" + s.signer.subject + "\"";
                    }
                }
                report["applications"] = std::move(apps);
            } else {
                outcome = Fail(r.error());
            }
        }
        report["valid"] = outcome.has_value();
        if (!outcome) {
            report["check"] = outcome.error().field;
            report["message"] = outcome.error().message;
            std::cerr << "invalid: " << input << ": [" << outcome.error().field << "] "
                      << outcome.error().message << "\n";
            if (status == kExitOk) {
                status = kExitInvalid;
            }
        } else if (!json) {
            std::cout << "valid: " << input << ": " << summary << "\n";
        }
        if (json) {
            std::cout << boost::json::serialize(report) << "\n";
        }
    }
    return status;
}

}  // namespace

CommandRun AddVerifyCommand(CLI::App& app) {
    auto args = std::make_shared<VerifyArgs>();
    CLI::App* cmd = app.add_subcommand(
        "verify", "Verify the applicant signatures of a package, or a 公文書 with --official");
    cmd->add_option("packages", args->inputs, "signed ZIPs")->required();
    cmd->add_option("--trust", args->trust, "PEM file of pinned trust anchors (repeatable)")
        ->required();
    cmd->add_flag("--official", args->official,
                  "verify an official document (公文書) against the pinned government CA");
    cmd->add_option("--format", args->format, "text or json")
        ->check(CLI::IsMember({"text", "json"}));
    cmd->add_option("--config", args->config, "settings file (JSON)");
    return [args] { return Run(*args); };
}

}  // namespace todoke::gateway
