#include "todoke/gateway/package_builder.hpp"

#include "todoke/signing/applicant_signature.hpp"

namespace todoke::gateway {

Result<std::string> SignAndZip(forms::ApplicationFiles files,
                               std::span<const signing::SigningKey> keys, TimePoint now) {
    // The form files are lent to the signer (moved in, moved back), not copied.
    signing::FileMap folder;
    for (auto& f : files.files) {
        if (f.name != "kousei.xml") {
            folder.try_emplace(f.name, std::move(f.bytes));  // a second same name stays put
        }
    }
    // Signing over the rendered files, then zipping once, avoids reading a ZIP back.
    auto kousei = signing::SignKousei(files.files.front().bytes, folder, keys, now);
    for (auto& f : files.files) {
        if (const auto it = folder.find(f.name); it != folder.end() && f.bytes.empty()) {
            f.bytes = std::move(it->second);
            folder.erase(it);
        }
    }
    if (!kousei) {
        return Fail(std::move(kousei.error()));
    }
    files.files.front().bytes = std::move(*kousei);
    return forms::ZipApplication(files);
}

Result<std::vector<std::string>> BuildSignedPackages(const forms::Procedure& procedure,
                                                     const forms::Record& record,
                                                     const forms::PackageOptions& options,
                                                     std::span<const signing::SigningKey> keys,
                                                     TimePoint now) {
    TODOKE_ASSIGN_OR_RETURN(auto applications,
                            forms::RenderApplications(procedure, record, options));
    std::vector<std::string> zips;
    zips.reserve(applications.size());
    for (auto& files : applications) {
        TODOKE_ASSIGN_OR_RETURN(std::string zip, SignAndZip(std::move(files), keys, now));
        zips.push_back(std::move(zip));
    }
    return zips;
}

}  // namespace todoke::gateway
