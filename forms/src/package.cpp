#include "todoke/forms/package.hpp"

#include "egov_form.hpp"
#include "todoke/common/zip.hpp"
#include "todoke/forms/chars.hpp"
#include "todoke/forms/nenkin_csv.hpp"
#include "xml_writer.hpp"
#include "xsd.hpp"

namespace todoke::forms {
namespace {

using detail::XmlWriter;

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

// The 13 children of 申請者情報 / 連絡先情報, in e-Gov's order.
struct Contact {
    std::string name, name_kana, title, organisation, organisation_kana, department,
        department_kana, postal_code, address, address_kana, phone, fax, email;
};

void WriteContact(XmlWriter& w, std::string_view element, const Contact& c) {
    w.Open(element);
    w.Leaf("氏名", c.name);
    w.Leaf("氏名フリガナ", c.name_kana);
    w.Leaf("役職", c.title);
    w.Leaf("法人団体名", c.organisation);
    w.Leaf("法人団体名フリガナ", c.organisation_kana);
    w.Leaf("部門名", c.department);
    w.Leaf("部門名フリガナ", c.department_kana);
    w.Leaf("郵便番号", c.postal_code);
    w.Leaf("住所", c.address);
    w.Leaf("住所フリガナ", c.address_kana);
    w.Leaf("電話番号", c.phone);
    w.Leaf("FAX番号", c.fax);
    w.Leaf("電子メールアドレス", c.email);
    w.Close();
}

std::string KouseiXml(const Procedure& p, const Record& r, const PackageOptions& options,
                      const std::vector<std::pair<std::string, std::string>>& forms,
                      const std::vector<Attachment>& attachments) {
    XmlWriter w("\n");
    w.Declaration();
    w.Stylesheet("999000000000000001.xsl");
    w.Open("DataRoot");
    w.Leaf("様式ID", "999000000000000001");
    w.Leaf("様式バージョン", "0001");
    w.Leaf("STYLESHEET", "999000000000000001.xsl");
    w.Open("構成情報", "構成情報");
    w.Open("管理情報");
    w.Open("手続番号");
    // 受付行政機関ID = "100" + the first three characters of the 手続ID (egov-api.md §9.2).
    w.Leaf("受付行政機関ID", "100" + std::string(p.proc_id.substr(0, 3)));
    w.Leaf("手続ID", p.proc_id);
    w.Close();
    w.Leaf("手続名称", p.name);
    w.Leaf("初回受付番号", options.type == ApplicationType::kNew ? "" : options.first_arrive_id);
    w.Leaf("申請種別", TypeName(options.type));
    w.Open("申請者連絡先情報");
    Contact applicant;
    applicant.name = Text(r, "employer.owner_name");
    applicant.name_kana = Text(r, "employer.owner_name_kana");
    applicant.title = Text(r, "employer.owner_title");
    applicant.organisation = Text(r, "employer.name");
    applicant.organisation_kana = Text(r, "employer.name_kana");
    applicant.postal_code = Text(r, "employer.postal_code");
    applicant.address = Text(r, "employer.address");
    applicant.phone = Text(r, "employer.phone");
    applicant.email = Text(r, "employer.email");
    WriteContact(w, "申請者情報", applicant);
    // The contact is the submitter (the 社労士 for a filing on behalf of a client).
    Contact contact;
    contact.name = Text(r, "submitter.name");
    contact.name_kana = Text(r, "submitter.name_kana");
    contact.title = Text(r, "submitter.kind") == "sharoushi" ? "社会保険労務士" : "";
    contact.organisation = Text(r, "submitter.office_name");
    contact.postal_code = Text(r, "submitter.postal_code");
    contact.address = Text(r, "submitter.address");
    contact.phone = Text(r, "submitter.phone");
    contact.email = Text(r, "submitter.email");
    WriteContact(w, "連絡先情報", contact);
    w.Open("委任登録票添付情報");
    w.Leaf("発行番号", "");
    w.Leaf("委任登録票名称", "");
    w.Leaf("委任登録票ファイル名称", "");
    w.Close();
    w.Close();  // 申請者連絡先情報
    w.Close();  // 管理情報
    for (const auto& a : attachments) {
        w.Open("添付書類属性情報");
        w.Leaf("添付種別", "添付");
        w.Leaf("添付書類名称", a.label);
        w.Leaf("添付書類ファイル名称", a.file_name);
        w.Leaf("提出情報", "1");
        w.Close();
    }
    w.Leaf("通信欄", "");
    const std::string destination_id = Text(r, "destination.id");
    if (!destination_id.empty()) {
        w.Open("提出先情報");
        w.Leaf("提出先識別子", destination_id);
        w.Leaf("提出先名称", Text(r, "destination.name"));
        w.Close();
    }
    for (const auto& [form_name, file_name] : forms) {
        w.Open("申請書属性情報");
        w.Leaf("申請書様式ID", p.form_id);
        w.Leaf("申請書様式バージョン", p.form_version);
        w.Leaf("申請書様式名称", form_name);
        w.Leaf("申請書ファイル名称", file_name);
        w.Close();
    }
    w.Close();  // 構成情報
    w.Leaf("署名情報", "");
    return w.Finish();
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

Result<ApplicationFiles> RenderApplication(const Procedure& procedure, const Record& record,
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
    }
    ApplicationFiles out;
    out.folder = std::string(procedure.proc_id) + "/";
    std::vector<std::pair<std::string, std::string>> forms;  // 様式名称, file name
    std::vector<PackageFile> form_files;
    std::vector<Attachment> attachments = options.attachments;
    switch (procedure.channel) {
        case Channel::kEgovFormXml: {
            if (procedure.id != "koyo_shutoku") {
                return Fail(ErrorCode::kInvalidArgument,
                            "no form renderer for " + std::string(procedure.id), "procedure");
            }
            TODOKE_ASSIGN_OR_RETURN(std::string xml, detail::RenderKoyoShutokuForm(
                                                         procedure, record, options.submitted_on));
            TODOKE_RETURN_IF_ERROR(detail::ValidateAgainstSchema(xml, detail::Schema::kKoyoShutoku,
                                                                 "雇用保険被保険者資格取得届 XML"));
            const std::string file = std::string(procedure.form_id) + "_01.xml";
            forms.emplace_back("雇用保険被保険者資格取得届", file);
            form_files.push_back({file, std::move(xml)});
            break;
        }
        case Channel::kNenkinCsv:
            // The 総括票 form XML that accompanies SHFD0006.CSV is not described by the domain
            // notes (its element list is unknown), so CSV packages are not built yet.
            return Fail(ErrorCode::kInvalidArgument,
                        std::string(procedure.id) +
                            ": packages of the CSV添付方式 need the 総括票 form, which is not "
                            "built yet; use `todoke forms render` for the CSV",
                        "procedure");
    }
    std::string kousei = KouseiXml(procedure, record, options, forms, attachments);
    TODOKE_RETURN_IF_ERROR(
        detail::ValidateAgainstSchema(kousei, detail::Schema::kKousei, "kousei.xml"));
    out.files.push_back({"kousei.xml", std::move(kousei)});
    for (auto& f : form_files) {
        out.files.push_back(std::move(f));
    }
    for (auto& a : attachments) {
        out.files.push_back({a.file_name, std::move(a.bytes)});
    }
    return out;
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
    XmlWriter k("\n");
    k.Declaration();
    k.Stylesheet("999000000000000009.xsl");
    k.Open("DataRoot");
    k.Leaf("様式ID", "999000000000000009");
    k.Leaf("様式バージョン", "0001");
    k.Leaf("STYLESHEET", "999000000000000009.xsl");
    k.Open("構成情報", "構成情報");
    k.Open("管理情報");
    k.Open("手続番号");
    k.Leaf("受付行政機関ID", "");
    k.Leaf("手続ID", "9990000000000003");
    k.Close();
    k.Leaf("手続名称", request.proc_name);
    k.Leaf("初回受付番号", request.arrive_id);
    k.Leaf("申請種別", "取下げ依頼");
    k.Open("申請者連絡先情報");
    WriteContact(k, "申請者情報", Contact{});
    WriteContact(k, "連絡先情報", Contact{});
    k.Open("委任登録票添付情報");
    k.Leaf("発行番号", "");
    k.Leaf("委任登録票名称", "");
    k.Leaf("委任登録票ファイル名称", "");
    k.Close();
    k.Close();
    k.Close();  // 管理情報
    k.Leaf("通信欄", "");
    k.Open("申請書属性情報");
    k.Leaf("申請書様式ID", "999000000000000003");
    k.Leaf("申請書様式バージョン", "0001");
    k.Leaf("申請書様式名称", "取下げ依頼XML");
    k.Leaf("申請書ファイル名称", "torisageirai.xml");
    k.Close();
    k.Close();  // 構成情報
    k.Leaf("署名情報", "");
    std::string kousei = k.Finish();
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

Result<std::string> ZipApplication(const ApplicationFiles& files) {
    std::vector<ZipWriteEntry> entries;
    entries.push_back({files.folder, ""});
    for (const auto& f : files.files) {
        entries.push_back({files.folder + f.name, f.bytes});
    }
    return WriteZip(entries);
}

}  // namespace todoke::forms
