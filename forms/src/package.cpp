#include "todoke/forms/package.hpp"

#include "egov_form.hpp"
#include "kousei_writer.hpp"
#include "todoke/common/xml_writer.hpp"
#include "todoke/common/zip.hpp"
#include "todoke/forms/chars.hpp"
#include "todoke/forms/nenkin_csv.hpp"
#include "xsd.hpp"

namespace todoke::forms {
namespace {

using detail::KouseiSpec;
using detail::WriteKousei;

std::string Text(const Record& r, std::string_view path) {
    return GetText(r.data, path).value_or("");
}

std::string_view TypeName(ApplicationType t) {
    switch (t) {
        case ApplicationType::kNew:
            return "新規申請";
        case ApplicationType::kResubmission:
            return "再提出";
        case ApplicationType::kPartialAmendment:
            return "部分補正";
    }
    return "新規申請";
}

}  // namespace

KouseiApplicant ApplicantOf(const Record& r) {
    return {Text(r, "employer.owner_name"), Text(r, "employer.name")};
}

namespace {

std::string KouseiXml(const Procedure& p, const Record& r, const PackageOptions& options,
                      const std::vector<std::pair<std::string, std::string>>& forms,
                      const std::vector<Attachment>& attachments) {
    KouseiSpec k;
    k.kousei_form_id = "999000000000000001";
    // 受付行政機関ID = "100" + the first three characters of the 手続ID (egov-api.md §9.2).
    k.agency_id = "100" + std::string(p.proc_id.substr(0, 3));
    k.proc_id = p.proc_id;
    k.proc_name = std::string(p.name);
    k.first_arrive_id = options.type == ApplicationType::kNew ? "" : options.first_arrive_id;
    k.type = TypeName(options.type);
    const KouseiApplicant who = ApplicantOf(r);
    k.applicant.name = who.name;
    k.applicant.name_kana = Text(r, "employer.owner_name_kana");
    k.applicant.title = Text(r, "employer.owner_title");
    k.applicant.organisation = who.organisation;
    k.applicant.organisation_kana = Text(r, "employer.name_kana");
    k.applicant.postal_code = Text(r, "employer.postal_code");
    k.applicant.address = Text(r, "employer.address");
    k.applicant.phone = Text(r, "employer.phone");
    k.applicant.email = Text(r, "employer.email");
    // The contact is the submitter (the 社労士 for a filing on behalf of a client).
    k.contact.name = Text(r, "submitter.name");
    k.contact.name_kana = Text(r, "submitter.name_kana");
    k.contact.title = Text(r, "submitter.kind") == "sharoushi" ? "社会保険労務士" : "";
    k.contact.organisation = Text(r, "submitter.office_name");
    k.contact.postal_code = Text(r, "submitter.postal_code");
    k.contact.address = Text(r, "submitter.address");
    k.contact.phone = Text(r, "submitter.phone");
    k.contact.email = Text(r, "submitter.email");
    k.attachments = &attachments;
    k.destination_id = Text(r, "destination.id");
    k.destination_name = Text(r, "destination.name");
    for (const auto& [form_name, file_name] : forms) {
        k.forms.push_back({p.form_id, p.form_version, form_name, file_name});
    }
    return WriteKousei(k);
}

}  // namespace

std::optional<Violation> CheckAttachmentFileName(std::string_view name) {
    if (name.empty() || name.size() > 256) {
        return Violation{"attachment.file_name", "must be 1–256 bytes long", ""};
    }
    if (name == "kousei.xml" || name.find("kousei") == 0 ||
        (name.size() > 18 && name.substr(0, 3) == "495" && name.ends_with(".xml"))) {
        return Violation{"attachment.file_name",
                         "is a name e-Gov reserves for the package's own files",
                         "rename the attachment"};
    }
    for (char32_t c : CodePoints(name)) {
        const bool forbidden = c == U'\\' || c == U'%' || c == U'<' || c == U'>' || c == U'{' ||
                               c == U'}' || c == U'[' || c == U']' || c == U'#' || c == U'^' ||
                               c == U'?' || c == U' ' || c == U'\u3000' || c == U'/' ||
                               c == U'－' || c == U'‐' || c == U'―' || c == U'〜' || c == U'～' ||
                               c == U'∥' || c < 0x20 || IsHalfWidthKatakana(c);
        if (forbidden) {
            return Violation{"attachment.file_name",
                             "contains a character e-Gov refuses in file names",
                             "use letters, digits, '-', '_' and '.'; no spaces, %, #, ~ or "
                             "half-width kana"};
        }
    }
    if (auto v = CheckJisCharacters(name, HalfWidthKana::kForbidden)) {
        v->rule = "attachment.file_name";
        return v;
    }
    return std::nullopt;
}

Result<std::vector<ApplicationFiles>> RenderApplications(const Procedure& procedure,
                                                         const Record& record,
                                                         const PackageOptions& options) {
    if ((options.type == ApplicationType::kNew) != options.first_arrive_id.empty()) {
        return Fail(ErrorCode::kInvalidArgument,
                    "初回受付番号 is given exactly for 再提出 and 部分補正", "kousei.申請種別");
    }
    for (const auto& a : options.attachments) {
        if (auto v = CheckAttachmentFileName(a.file_name)) {
            return Fail(ErrorCode::kInvalidArgument,
                        "attachment \"" + a.file_name + "\" " + v->message, v->rule);
        }
        if (a.file_name == kNenkinCsvFileName) {
            return Fail(ErrorCode::kInvalidArgument,
                        "attachment \"" + a.file_name + "\" is the name of the 届書 CSV itself",
                        "attachment.file_name");
        }
    }
    // One application: its form files (named in 申請書属性情報) and its extra attachments.
    struct Unit {
        std::vector<std::pair<std::string, std::string>> forms;  // 様式名称, file name
        std::vector<PackageFile> form_files;
        std::vector<Attachment> attachments;
    };
    std::vector<Unit> units;
    switch (procedure.channel) {
        case Channel::kEgovFormXml: {
            const detail::FormRenderer* renderer = detail::FormRendererFor(procedure.id);
            if (renderer == nullptr) {
                return Fail(ErrorCode::kInvalidArgument,
                            "no form renderer for " + std::string(procedure.id), "procedure");
            }
            Unit u;
            TODOKE_ASSIGN_OR_RETURN(std::string xml,
                                    renderer->render(procedure, record, options.submitted_on));
            TODOKE_RETURN_IF_ERROR(detail::ValidateAgainstSchema(
                xml, renderer->schema, std::string(procedure.form_name) + " XML"));
            u.form_files.push_back({std::string(procedure.form_id) + "_01.xml", std::move(xml)});
            u.forms.emplace_back(procedure.form_name, u.form_files.back().name);
            units.push_back(std::move(u));
            break;
        }
        case Channel::kNenkinCsv: {
            TODOKE_ASSIGN_OR_RETURN(
                auto parts, RenderNenkinCsvParts(procedure, record,
                                                 {options.submitted_on, options.media_serial}));
            for (auto& part : parts) {
                TODOKE_RETURN_IF_ERROR(CheckNenkinCsv(procedure, part.bytes));
                TODOKE_ASSIGN_OR_RETURN(
                    std::string xml,
                    detail::RenderSoukatsuhyo(procedure, record, part, options.submitted_on));
                TODOKE_RETURN_IF_ERROR(detail::ValidateAgainstSchema(
                    xml, detail::Schema::kSoukatsuhyo, "CSV形式届書総括票 XML"));
                Unit u;
                u.form_files.push_back(
                    {std::string(procedure.form_id) + "_01.xml", std::move(xml)});
                u.forms.emplace_back(procedure.form_name, u.form_files.back().name);
                u.attachments.push_back(
                    {"CSV形式届書", std::string(kNenkinCsvFileName), std::move(part.bytes)});
                units.push_back(std::move(u));
            }
            break;
        }
    }
    std::vector<ApplicationFiles> out;
    out.reserve(units.size());
    for (auto& u : units) {
        for (const auto& a : options.attachments) {
            u.attachments.push_back(a);
        }
        ApplicationFiles files;
        files.folder = std::string(procedure.proc_id) + "/";
        std::string kousei = KouseiXml(procedure, record, options, u.forms, u.attachments);
        TODOKE_RETURN_IF_ERROR(
            detail::ValidateAgainstSchema(kousei, detail::Schema::kKousei, "kousei.xml"));
        files.files.push_back({"kousei.xml", std::move(kousei)});
        for (auto& f : u.form_files) {
            files.files.push_back(std::move(f));
        }
        for (auto& a : u.attachments) {
            files.files.push_back({a.file_name, std::move(a.bytes)});
        }
        out.push_back(std::move(files));
    }
    return out;
}

Result<ApplicationFiles> RenderApplication(const Procedure& procedure, const Record& record,
                                           const PackageOptions& options) {
    TODOKE_ASSIGN_OR_RETURN(auto all, RenderApplications(procedure, record, options));
    if (all.size() != 1) {
        return Fail(ErrorCode::kInvalidArgument,
                    "the persons need " + std::to_string(all.size()) +
                        " applications (each CSV below 4,500,000 bytes)",
                    "csv.size");
    }
    return std::move(all.front());
}

Result<ApplicationFiles> RenderWithdrawal(const WithdrawalRequest& request) {
    const auto& id = request.arrive_id;
    if (id.size() < 16 || id.size() > 18 ||
        id.find_first_not_of("0123456789") != std::string::npos) {
        return Fail(ErrorCode::kInvalidArgument, "到達番号 must be 16–18 digits",
                    "withdrawal.arrive_id");
    }
    const std::pair<const std::string*, const char*> texts[] = {
        {&request.proc_name, "withdrawal.proc_name"},
        {&request.applicant_name, "withdrawal.applicant_name"},
        {&request.reason, "withdrawal.reason"},
    };
    for (const auto& [text, field] : texts) {
        if (text->empty()) {
            return Fail(ErrorCode::kInvalidArgument, "is required", field);
        }
        if (auto v = CheckJisCharacters(*text, HalfWidthKana::kForbidden)) {
            return Fail(ErrorCode::kInvalidArgument, v->message, field);
        }
    }
    KouseiSpec k;  // egov-api.md §9.3: no agency, no contacts, no attachments
    k.kousei_form_id = "999000000000000009";
    k.proc_id = "9990000000000003";
    k.proc_name = request.proc_name;
    k.first_arrive_id = request.arrive_id;
    k.type = "取下げ依頼";
    k.forms.push_back({"999000000000000003", "0001", "取下げ依頼XML", "torisageirai.xml"});
    std::string kousei = WriteKousei(k);
    TODOKE_RETURN_IF_ERROR(detail::ValidateAgainstSchema(kousei, detail::Schema::kKouseiTorisage,
                                                         "取下げ kousei.xml"));

    XmlWriter f("\r\n");
    f.Declaration();
    f.Stylesheet("999000000000000003.xsl");
    f.Open("DataRoot");
    f.Leaf("様式ID", "999000000000000003");
    f.Leaf("様式バージョン", "0001");
    f.Leaf("STYLESHEET", "999000000000000003.xsl");
    f.Open("取下げ依頼情報");
    f.Leaf("到達番号", request.arrive_id);
    f.Leaf("手続名称", request.proc_name);
    f.Leaf("申請者氏名", request.applicant_name);
    f.Open("依頼年月日");
    f.Leaf("年", std::to_string(request.requested_on.year));
    f.Leaf("月", std::to_string(request.requested_on.month));
    f.Leaf("日", std::to_string(request.requested_on.day));
    f.Close();
    f.Leaf("理由", request.reason);
    std::string form = f.Finish();
    TODOKE_RETURN_IF_ERROR(
        detail::ValidateAgainstSchema(form, detail::Schema::kTorisageirai, "torisageirai.xml"));
    ApplicationFiles out;
    out.folder = "9990000000000003/";
    out.files.push_back({"kousei.xml", std::move(kousei)});
    out.files.push_back({"torisageirai.xml", std::move(form)});
    return out;
}

Result<ApplicationFiles> RenderSkeleton(const Procedure& procedure) {
    KouseiSpec k;
    k.kousei_form_id = "999000000000000001";
    k.agency_id = "100" + std::string(procedure.proc_id.substr(0, 3));
    k.proc_id = procedure.proc_id;
    k.proc_name = std::string(procedure.name);
    k.type = "新規申請";
    const std::string form_file = std::string(procedure.form_id) + "_01.xml";
    k.forms.push_back(
        {procedure.form_id, procedure.form_version, std::string(procedure.form_name), form_file});
    ApplicationFiles out;
    out.folder = std::string(procedure.proc_id) + "/";
    out.files.push_back({"kousei.xml", WriteKousei(k)});
    XmlWriter f("\r\n");
    f.Declaration();
    f.Stylesheet(std::string(procedure.form_id) + ".xsl");
    f.Open("DataRoot");
    f.Leaf("様式ID", procedure.form_id);
    f.Leaf("様式バージョン", procedure.form_version);
    f.Leaf("STYLESHEET", std::string(procedure.form_id) + ".xsl");
    f.Leaf("様式コピー情報", "0");
    out.files.push_back({form_file, f.Finish()});
    const detail::FormRenderer* renderer = detail::FormRendererFor(procedure.id);
    const detail::Schema schema =
        renderer != nullptr ? renderer->schema : detail::Schema::kSoukatsuhyo;
    out.files.push_back(
        {std::string(procedure.form_id) + ".xsd", std::string(detail::SchemaText(schema))});
    return out;
}

Result<std::string> ZipApplication(const ApplicationFiles& files) {
    std::vector<ZipWriteEntry> entries;
    entries.push_back({files.folder, ""});
    for (const auto& f : files.files) {
        entries.push_back({files.folder + f.name, f.bytes});
    }
    return WriteZip(entries);
}

}  // namespace todoke::forms
