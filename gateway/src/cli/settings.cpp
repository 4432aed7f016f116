#include "settings.hpp"

namespace todoke::gateway {

Result<CliSettings> LoadCliSettings(const std::optional<std::string>& path) {
    CliSettings s;
    if (!path) {
        return s;
    }
    TODOKE_ASSIGN_OR_RETURN(ConfigNode root, ConfigNode::LoadFile(*path));
    TODOKE_ASSIGN_OR_RETURN(ConfigNode zip, root.Section("zip"));
    TODOKE_RETURN_IF_ERROR(ReadConfig(zip, s.zip));
    TODOKE_ASSIGN_OR_RETURN(ConfigNode xml, root.Section("xml"));
    TODOKE_RETURN_IF_ERROR(signing::ReadConfig(xml, s.xml));
    TODOKE_ASSIGN_OR_RETURN(ConfigNode sig, root.Section("signature"));
    TODOKE_RETURN_IF_ERROR(signing::ReadConfig(sig, s.signature));
    TODOKE_ASSIGN_OR_RETURN(ConfigNode sign, root.Section("signing"));
    TODOKE_RETURN_IF_ERROR(sign.Read("expiry_warning_days", s.expiry_warning_days, 0, 3650));
    TODOKE_ASSIGN_OR_RETURN(ConfigNode catalogue, root.Section("catalogue"));
    for (const auto& p : forms::Catalogue::Default().procedures()) {
        if (!catalogue.Has(p.id)) {
            continue;
        }
        TODOKE_ASSIGN_OR_RETURN(ConfigNode node, catalogue.Section(p.id));
        forms::ProcedureIdentifiers ids;
        ids.id = std::string(p.id);
        TODOKE_RETURN_IF_ERROR(node.Read("proc_id", ids.proc_id));
        TODOKE_RETURN_IF_ERROR(node.Read("form_id", ids.form_id));
        TODOKE_RETURN_IF_ERROR(node.Read("form_version", ids.form_version));
        s.identifiers.push_back(std::move(ids));
    }
    TODOKE_RETURN_IF_ERROR(root.CheckAllKeysUsed());
    return s;
}

Result<forms::Catalogue> CliCatalogue(const CliSettings& settings) {
    return forms::Catalogue::Default().WithIdentifiers(settings.identifiers);
}

}  // namespace todoke::gateway
