// Application packages (egov-api.md §8–9): the files of one e-Gov application, built from a
// valid record: kousei.xml (構成管理XML) filled from the record, the 申請書XML (or the CSV and its
// 総括票), and attachments, all in the `{proc_id}/` folder. Signing is the signing module's job;
// the command line composes the two. Thread-safe.
#pragma once

#include <string>
#include <vector>

#include "todoke/common/result.hpp"
#include "todoke/forms/catalogue.hpp"
#include "todoke/forms/record.hpp"
#include "todoke/forms/wareki.hpp"

namespace todoke::forms {

enum class ApplicationType { kNew, kResubmission, kPartialAmendment };

struct Attachment {
    std::string label;      // 添付書類名称, e.g. 提出代行に関する証明書
    std::string file_name;  // name in the package; must follow e-Gov's file-name rules
    std::string bytes;
};

struct PackageOptions {
    Date submitted_on;  // 届出年月日
    ApplicationType type = ApplicationType::kNew;
    std::string first_arrive_id;  // 初回受付番号, for 再提出 and 部分補正
    std::vector<Attachment> attachments;
    int media_serial = 1;  // CSV添付方式: 媒体通番 of the first CSV
};

struct PackageFile {
    std::string name;  // relative to the folder
    std::string bytes;
};

struct ApplicationFiles {
    std::string folder;              // "4950000020325000/"
    std::vector<PackageFile> files;  // kousei.xml first
};

// The applications of one filing: one, except for a CSV添付方式 filing whose CSV would pass
// 4.5 MB, which becomes one application per CSV part (1申請1事業所, each with its own 総括票
// counting its persons and the next 媒体通番). Every XML is checked against todoke's schema and
// every CSV re-read before it is returned. Fails for an attachment name e-Gov refuses (field
// "attachment.file_name"), an inconsistent 申請種別 / 初回受付番号 ("kousei.申請種別"), or a
// value the renderers cannot write ("csv.separator", "chars.shift_jis", ...).
// Who kousei.xml names as the applicant (申請者情報 氏名 and 法人団体名): the portal lists cases
// under these, so reconciliation matches on them.
struct KouseiApplicant {
    std::string name, organisation;
};
KouseiApplicant ApplicantOf(const Record& record);

Result<std::vector<ApplicationFiles>> RenderApplications(const Procedure& procedure,
                                                         const Record& record,
                                                         const PackageOptions& options);

// As RenderApplications, for a filing that fits one application (else fails with "csv.size").
Result<ApplicationFiles> RenderApplication(const Procedure& procedure, const Record& record,
                                           const PackageOptions& options);

// A 取下げ依頼 (withdrawal request) for an arrived case, sent with POST /apply/withdraw
// (egov-api.md §6.6, §9.3): kousei.xml with 様式ID 999000000000000009 / 手続ID 9990000000000003
// and torisageirai.xml, in the folder "9990000000000003/" (the folder name follows the kousei's
// 手続ID as for every package; unconfirmed for withdrawals).
struct WithdrawalRequest {
    std::string arrive_id;       // 到達番号 of the case to withdraw (初回受付番号)
    std::string proc_name;       // 手続名称 of that case
    std::string applicant_name;  // 申請者氏名
    std::string reason;          // 理由
    Date requested_on;           // 依頼年月日 (written in the Western calendar; unconfirmed)
};

// Fails for an arrive_id that is not 16–18 digits (field "withdrawal.arrive_id"), an empty
// name or reason, or characters outside JIS X 0208 ("withdrawal.reason", ...).
Result<ApplicationFiles> RenderWithdrawal(const WithdrawalRequest& request);

// The skeleton of a procedure as e-Gov's GET /procedure/{proc_id} hands it out (egov-api.md
// §6.1): kousei.xml with its 手続ID, 手続名称 and 申請書属性情報 filled and everything else empty,
// the 申請書XML with its DataRoot head only, and todoke's schema of that form ({form_id}.xsd).
Result<ApplicationFiles> RenderSkeleton(const Procedure& procedure);

// The unsigned ZIP of the files, every entry inside the folder.
Result<std::string> ZipApplication(const ApplicationFiles& files);

// e-Gov's file-name rules for attachments (about_letters02): no full-width minus, dash or wave
// dash; no \ % < > { } [ ] # ^ ? or spaces; no half-width kana or machine-dependent characters;
// not a reserved system name (kousei.xml, the form files).
std::optional<Violation> CheckAttachmentFileName(std::string_view name);

}  // namespace todoke::forms
