// An operator's commands on one filing (registered by AddQueueCommands):
//   todoke replay    a dead filing, with the same key
//   todoke correct   a corrected record for a filing waiting for 補正
//   todoke settle    decide a send reconciliation could not: its case, or not arrived
//   todoke cancel    a filing nothing of which was sent
//   todoke withdraw  取下げ of a case that arrived (sent by the workers)
// Each prints the filing as it is now (one JSON line) and keeps --actor in its history.
#include <boost/json.hpp>
#include <iostream>
#include <map>

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

namespace json = boost::json;

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

void AddOperatorCommands(CLI::App& app, std::map<std::string, CommandRun>& commands) {
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
}

}  // namespace todoke::gateway
