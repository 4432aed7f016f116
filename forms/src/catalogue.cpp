// The procedure catalogue: the tables live in catalogue_nenkin.cpp and catalogue_koyo.cpp.
#include "todoke/forms/catalogue.hpp"

#include "catalogue_tables.hpp"

namespace todoke::forms {

Catalogue::Catalogue(std::vector<Procedure> procedures) : procedures_(std::move(procedures)) {}

const Catalogue& Catalogue::Default() {
    static const Catalogue catalogue({detail::KenpoShutoku(), detail::KenpoSoshitsu(),
                                      detail::KenpoSantei(), detail::KenpoGetsuhen(),
                                      detail::KenpoShoyo(), detail::KoyoShutoku(),
                                      detail::KoyoSoshitsu(), detail::RodoNendoKoshin()});
    return catalogue;
}

const Procedure* Catalogue::Find(std::string_view id) const {
    for (const auto& p : procedures_) {
        if (p.id == id) {
            return &p;
        }
    }
    return nullptr;
}

Result<Catalogue> Catalogue::WithIdentifiers(
    const std::vector<ProcedureIdentifiers>& changes) const {
    Catalogue copy(procedures_);
    copy.owned_ = owned_;  // earlier changes stay alive: their views are in the copied tables
    auto text = std::make_shared<std::deque<std::string>>();  // deque: emplace keeps addresses
    auto valid = [](std::string_view v, std::size_t size, bool digits_only) {
        if (v.size() != size) {
            return false;
        }
        for (char c : v) {
            const bool digit = c >= '0' && c <= '9';
            const bool upper = c >= 'A' && c <= 'Z';
            if (!digit && (digits_only || !upper)) {
                return false;
            }
        }
        return true;
    };
    for (const auto& change : changes) {
        Procedure* p = nullptr;
        for (auto& candidate : copy.procedures_) {
            if (candidate.id == change.id) {
                p = &candidate;
            }
        }
        const std::string at = "catalogue." + change.id;
        if (p == nullptr) {
            return Fail(ErrorCode::kInvalidArgument, "no such procedure in the catalogue", at);
        }
        struct Member {
            const std::string& value;
            std::string_view* target;
            std::size_t size;
            bool digits_only;
            const char* name;
            const char* rule;
        };
        for (const Member& m :
             {Member{change.proc_id, &p->proc_id, 16, false, "proc_id",
                     "16 half-width digits or capitals"},
              Member{change.form_id, &p->form_id, 18, false, "form_id",
                     "18 half-width digits or capitals"},
              Member{change.form_version, &p->form_version, 4, true, "form_version", "4 digits"}}) {
            if (m.value.empty()) {
                continue;
            }
            if (!valid(m.value, m.size, m.digits_only)) {
                return Fail(ErrorCode::kInvalidArgument, std::string("must be ") + m.rule,
                            at + "." + m.name);
            }
            *m.target = text->emplace_back(m.value);
        }
        p->confirmed = true;
    }
    copy.owned_.push_back(std::move(text));
    return copy;
}

}  // namespace todoke::forms
