// `todoke mailbox list COMPANY | get DOC --out FILE`: the documents delivered to a company.
#include <boost/json.hpp>
#include <iostream>

#include "data_options.hpp"
#include "exit_status.hpp"
#include "todoke/common/file.hpp"
#include "todoke/queue/vault.hpp"

namespace todoke::gateway {
namespace {

namespace json = boost::json;

struct MailboxArgs {
    DataArgs data;
    std::string company;
    std::int64_t document = 0;
    std::string out;
};

int RunMailboxList(const MailboxArgs& a) {
    auto store = OpenStore(a.data);
    if (!store) return Failed(store.error());
    auto items = (*store)->Mailbox(a.company);
    if (!items) return Failed(items.error());
    for (const auto& m : *items) {
        std::cout << json::serialize(json::object{{"document", m.id},
                                                  {"company", m.company},
                                                  {"title", m.title},
                                                  {"arrive_id", m.arrive_id},
                                                  {"notice_sub_id", m.notice_sub_id},
                                                  {"procedure", m.procedure},
                                                  {"filing", m.filing_id},
                                                  {"signer", m.signer},
                                                  {"sha256", m.sha256},
                                                  {"delivered", Time(m.delivered_at)}})
                  << "\n";
    }
    return kExitOk;
}

int RunMailboxGet(const MailboxArgs& a) {
    auto store = OpenStore(a.data);
    if (!store) return Failed(store.error());
    auto item = (*store)->MailboxDocument(a.document);
    if (!item) return Failed(item.error());
    if (!*item || (!a.company.empty() && (*item)->company != a.company)) {
        std::cerr << "error: no document " << a.document << " in that mailbox\n";
        return kExitInvalid;
    }
    auto key = DataKey(a.data);
    if (!key) return Failed(key.error());
    const queue::DocumentVault vault(a.data.data, *key);
    auto bytes = vault.Get((*item)->sha256);
    if (!bytes) return Failed(bytes.error());
    if (auto w = WriteFileAtomically(a.out, *bytes); !w) return Failed(w.error());
    std::cout << json::serialize(json::object{{"document", a.document},
                                              {"out", a.out},
                                              {"bytes", bytes->size()},
                                              {"sha256", (*item)->sha256}})
              << "\n";
    return kExitOk;
}

}  // namespace

CommandRun AddMailboxCommand(CLI::App& app) {
    auto mailbox = std::make_shared<MailboxArgs>();
    CLI::App* m = app.add_subcommand("mailbox", "Documents delivered to a company's mailbox");
    m->require_subcommand(1);
    CLI::App* list = m->add_subcommand("list", "The documents of one company");
    AddDataOptions(*list, mailbox->data);
    list->add_option("company", mailbox->company, "company (as in `todoke submit`)")->required();
    CLI::App* get = m->add_subcommand("get", "Write one document (the signed 公文書 ZIP)");
    AddDataOptions(*get, mailbox->data);
    get->add_option("document", mailbox->document, "document id (from list)")->required();
    get->add_option("--company", mailbox->company, "only from this company's mailbox");
    get->add_option("--out", mailbox->out, "file to write")->required();
    return [mailbox, list] {
        return list->parsed() ? RunMailboxList(*mailbox) : RunMailboxGet(*mailbox);
    };
}

}  // namespace todoke::gateway
