// The procedure catalogue: the tables live in catalogue_nenkin.cpp and catalogue_koyo.cpp.
#include "todoke/forms/catalogue.hpp"

#include "catalogue_tables.hpp"

namespace todoke::forms {

Catalogue::Catalogue(std::vector<Procedure> procedures) : procedures_(std::move(procedures)) {}

const Catalogue& Catalogue::Default() {
    static const Catalogue catalogue({detail::KenpoShutoku(), detail::KenpoSoshitsu(),
                                      detail::KenpoSantei(), detail::KenpoGetsuhen(),
                                      detail::KenpoShoyo(), detail::KoyoShutoku()});
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

}  // namespace todoke::forms
