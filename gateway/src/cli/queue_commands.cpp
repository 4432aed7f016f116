// The durable pipeline from the command line (serve and mailbox have their own files):
//   todoke submit   enqueue records (idempotency key: --key or the record's record_id)
//   todoke status   states and history
//   todoke replay   a dead filing, with the same key
//   todoke correct  a corrected record for a filing waiting for 補正
//   todoke settle   decide a send reconciliation could not: its case, or not arrived
//   todoke cancel   a filing nothing of which was sent
// Every command takes --data DIR and the data key (--data-key-file FILE, else the environment
// variable named by --data-key-env, TODOKE_DATA_KEY by default): 64 hex digits or Base64 of 32
// bytes, kept away from DIR.
#include <boost/json.hpp>
#include <iomanip>
#include <iostream>
#include <map>

#include "commands.hpp"
#include "data_options.hpp"
#include "exit_status.hpp"
#include "todoke/common/file.hpp"
#include "todoke/egov/portal.hpp"
#include "todoke/forms/chars.hpp"
#include "todoke/forms/record_validator.hpp"
#include "todoke/forms/wareki.hpp"
#include "todoke/gateway/record_attachments.hpp"

namespace todoke::gateway {
namespace {

namespace fs = std::filesystem;
namespace json = boost::json;

json::object FilingJson(const queue::Filing& f) {
    json::object o{{"filing", f.id},
                   {"tenant", f.tenant},
                   {"key", f.idempotency_key},
                   {"procedure", f.procedure},
                   {"company", f.company},
                   {"company_name", f.company_name},
                   {"state", queue::StateName(f.state)},
                   {"claims", f.fence},
                   {"failures", f.failures},
                   {"arrive_id", f.arrive_id},
                   {"arrive_date", f.arrive_date},
                   {"apply_kind", queue::ApplyKindName(f.apply_kind)},
                   {"first_arrive_id", f.first_arrive_id},
                   {"created", Time(f.created_at)},
                   {"updated", Time(f.updated_at)},
                   {"next_at", Time(f.next_at)},
                   {"sent_at", Time(f.sent_at)},
                   {"last_error", f.last_error}};
    boost::system::error_code ec;
    if (!f.errors_json.empty()) {
        auto v = json::parse(f.errors_json, ec);
        if (!ec) o["errors"] = std::move(v);
    }
    if (!f.notice_json.empty()) {
        auto v = json::parse(f.notice_json, ec);
        if (!ec) o["notice"] = std::move(v);
    }
    if (f.state == queue::FilingState::kDead) o["dead_from"] = f.dead_from;
    if (!f.settled_case.empty()) o["settled_case"] = f.settled_case;
    return o;
}

json::object CountsJson(const queue::StoreCounts& c) {
    json::object by_state;
    for (int i = 0; i < queue::kStateCount; ++i) {
        if (c.by_state[static_cast<std::size_t>(i)] != 0) {
            by_state[queue::StateName(static_cast<queue::FilingState>(i))] =
                c.by_state[static_cast<std::size_t>(i)];
        }
    }
    return json::object{{"total", c.total()},          {"final", c.final()},
                        {"by_state", by_state},        {"outbox_pending", c.outbox_pending},
                        {"documents", c.documents},    {"delivered", c.delivered},
                        {"quarantined", c.quarantined}};
}

// ---- submit

struct SubmitArgs {
    DataArgs data;
    std::vector<std::string> inputs;
    std::string key, tenant = "default", company;
};

std::string CompanyOf(const forms::Record& r, const std::string& given) {
    if (!given.empty()) return given;
    for (const char* path : {"company", "employer.corporate_number", "employer.name"}) {
        if (auto v = forms::GetText(r.data, path); v && !v->empty()) return *v;
    }
    return "";
}

int RunSubmit(const SubmitArgs& a) {
    auto catalogue = SettingsCatalogue(a.data);
    if (!catalogue) return Failed(catalogue.error());
    auto store = OpenStore(a.data);
    if (!store) return Failed(store.error());
    std::vector<forms::Record> records;
    for (const auto& input : a.inputs) {
        auto text = ReadFileBytes(input, "record file");
        if (!text) return Failed(text.error());
        auto parsed = forms::ParseRecords(*text, input);
        if (!parsed) return Failed(parsed.error());
        for (auto& r : *parsed) records.push_back(std::move(r));
    }
    if (!a.key.empty() && records.size() != 1) {
        std::cerr << "error: --key names one filing; " << records.size()
                  << " records given (each needs its own record_id)\n";
        return kExitUsage;
    }
    const forms::Date today = forms::DateInJapan(Wall().Now());
    int status = kExitOk;
    for (auto& r : records) {
        const std::string where = r.source + " record " + std::to_string(r.index);
        const std::string key = a.key.empty() ? r.id() : a.key;
        const std::string company = CompanyOf(r, a.company);
        if (key.empty() || company.empty()) {
            std::cerr << "error: " << where << ": "
                      << (key.empty() ? "no idempotency key: give the record a \"record_id\" or "
                                        "use --key"
                                      : "no company: give \"company\", employer.corporate_number "
                                        "or --company")
                      << "\n";
            status = kExitInvalid;
            continue;
        }
        if (auto embedded = EmbedAttachments(r); !embedded) {
            std::cerr << "error: " << where << ": [" << embedded.error().field << "] "
                      << embedded.error().message << "\n";
            status = kExitInvalid;
            continue;
        }
        const auto errors = forms::ValidateRecord(r, *catalogue, today);
        json::array list;
        for (const auto& e : errors) {
            std::cout << forms::FormatError(e) << "\n";
            list.push_back(json::parse(forms::FormatErrorJson(e)));
        }
        queue::NewFiling n;
        n.tenant = a.tenant;
        n.idempotency_key = key;
        n.company = company;
        n.company_name = forms::GetText(r.data, "employer.name").value_or("");
        n.procedure = r.procedure();
        n.record_json = json::serialize(r.data);
        n.errors_json = errors.empty() ? "" : json::serialize(list);
        auto done = (*store)->Enqueue(n, "cli:submit");
        if (!done) {
            std::cerr << "error: " << where << ": " << done.error().message << "\n";
            status = kExitInvalid;
            continue;
        }
        std::cout << json::serialize(json::object{{"filing", done->id},
                                                  {"key", key},
                                                  {"created", done->created},
                                                  {"state", queue::StateName(done->state)}})
                  << "\n";
        if (done->state == queue::FilingState::kInvalid) status = kExitInvalid;
    }
    return status;
}

// ---- status

struct StatusArgs {
    DataArgs data;
    std::int64_t id = 0;
    bool all = false, json = false, summary = false;
    std::string state;
};

// One line per filing, with the documents delivered to its company's mailbox.
void PrintTable(queue::Store& store, const std::vector<queue::Filing>& filings) {
    std::map<std::string, std::vector<queue::MailboxItem>> mailboxes;
    std::cout << std::left << std::setw(5) << "id" << std::setw(32) << "key" << std::setw(19)
              << "procedure" << std::setw(21) << "state" << std::setw(18) << "arrive_id"
              << "mailbox (documents)\n";
    for (const auto& f : filings) {
        auto [it, fresh] = mailboxes.try_emplace(f.company);
        if (fresh) {
            if (auto m = store.Mailbox(f.company)) it->second = std::move(*m);
        }
        int delivered = 0;
        for (const auto& m : it->second) delivered += m.filing_id == f.id ? 1 : 0;
        std::cout << std::left << std::setw(5) << f.id << std::setw(32)
                  << f.idempotency_key.substr(0, 31) << std::setw(19) << f.procedure
                  << std::setw(21) << queue::StateName(f.state) << std::setw(18)
                  << (f.arrive_id.empty() ? "-" : f.arrive_id)
                  << (delivered > 0 ? f.company + " (" + std::to_string(delivered) + ")"
                                    : std::string("-"))
                  << (f.last_error.empty() ? "" : "  " + f.last_error.substr(0, 60)) << "\n";
    }
}

int RunStatus(const StatusArgs& a) {
    auto store = OpenStore(a.data);
    if (!store) return Failed(store.error());
    queue::Store& s = **store;
    if (a.summary) {
        auto c = s.Counts();
        if (!c) return Failed(c.error());
        std::cout << json::serialize(CountsJson(*c)) << "\n";
        return kExitOk;
    }
    if (a.id != 0) {
        auto f = s.Find(a.id);
        if (!f) return Failed(f.error());
        if (!*f) {
            std::cerr << "error: no filing " << a.id << "\n";
            return kExitInvalid;
        }
        auto history = s.History(a.id);
        if (!history) return Failed(history.error());
        json::object o = FilingJson(**f);
        json::array h;
        for (const auto& e : *history) {
            h.push_back(json::object{{"at", Time(e.at)},
                                     {"from", e.from},
                                     {"to", e.to},
                                     {"actor", e.actor},
                                     {"reason", e.reason}});
        }
        o["history"] = std::move(h);
        std::cout << json::serialize(o) << "\n";
        return kExitOk;
    }
    queue::ListQuery q;
    q.limit = 500;
    if (!a.state.empty()) {
        q.state = queue::ParseState(a.state);
        if (!q.state) {
            std::cerr << "error: unknown state \"" << a.state << "\"\n";
            return kExitUsage;
        }
    }
    std::vector<queue::Filing> all;
    for (;;) {
        auto page = s.List(q);
        if (!page) return Failed(page.error());
        if (page->empty()) break;
        q.after_id = page->back().id;
        for (auto& f : *page) all.push_back(std::move(f));
    }
    if (a.json) {
        for (const auto& f : all) std::cout << json::serialize(FilingJson(f)) << "\n";
        return kExitOk;
    }
    PrintTable(s, all);
    if (auto c = s.Counts()) std::cout << json::serialize(CountsJson(*c)) << "\n";
    return kExitOk;
}

// ---- replay, correct

struct OperatorArgs {
    DataArgs data;
    std::int64_t id = 0;
    std::string record;
    std::string reason;     // 取下げ
    std::string as;         // amend | resubmit; default from the notice
    std::string arrive_id;  // settle --case
    bool not_arrived = false;
    std::string actor = "cli";
};

int PrintFiling(const Result<queue::Filing>& f) {
    if (!f) return Failed(f.error());
    std::cout << json::serialize(FilingJson(*f)) << "\n";
    return kExitOk;
}

int RunReplay(const OperatorArgs& a) {
    auto store = OpenStore(a.data);
    if (!store) return Failed(store.error());
    return PrintFiling((*store)->Replay(a.id, "operator:" + a.actor));
}

int RunCorrect(const OperatorArgs& a) {
    auto catalogue = SettingsCatalogue(a.data);
    if (!catalogue) return Failed(catalogue.error());
    auto store = OpenStore(a.data);
    if (!store) return Failed(store.error());
    auto filing = (*store)->Find(a.id);
    if (!filing) return Failed(filing.error());
    if (!*filing) {
        std::cerr << "error: no filing " << a.id << "\n";
        return kExitInvalid;
    }
    auto text = ReadFileBytes(a.record, "record file");
    if (!text) return Failed(text.error());
    auto parsed = forms::ParseRecords(*text, a.record);
    if (!parsed) return Failed(parsed.error());
    if (parsed->size() != 1 || parsed->front().procedure() != (*filing)->procedure) {
        std::cerr << "error: give one record of procedure " << (*filing)->procedure << "\n";
        return kExitInvalid;
    }
    forms::Record& r = parsed->front();
    if (auto embedded = EmbedAttachments(r); !embedded) return Failed(embedded.error());
    const auto errors = forms::ValidateRecord(r, *catalogue, forms::DateInJapan(Wall().Now()));
    for (const auto& e : errors) std::cout << forms::FormatError(e) << "\n";
    if (!errors.empty()) return kExitInvalid;  // nothing stored: the filing still waits
    std::string as = a.as;
    if (as.empty()) {
        boost::system::error_code ec;
        const auto notice = json::parse((*filing)->notice_json, ec);
        const auto* type =
            !ec && notice.is_object() ? notice.as_object().if_contains("correct_type") : nullptr;
        as = type != nullptr && type->is_string() && type->as_string() == "再提出" ? "resubmit"
                                                                                   : "amend";
    }
    const auto kind = queue::ParseApplyKind(as);
    return PrintFiling((*store)->SupplyCorrection(a.id, json::serialize(r.data),
                                                  kind.value_or(queue::ApplyKind::kAmend),
                                                  "operator:" + a.actor));
}

int RunSettle(const OperatorArgs& a) {
    if (a.arrive_id.empty() == !a.not_arrived) {
        std::cerr << "error: give the case (--case ARRIVE_ID) or --not-arrived\n";
        return kExitUsage;
    }
    // The store keeps any portal's case ids; the e-Gov shape is checked here.
    if (!a.not_arrived && !egov::IsArriveId(a.arrive_id)) {
        std::cerr << "error: [settle.case] an e-Gov case is named by its 到達番号 (arrive_id): 16 "
                     "to 18 half-width digits\n";
        return kExitInvalid;
    }
    auto store = OpenStore(a.data);
    if (!store) return Failed(store.error());
    const std::optional<std::string> named =
        a.not_arrived ? std::nullopt : std::optional<std::string>(a.arrive_id);
    return PrintFiling((*store)->Settle(a.id, named, "operator:" + a.actor));
}

int RunCancel(const OperatorArgs& a) {
    auto store = OpenStore(a.data);
    if (!store) return Failed(store.error());
    return PrintFiling((*store)->Cancel(a.id, a.reason, "operator:" + a.actor));
}

int RunWithdraw(const OperatorArgs& a) {
    // The 理由 goes into torisageirai.xml: a character e-Gov refuses is named now, not after a
    // worker has tried to build the package.
    if (auto v = forms::CheckJisCharacters(a.reason, forms::HalfWidthKana::kForbidden)) {
        std::cerr << "error: [withdrawal.reason] " << v->message << "; " << v->hint << "\n";
        return kExitInvalid;
    }
    auto store = OpenStore(a.data);
    if (!store) return Failed(store.error());
    return PrintFiling((*store)->RequestWithdrawal(a.id, a.reason, "operator:" + a.actor));
}

// An operator's command on one filing: the data options, the filing id and --actor (who, for
// the history). The caller adds what else it takes to the subcommand, into the same arguments
// (kept alive by the command's run).
struct OperatorCommand {
    CLI::App* cmd;
    OperatorArgs* args;
};
OperatorCommand AddOperatorCommand(CLI::App& app, std::map<std::string, CommandRun>& commands,
                                   const std::string& name, const std::string& description,
                                   int (*run)(const OperatorArgs&)) {
    auto args = std::make_shared<OperatorArgs>();
    CLI::App* cmd = app.add_subcommand(name, description);
    AddDataOptions(*cmd, args->data);
    cmd->add_option("id", args->id, "filing id")->required();
    cmd->add_option("--actor", args->actor, "who does it (kept in the history)");
    commands[name] = [args, run] { return run(*args); };
    return {cmd, args.get()};
}

}  // namespace

CommandRun AddQueueCommands(CLI::App& app, std::map<std::string, CommandRun>& commands) {
    commands["serve"] = AddServeCommand(app);

    auto submit = std::make_shared<SubmitArgs>();
    CLI::App* sub = app.add_subcommand("submit", "Enqueue filing records (idempotent per key)");
    AddDataOptions(*sub, submit->data);
    sub->add_option("records", submit->inputs, "record files (JSON or CSV)")->required();
    sub->add_option("--key", submit->key, "idempotency key (one record; default its record_id)");
    sub->add_option("--tenant", submit->tenant, "tenant (office) the filing belongs to");
    sub->add_option("--company", submit->company,
                    "client company (mailbox); default the record's \"company\" or 法人番号");
    sub->add_option("--config", submit->data.config, "settings file (JSON)");
    commands["submit"] = [submit] { return RunSubmit(*submit); };

    auto status = std::make_shared<StatusArgs>();
    CLI::App* st = app.add_subcommand("status", "Show filings, one filing's history, or counts");
    AddDataOptions(*st, status->data);
    st->add_option("id", status->id, "filing id: its state, errors and history");
    st->add_flag("--all", status->all, "every filing (the default without an id)");
    st->add_option("--state", status->state, "only filings in this state");
    st->add_flag("--json", status->json, "one JSON line per filing");
    st->add_flag("--summary", status->summary, "counts only (one JSON line)");
    commands["status"] = [status] { return RunStatus(*status); };

    AddOperatorCommand(app, commands, "replay", "Restart a dead filing (same key)", RunReplay);

    const auto correct = AddOperatorCommand(app, commands, "correct",
                                            "Answer a 補正 with a corrected record", RunCorrect);
    correct.cmd->add_option("record", correct.args->record, "the corrected record (JSON)")
        ->required();
    correct.cmd
        ->add_option("--as", correct.args->as,
                     "amend (部分補正) or resubmit (再提出); default: the notice's")
        ->check(CLI::IsMember({"amend", "resubmit"}));
    correct.cmd->add_option("--config", correct.args->data.config, "settings file (JSON)");

    const auto settle = AddOperatorCommand(
        app, commands, "settle",
        "Decide a send reconciliation could not: name its case (checked at the portal by the "
        "next reconciliation) or say it did not arrive (it is sent again)",
        RunSettle);
    auto* named =
        settle.cmd->add_option("--case", settle.args->arrive_id,
                               "the 到達番号 (arrive_id) of the filing's case at the portal");
    auto* none = settle.cmd->add_flag("--not-arrived", settle.args->not_arrived,
                                      "the portal has none of its cases: send it again");
    named->excludes(none);

    const auto cancel = AddOperatorCommand(
        app, commands, "cancel", "Cancel a filing nothing of which was sent (received or prepared)",
        RunCancel);
    cancel.cmd->add_option("--reason", cancel.args->reason, "why (kept in the history)")
        ->required();

    const auto withdraw = AddOperatorCommand(
        app, commands, "withdraw",
        "取下げ: ask the portal to withdraw a filing's case (sent by the workers)", RunWithdraw);
    withdraw.cmd->add_option("--reason", withdraw.args->reason, "理由 written in the 取下げ依頼")
        ->required();

    commands["mailbox"] = AddMailboxCommand(app);
    return nullptr;
}

}  // namespace todoke::gateway
