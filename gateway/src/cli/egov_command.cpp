// `todoke egov login|apply|check|amend|withdraw|status|list|notices|fetch --config FILE`: the
// e-Gov client by hand, against the simulator or (with another configuration) the portal.
// Answers are JSON on stdout. Exit: 0 done, 1 the portal refused (rows printed), 2 usage, I/O
// or the portal could not be reached.
#include <boost/json.hpp>
#include <iostream>
#include <memory>

#include "commands.hpp"
#include "exit_status.hpp"
#include "todoke/common/file.hpp"
#include "todoke/common/zip.hpp"
#include "todoke/egov/client.hpp"
#include "todoke/egov/collector.hpp"

namespace todoke::gateway {
namespace {

namespace json = boost::json;

struct EgovArgs {
    std::string config;
    std::string package;
    std::string proc_id;
    std::string arrive_id;
    bool trial = false;
    std::string from, to;
    int sub_id = 0;
    std::string out_dir = ".";
    std::string official_ca;
};

json::array RowsJson(const std::vector<egov::ReportRow>& rows) {
    json::array out;
    for (const auto& r : rows) {
        out.push_back(json::object{{"form_name", r.form_name},
                                   {"attached_file_name", r.attached_file_name},
                                   {"file_name", r.file_name},
                                   {"item", r.item},
                                   {"content", r.content}});
    }
    return out;
}

json::object CaseJson(const egov::Case& c) {
    json::array docs, notices;
    for (const auto& d : c.documents) {
        docs.push_back(json::object{{"notice_sub_id", d.notice_sub_id},
                                    {"title", d.title},
                                    {"issued", d.issued},
                                    {"deadline", d.deadline},
                                    {"downloaded", d.downloaded}});
    }
    for (const auto& n : c.notices) {
        notices.push_back(json::object{{"notice_sub_id", n.notice_sub_id},
                                       {"type", n.type},
                                       {"title", n.title},
                                       {"issued", n.issued}});
    }
    return json::object{{"arrive_id", c.arrive_id},
                        {"arrive_date", c.arrive_date},
                        {"status", c.status},
                        {"proc_name", c.proc_name},
                        {"applicant_name", c.applicant_name},
                        {"withdraw_possible", c.withdraw_possible},
                        {"notices", notices},
                        {"documents", docs}};
}

int Failed(const Error& e) {
    std::cerr << "error: " << e.ToString() << "\n";
    return e.code == ErrorCode::kRejected ? kExitInvalid : kExitUsage;
}

// The proc_id of a package: the name of its one folder.
Result<std::string> ProcIdOf(const std::string& zip) {
    TODOKE_ASSIGN_OR_RETURN(ZipReader reader, ZipReader::Open(zip, {}));
    for (const auto& e : reader.entries()) {
        const auto slash = e.name.find('/');
        if (slash != std::string::npos) {
            return e.name.substr(0, slash);
        }
    }
    return Fail(ErrorCode::kInvalidArgument, "the package has no {proc_id}/ folder", "package");
}

int PrintSubmission(const Result<egov::Submission>& s) {
    if (!s) {
        return Failed(s.error());
    }
    if (s->rejected()) {
        std::cout << json::serialize(
                         json::object{{"rejected", true}, {"report_list", RowsJson(s->rejection)}})
                  << "\n";
        return kExitInvalid;
    }
    std::cout << json::serialize(json::object{{"arrive_id", s->arrive_id},
                                              {"arrive_date", s->arrive_date},
                                              {"apply_type", s->apply_type},
                                              {"proc_name", s->proc_name}})
              << "\n";
    return kExitOk;
}

int Run(const std::string& command, const EgovArgs& a) {
    auto config = egov::ReadClientConfig(a.config);
    if (!config) {
        return Failed(config.error());
    }
    static const SystemClock clock;
    auto client = egov::EgovClient::Create(*config, clock);
    if (!client) {
        return Failed(client.error());
    }
    egov::EgovClient& c = **client;
    if (command == "login") {
        auto automatic = c.ConsentByRedirect();
        auto done = c.Login([&](const std::string& url) -> Result<std::string> {
            if (auto back = automatic(url)) {
                return back;
            }
            // A real portal shows a login page: a person consents in a browser.
            std::cerr << "Open this address in a browser, log in and consent:\n  " << url
                      << "\nthen paste the address the browser was sent to:\n";
            std::string line;
            if (!std::getline(std::cin, line) || line.empty()) {
                return Fail(ErrorCode::kPermissionDenied, "no address given", "egov.consent");
            }
            return line;
        });
        if (!done) {
            return Failed(done.error());
        }
        std::cout << json::serialize(json::object{{"logged_in", true}}) << "\n";
        return kExitOk;
    }
    if (command == "logout") {
        if (auto done = c.Logout(); !done) {
            return Failed(done.error());
        }
        return kExitOk;
    }
    if (command == "apply" || command == "check" || command == "amend" || command == "withdraw") {
        auto zip = ReadFileBytes(a.package, "package");
        if (!zip) {
            return Failed(zip.error());
        }
        std::string proc_id = a.proc_id;
        if (proc_id.empty()) {
            auto found = ProcIdOf(*zip);
            if (!found) {
                return Failed(found.error());
            }
            proc_id = *found;
        }
        if (command == "apply") {
            return PrintSubmission(c.Apply(proc_id, *zip, a.trial));
        }
        if (command == "amend") {
            return PrintSubmission(c.Amend(a.arrive_id, *zip));
        }
        if (command == "withdraw") {
            return PrintSubmission(c.Withdraw(a.arrive_id, *zip));
        }
        auto check = c.Check(proc_id, *zip);
        if (!check) {
            return Failed(check.error());
        }
        std::cout << json::serialize(json::object{{"error_count", check->error_count},
                                                  {"report_list", RowsJson(check->rows)}})
                  << "\n";
        return check->error_count == 0 ? kExitOk : kExitInvalid;
    }
    if (command == "status") {
        auto got = c.GetCase(a.arrive_id);
        if (!got) {
            return Failed(got.error());
        }
        std::cout << json::serialize(CaseJson(*got)) << "\n";
        return kExitOk;
    }
    if (command == "list") {
        auto cases = c.ListCases(a.from, a.to);
        if (!cases) {
            return Failed(cases.error());
        }
        for (const auto& x : *cases) {
            std::cout << json::serialize(CaseJson(x)) << "\n";
        }
        return kExitOk;
    }
    if (command == "notices") {
        auto notices = c.ListNotices(a.from, a.to);
        if (!notices) {
            return Failed(notices.error());
        }
        for (const auto& n : *notices) {
            auto detail = c.GetNotice(n.arrive_id, n.notice_sub_id);
            const egov::Notice& x = detail ? *detail : n;
            std::cout << json::serialize(json::object{{"arrive_id", x.arrive_id},
                                                      {"notice_sub_id", x.notice_sub_id},
                                                      {"type", x.type},
                                                      {"correct_type", x.correct_type},
                                                      {"title", x.title},
                                                      {"sentence", x.sentence},
                                                      {"issued", x.issued},
                                                      {"correct_deadline", x.correct_deadline}})
                      << "\n";
        }
        return kExitOk;
    }
    // fetch: every 公文書 of the case not yet taken (or the one --sub names).
    auto trust = signing::TrustStore::FromPemFiles({a.official_ca});
    if (!trust) {
        return Failed(trust.error());
    }
    auto got = c.GetCase(a.arrive_id);
    if (!got) {
        return Failed(got.error());
    }
    int status = kExitOk;
    for (const auto& d : got->documents) {
        if ((a.sub_id != 0 && d.notice_sub_id != a.sub_id) ||
            (a.sub_id == 0 && !d.downloaded.empty())) {
            continue;
        }
        auto collected = egov::CollectOfficialDocument(c, a.arrive_id, d.notice_sub_id, *trust,
                                                       a.out_dir, clock.Now());
        if (!collected) {
            status = Failed(collected.error());
            continue;
        }
        json::array files;
        for (const auto& f : collected->signed_files) {
            files.push_back(json::value(f));
        }
        std::cout << json::serialize(json::object{{"arrive_id", a.arrive_id},
                                                  {"notice_sub_id", d.notice_sub_id},
                                                  {"path", collected->path.string()},
                                                  {"signer", collected->signer},
                                                  {"signed_files", files},
                                                  {"completed", true}})
                  << "\n";
    }
    return status;
}

}  // namespace

CommandRun AddEgovCommand(CLI::App& app) {
    auto args = std::make_shared<EgovArgs>();
    auto chosen = std::make_shared<std::string>();
    CLI::App* egov = app.add_subcommand("egov", "The e-Gov API v2 client, by hand");
    egov->require_subcommand(1);
    egov->add_option("--config", args->config, "client settings (JSON)")->required();
    const auto sub = [&](const char* name, const char* help) {
        CLI::App* s = egov->add_subcommand(name, help);
        s->callback([chosen, s] { *chosen = s->get_name(); });
        return s;
    };
    sub("login", "Authorise todoke (OAuth2 code + PKCE); the tokens are stored sealed");
    sub("logout", "End the session at the portal and drop the tokens");
    for (const char* name : {"apply", "check"}) {
        CLI::App* s = sub(name, name == std::string("apply") ? "POST /apply a signed package"
                                                             : "POST /apply/check (dry run)");
        s->add_option("package", args->package, "signed application ZIP")->required();
        s->add_option("--proc-id", args->proc_id, "手続ID (default: the package's folder)");
        if (name == std::string("apply")) {
            s->add_flag("--trial", args->trial, "X-eGovAPI-Trial: check, keep nothing");
        }
    }
    for (const char* name : {"amend", "withdraw"}) {
        CLI::App* s = sub(name, name == std::string("amend") ? "POST /apply/amend (部分補正)"
                                                             : "POST /apply/withdraw (取下げ依頼)");
        s->add_option("arrive_id", args->arrive_id, "到達番号")->required();
        s->add_option("package", args->package, "signed package")->required();
    }
    sub("status", "GET /apply/{arrive_id}")->add_option("arrive_id", args->arrive_id)->required();
    for (const char* name : {"list", "notices"}) {
        CLI::App* s = sub(name, name == std::string("list") ? "Cases arrived in a date range"
                                                            : "Notices issued in a date range");
        s->add_option("--from", args->from, "YYYY-MM-DD")->required();
        s->add_option("--to", args->to, "YYYY-MM-DD")->required();
    }
    CLI::App* fetch = sub("fetch", "Collect a case's 公文書: store, verify, then 取得完了");
    fetch->add_option("arrive_id", args->arrive_id)->required();
    fetch->add_option("--sub", args->sub_id, "通知通番 (default: every one not yet taken)");
    fetch->add_option("--out", args->out_dir, "folder for the ZIPs");
    fetch->add_option("--official-ca", args->official_ca, "pinned government CA (PEM)")->required();
    return [args, chosen] { return Run(*chosen, *args); };
}

}  // namespace todoke::gateway
