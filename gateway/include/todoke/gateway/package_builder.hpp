// Where forms and signing meet: a valid record becomes a signed application ZIP. The forms
// module renders the files, the signing module signs kousei.xml over them, and the ZIP is
// written once. Used by `todoke package` and, later, by the pipeline's prepare stage.
#pragma once

#include <span>
#include <string>
#include <vector>

#include "todoke/common/clock.hpp"
#include "todoke/common/result.hpp"
#include "todoke/forms/package.hpp"
#include "todoke/signing/key_store.hpp"

namespace todoke::gateway {

// The record must already be valid (forms::ValidateRecord returned no error). One signed ZIP
// per application: a CSV添付方式 filing over 4.5 MB gives several (forms::RenderApplications).
Result<std::vector<std::string>> BuildSignedPackages(const forms::Procedure& procedure,
                                                     const forms::Record& record,
                                                     const forms::PackageOptions& options,
                                                     std::span<const signing::SigningKey> keys,
                                                     TimePoint now);

// Signs kousei.xml (the first file) over the other files of the folder, then zips once.
Result<std::string> SignAndZip(forms::ApplicationFiles files,
                               std::span<const signing::SigningKey> keys, TimePoint now);

}  // namespace todoke::gateway
