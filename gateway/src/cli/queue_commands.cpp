// The durable pipeline from the command line (serve and mailbox have their own files):
//   todoke submit   enqueue records (idempotency key: --key or the record's record_id)
//   todoke status   states and history
// and registers the operator commands of operator_commands.cpp (replay, correct, settle,
// cancel, withdraw).
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
#include "todoke/forms/record_validator.hpp"
#include "todoke/forms/wareki.hpp"
#include "todoke/gateway/record_attachments.hpp"

namespace todoke::gateway {
namespace {

namespace fs = std::filesystem;
namespace json = boost::json;

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

// The counts, and e-Gov's health as `todoke serve` last kept it (its circuit breaker), when
// it ever paused.
json::object SummaryJson(queue::Store& s, const queue::StoreCounts& c) {
    json::object o = CountsJson(c);
    if (auto h = s.GetPortalHealth("egov"); h && *h) {
        const queue::PortalHealth& p = **h;
        json::object egov{{"paused", p.paused},
                          {"since", Time(p.changed_at)},
                          {"reason", p.reason},
                          {"times_paused", p.times_opened},
                          {"by", p.process}};
        if (p.paused) egov["next_try"] = Time(p.until);
        o["portal"] = json::object{{"egov", std::move(egov)}};
    }
    return o;
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
        std::cout << json::serialize(SummaryJson(s, *c)) << "\n";
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
    if (auto c = s.Counts()) std::cout << json::serialize(SummaryJson(s, *c)) << "\n";
    return kExitOk;
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

    AddOperatorCommands(app, commands);
    commands["mailbox"] = AddMailboxCommand(app);
    return nullptr;
}

}  // namespace todoke::gateway
