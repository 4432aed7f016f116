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
    TODOKE_RETURN_IF_ERROR(root.CheckAllKeysUsed());
    return s;
}

}  // namespace todoke::gateway
