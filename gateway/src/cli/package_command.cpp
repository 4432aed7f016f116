#include <boost/json.hpp>
#include <filesystem>
#include <iostream>
#include <memory>

#include "commands.hpp"
#include "exit_status.hpp"
#include "settings.hpp"
#include "signing_keys.hpp"
#include "todoke/common/file.hpp"
#include "todoke/forms/package.hpp"
#include "todoke/forms/record_validator.hpp"
#include "todoke/gateway/package_builder.hpp"
#include "todoke/gateway/record_attachments.hpp"

namespace todoke::gateway {
namespace {

namespace fs = std::filesystem;

struct PackageArgs {
    std::vector<std::string> inputs;
    KeyArgs keys;
    std::string out;
    std::string out_dir;
    std::string submitted_on;
    std::string withdraw;  // 到達番号 of the case to withdraw
    std::string reason;
    std::string type = "new";     // 申請種別: new | resubmit | amend
    std::string first_arrive_id;  // 初回受付番号 for resubmit and amend
    std::optional<std::string> config;
};

std::optional<forms::ApplicationType> TypeArg(const std::string& type) {
    if (type == "new") return forms::ApplicationType::kNew;
    if (type == "resubmit") return forms::ApplicationType::kResubmission;
    if (type == "amend") return forms::ApplicationType::kPartialAmendment;
    return std::nullopt;
}

int Run(const PackageArgs& a) {
    if (a.out.empty() == a.out_dir.empty()) {
        std::cerr << "error: give exactly one of --out FILE (one record) or --out-dir DIR\n";
        return kExitUsage;
    }
    auto settings = LoadCliSettings(a.config);
    if (!settings) {
        std::cerr << "error: " << settings.error().message << "\n";
        return kExitUsage;
    }
    auto catalogue = CliCatalogue(*settings);
    if (!catalogue) {
        std::cerr << "error: [" << catalogue.error().field << "] " << catalogue.error().message
                  << "\n";
        return kExitUsage;
    }
    const TimePoint now = SystemClock().Now();
    const forms::Date today = forms::DateInJapan(now);
    forms::Date submitted_on = today;
    if (!a.submitted_on.empty()) {
        auto d = forms::ParseIsoDate(a.submitted_on);
        if (!d) {
            std::cerr << "error: --submitted-on must be YYYY-MM-DD\n";
            return kExitUsage;
        }
        submitted_on = *d;
    }
    const auto type = TypeArg(a.type);
    if (!type) {
        std::cerr << "error: --type must be new, resubmit or amend\n";
        return kExitUsage;
    }
    if ((*type == forms::ApplicationType::kNew) != a.first_arrive_id.empty()) {
        std::cerr << "error: --first-arrive-id (初回受付番号) goes with --type resubmit or amend, "
                     "and only with them\n";
        return kExitUsage;
    }
    auto keys = LoadSigningKeys(a.keys, now, settings->expiry_warning_days);
    if (!keys) {
        std::cerr << "error: " << keys.error().message << "\n";
        return kExitUsage;
    }
    // Read and validate everything first: a batch with errors builds nothing.
    std::vector<forms::Record> records;
    int status = kExitOk;
    for (const auto& input : a.inputs) {
        auto text = ReadFileBytes(input, "record file");
        auto parsed = text ? forms::ParseRecords(*text, input)
                           : Result<std::vector<forms::Record>>(Fail(text.error()));
        if (!parsed) {
            std::cerr << "error: " << parsed.error().message << "\n";
            return kExitUsage;
        }
        for (auto& r : *parsed) {
            const auto errors = forms::ValidateRecord(r, *catalogue, today);
            for (const auto& e : errors) {
                std::cout << forms::FormatError(e) << "\n";
            }
            if (!errors.empty()) {
                status = kExitInvalid;
            }
            records.push_back(std::move(r));
        }
    }
    if (status != kExitOk) {
        return status;
    }
    if (!a.out.empty() && records.size() != 1) {
        std::cerr << "error: --out takes one record; use --out-dir for " << records.size() << "\n";
        return kExitUsage;
    }
    for (const auto& record : records) {
        const forms::Procedure* p = catalogue->Find(record.procedure());
        auto attachments = RecordAttachments(record);
        if (!attachments) {
            std::cerr << "error: record " << record.index << ": " << attachments.error().message
                      << "\n";
            return kExitUsage;
        }
        forms::PackageOptions options;
        options.submitted_on = submitted_on;
        options.attachments = std::move(*attachments);
        options.type = *type;
        options.first_arrive_id = a.first_arrive_id;
        Result<std::vector<std::string>> zips = Fail(ErrorCode::kInternal, "unset");
        if (a.withdraw.empty()) {
            zips = BuildSignedPackages(*p, record, options, *keys, now);
        } else {
            forms::WithdrawalRequest request{
                a.withdraw, std::string(p->name),
                forms::GetText(record.data, "employer.owner_name").value_or(""), a.reason,
                submitted_on};
            auto files = forms::RenderWithdrawal(request);
            auto zip = files ? SignAndZip(std::move(*files), *keys, now)
                             : Result<std::string>(Fail(files.error()));
            zips = zip ? Result<std::vector<std::string>>(std::vector<std::string>{*zip})
                       : Result<std::vector<std::string>>(Fail(zip.error()));
        }
        if (!zips) {
            std::cerr << "invalid: record " << record.index << " (" << record.source << "): ["
                      << zips.error().field << "] " << zips.error().message << "\n";
            return kExitInvalid;
        }
        const std::string stem =
            record.id().empty() ? "record-" + std::to_string(record.index) : record.id();
        const fs::path base =
            a.out.empty() ? fs::path(a.out_dir) / (stem + ".zip") : fs::path(a.out);
        std::error_code ec;
        if (!a.out_dir.empty()) {
            fs::create_directories(a.out_dir, ec);
        }
        for (std::size_t n = 0; n < zips->size(); ++n) {
            // A filing over 4.5 MB of CSV is several applications: name-part1.zip, ...
            fs::path out = base;
            if (zips->size() > 1) {
                out.replace_filename(base.stem().string() + "-part" + std::to_string(n + 1) +
                                     base.extension().string());
            }
            if (auto w = WriteFileAtomically(out, (*zips)[n]); !w) {
                std::cerr << "error: " << w.error().message << "\n";
                return kExitUsage;
            }
            std::cout << "packaged: " << record.source << " record " << record.index << " ("
                      << (a.withdraw.empty() ? std::string(p->id) : "取下げ依頼 " + a.withdraw)
                      << ") -> " << out.string() << " ("
                      << (a.withdraw.empty() ? std::string(p->proc_id) : "9990000000000003")
                      << "/, " << keys->size() << " signature(s)"
                      << (zips->size() > 1 ? ", application " + std::to_string(n + 1) + " of " +
                                                 std::to_string(zips->size())
                                           : "")
                      << ")\n";
        }
    }
    return kExitOk;
}

}  // namespace

CommandRun AddPackageCommand(CLI::App& app) {
    auto args = std::make_shared<PackageArgs>();
    CLI::App* cmd = app.add_subcommand(
        "package", "Validate records, render their application packages and sign them");
    cmd->add_option("records", args->inputs, "record files (JSON, or CSV one row per person)")
        ->required();
    AddKeyOptions(*cmd, args->keys);
    cmd->add_option("--out", args->out, "signed ZIP (one record)");
    cmd->add_option("--out-dir", args->out_dir, "folder for the signed ZIPs ({record_id}.zip)");
    cmd->add_option("--submitted-on", args->submitted_on, "届出年月日 YYYY-MM-DD (default: today)");
    cmd->add_option("--withdraw", args->withdraw,
                    "build a 取下げ依頼 for this 到達番号 instead (POST /apply/withdraw)");
    cmd->add_option("--reason", args->reason, "理由 of the 取下げ依頼");
    cmd->add_option("--type", args->type,
                    "申請種別: new (新規申請), resubmit (再提出), amend (部分補正)")
        ->check(CLI::IsMember({"new", "resubmit", "amend"}));
    cmd->add_option("--first-arrive-id", args->first_arrive_id,
                    "初回受付番号: the 到達番号 of the case a resubmit or amend answers");
    cmd->add_option("--config", args->config, "settings file (JSON)");
    return [args] { return Run(*args); };
}

}  // namespace todoke::gateway
