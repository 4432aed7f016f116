#include "todoke/egov/collector.hpp"

#include "todoke/common/file.hpp"

namespace todoke::egov {

namespace fs = std::filesystem;

Result<CollectedDocument> CollectOfficialDocument(Portal& portal, const std::string& arrive_id,
                                                  int notice_sub_id,
                                                  const signing::TrustStore& government_ca,
                                                  const fs::path& dir, TimePoint now) {
    const std::string name = arrive_id + "_" + std::to_string(notice_sub_id) + ".zip";
    CollectedDocument out;
    out.path = dir / name;
    std::error_code ec;
    fs::create_directories(dir, ec);
    std::string zip;
    if (fs::exists(out.path, ec)) {
        // Stored by an earlier attempt that did not get to 取得完了: verify that copy again.
        TODOKE_ASSIGN_OR_RETURN(zip, ReadFileBytes(out.path, "stored 公文書"));
    } else {
        TODOKE_ASSIGN_OR_RETURN(DownloadedDocument d,
                                portal.DownloadOfficialDocument(arrive_id, notice_sub_id));
        zip = std::move(d.zip);
        TODOKE_RETURN_IF_ERROR(WriteFileAtomically(out.path, zip));
    }
    auto report = signing::VerifyOfficialDocument(zip, government_ca, now);
    if (!report) {
        fs::create_directories(dir / "quarantine", ec);
        fs::rename(out.path, dir / "quarantine" / name, ec);
        return Fail(ErrorCode::kRejected,
                    "公文書 " + name +
                        " failed verification and was quarantined: " + report.error().message,
                    report.error().field);
    }
    out.signer = report->signature.signer.subject;
    for (const auto& [file, bytes] : report->signed_files) {
        out.signed_files.push_back(file);
    }
    TODOKE_RETURN_IF_ERROR(portal.CompleteOfficialDocument(arrive_id, notice_sub_id));
    return out;
}

}  // namespace todoke::egov
