// The package checks of the simulator (egov-api.md §13.4, §16 item 3): what e-Gov checks on
// /apply, /apply/check, /apply/amend, /apply/withdraw and in the bulk batch. Failures become
// report_list rows naming file and item.
#include <libxml/parser.h>
#include <libxml/tree.h>

#include "sim_core.hpp"
#include "todoke/common/c_handle.hpp"
#include "todoke/common/encoding.hpp"
#include "todoke/forms/catalogue.hpp"
#include "todoke/forms/chars.hpp"
#include "todoke/signing/verifier.hpp"

namespace todoke::egov::detail {
namespace {

using XmlDoc = CHandle<xmlDoc, &xmlFreeDoc>;

std::string Name(const xmlNode* n) { return reinterpret_cast<const char*>(n->name); }

std::string Content(const xmlNode* n) {
    xmlChar* c = xmlNodeGetContent(n);
    std::string out = c != nullptr ? reinterpret_cast<const char*>(c) : "";
    xmlFree(c);
    return out;
}

const xmlNode* Child(const xmlNode* n, std::string_view name) {
    for (const xmlNode* c = n != nullptr ? n->children : nullptr; c != nullptr; c = c->next) {
        if (c->type == XML_ELEMENT_NODE && Name(c) == name) {
            return c;
        }
    }
    return nullptr;
}

std::string Path(const xmlNode* root, std::initializer_list<std::string_view> names) {
    const xmlNode* n = root;
    for (auto name : names) {
        n = Child(n, name);
    }
    return n != nullptr ? Content(n) : std::string();
}

// Every text-bearing element of kousei: its value must be JIS X 0208/0201 (egov-api.md §9.2).
void CheckCharacters(const xmlNode* n, std::vector<ReportRow>& rows) {
    for (const xmlNode* c = n->children; c != nullptr; c = c->next) {
        if (c->type != XML_ELEMENT_NODE) {
            continue;
        }
        if (Child(c, "") == nullptr && c->children != nullptr &&
            c->children->type == XML_TEXT_NODE && c->children->next == nullptr) {
            if (auto v = forms::CheckJisCharacters(Content(c), forms::HalfWidthKana::kForbidden)) {
                rows.push_back({"-", "-", "kousei.xml", Name(c),
                                "指定可能な文字以外が指定されています（" + v->message + "）"});
            }
        } else {
            CheckCharacters(c, rows);
        }
    }
}

bool IsAllDigits(std::string_view s) {
    return !s.empty() && s.find_first_not_of("0123456789") == std::string_view::npos;
}

}  // namespace

SimCore::PackageCheck SimCore::CheckPackage(const boost::json::object& body,
                                            std::string_view endpoint,
                                            std::string_view expected_type, std::int64_t now) {
    PackageCheck out;
    auto& rows = out.rows;
    const auto text = [&](const boost::json::object& o, std::string_view k) {
        const auto* v = o.if_contains(k);
        return v != nullptr && v->is_string() ? std::string(v->as_string()) : std::string();
    };
    std::string proc_id = text(body, "proc_id");
    if (endpoint != "amend" && endpoint != "withdraw" && !IsProcId(proc_id)) {
        rows.push_back({"-", "-", "-", "proc_id", "手続識別子は半角英数字16桁で指定してください"});
        return out;
    }
    const auto* file = body.if_contains("send_file");
    if (file == nullptr || !file->is_object()) {
        rows.push_back({"-", "-", "-", "send_file", "送信ファイルが指定されていません"});
        return out;
    }
    const std::string file_name = text(file->as_object(), "file_name");
    if (file_name.find(".zip") == std::string::npos || file_name.size() > 256) {
        rows.push_back({"-", "-", "-", "file_name", "ファイル名に.zipを含めてください"});
    }
    auto zip = Base64Decode(text(file->as_object(), "file_data"));
    if (!zip) {
        rows.push_back({"-", "-", "-", "file_data", "Base64形式で指定してください"});
        return out;
    }
    PackageCheck checked = CheckZip(std::move(*zip), proc_id, endpoint, expected_type, now);
    checked.rows.insert(checked.rows.begin(), rows.begin(), rows.end());
    return checked;
}

SimCore::PackageCheck SimCore::CheckZip(std::string zip, std::string proc_id,
                                        std::string_view endpoint, std::string_view expected_type,
                                        std::int64_t now) {
    PackageCheck out;
    auto& rows = out.rows;
    if (!trust_) {
        rows.push_back({"-", "-", "kousei.xml", "署名情報",
                        "the simulator has no applicant trust anchors (start it with --trust "
                        "CA.pem): no signature can be accepted"});
        return out;
    }
    auto report = signing::VerifyApplicationPackage(
        zip, *trust_, std::chrono::system_clock::from_time_t(RealNow()));
    if (!report) {
        const bool signature = report.error().field.rfind("signature", 0) == 0 ||
                               report.error().field.rfind("certificate", 0) == 0;
        rows.push_back({"-", "-", "kousei.xml", signature ? "署名情報" : "申請データ",
                        report.error().message + " [" + report.error().field + "]"});
        return out;
    }
    if (report->applications.size() != 1) {
        rows.push_back({"-", "-", "-", "申請データ", "1件の申請フォルダを格納してください"});
        return out;
    }
    const auto& app = report->applications.front();
    // Only verified bytes are read from here on.
    XmlDoc doc(xmlReadMemory(app.kousei_canonical.data(),
                             static_cast<int>(app.kousei_canonical.size()), "kousei.xml", "UTF-8",
                             XML_PARSE_NONET | XML_PARSE_NOERROR | XML_PARSE_NOWARNING));
    const xmlNode* root = doc ? xmlDocGetRootElement(doc.get()) : nullptr;  // <構成情報>
    if (root == nullptr) {
        rows.push_back({"-", "-", "kousei.xml", "構成情報", "構成管理XMLを読み取れません"});
        return out;
    }
    const std::string kousei_proc = Path(root, {"管理情報", "手続番号", "手続ID"});
    if (endpoint == "amend" || endpoint == "withdraw") {
        proc_id = kousei_proc;
    }
    if (app.folder != proc_id + "/") {
        rows.push_back({"-", "-", "-", "申請データ",
                        "申請フォルダ名が手続識別子と一致しません（" + app.folder + "）"});
    }
    if (kousei_proc != proc_id) {
        rows.push_back({"-", "-", "kousei.xml", "手続ID", "手続IDが手続識別子と一致しません"});
    }
    const auto& catalogue = forms::Catalogue::Default();
    std::string known_name;
    for (const auto& p : catalogue.procedures()) {
        if (p.proc_id == proc_id) {
            known_name = std::string(p.name);
        }
    }
    if (endpoint == "withdraw") {
        known_name = Path(root, {"管理情報", "手続名称"});  // the withdrawn case's procedure
        if (proc_id != "9990000000000003") {
            rows.push_back(
                {"-", "-", "kousei.xml", "手続ID", "取下げ依頼の手続IDは9990000000000003です"});
        }
    } else if (known_name.empty()) {
        rows.push_back({"-", "-", "kousei.xml", "手続ID", "指定された手続は存在しません"});
    }
    const std::string type = Path(root, {"管理情報", "申請種別"});
    const std::string first = Path(root, {"管理情報", "初回受付番号"});
    if (expected_type.find(type) == std::string_view::npos || type.empty()) {
        rows.push_back({"-", "-", "kousei.xml", "申請種別",
                        "申請種別（" + type + "）はこのAPIでは送信できません"});
    }
    if (type == "新規申請" && !first.empty()) {
        rows.push_back(
            {"-", "-", "kousei.xml", "初回受付番号", "新規申請では初回受付番号を指定できません"});
    }
    if (type == "再提出" || type == "部分補正" || type == "取下げ依頼") {
        auto original =
            IsArriveId(first) ? FindCase(first) : Result<std::optional<SimCase>>(std::nullopt);
        if (!original || !*original) {
            rows.push_back({"-", "-", "kousei.xml", "初回受付番号",
                            "構成管理XML.初回受付番号に誤りがあります"});
        } else if ((type == "部分補正" || type == "再提出") &&
                   (StatusOf(**original, now) != "審査中（補正待ち）" ||
                    (*original)->correct_type != type)) {
            rows.push_back(
                {"-", "-", "kousei.xml", "初回受付番号", "補正待ちの申請案件ではありません"});
        }
    }
    // Every listed file present; every form's 様式ID and version as kousei says.
    for (const xmlNode* c = root->children; c != nullptr; c = c->next) {
        if (c->type != XML_ELEMENT_NODE) {
            continue;
        }
        if (Name(c) == "添付書類属性情報") {
            const std::string name = Path(c, {"添付書類ファイル名称"});
            const bool present = app.signed_files.count(name) != 0 ||
                                 std::find(app.unsigned_files.begin(), app.unsigned_files.end(),
                                           name) != app.unsigned_files.end();
            if (!present) {
                rows.push_back(
                    {"-", name, "kousei.xml", "添付書類ファイル名称",
                     "添付必須のファイル(" + Path(c, {"添付書類名称"}) + ")が添付されていません"});
            }
        } else if (Name(c) == "申請書属性情報") {
            const std::string name = Path(c, {"申請書ファイル名称"});
            const auto it = app.signed_files.find(name);
            if (it == app.signed_files.end()) {
                rows.push_back({Path(c, {"申請書様式名称"}), "-", "kousei.xml",
                                "申請書ファイル名称", "申請書ファイルが存在しません"});
                continue;
            }
            XmlDoc form(xmlReadMemory(it->second.data(), static_cast<int>(it->second.size()),
                                      name.c_str(), "UTF-8",
                                      XML_PARSE_NONET | XML_PARSE_NOERROR | XML_PARSE_NOWARNING));
            const xmlNode* form_root = form ? xmlDocGetRootElement(form.get()) : nullptr;
            if (form_root == nullptr || Path(form_root, {"様式ID"}) != Path(c, {"申請書様式ID"}) ||
                Path(form_root, {"様式バージョン"}) != Path(c, {"申請書様式バージョン"})) {
                rows.push_back({Path(c, {"申請書様式名称"}), "-", name, "様式ID",
                                "申請書の様式ID・様式バージョンが構成管理XMLと一致しません"});
            }
        }
    }
    CheckCharacters(root, rows);
    for (const char* who : {"申請者情報", "連絡先情報"}) {
        const std::string postal = Path(root, {"管理情報", "申請者連絡先情報", who, "郵便番号"});
        if (!postal.empty() && (postal.size() != 7 || !IsAllDigits(postal))) {
            rows.push_back({"-", "-", "kousei.xml", "郵便番号", "郵便番号は半角数字7桁です"});
        }
        const std::string phone = Path(root, {"管理情報", "申請者連絡先情報", who, "電話番号"});
        if (!phone.empty() && phone.find_first_not_of("0123456789-") != std::string::npos) {
            rows.push_back(
                {"-", "-", "kousei.xml", "電話番号", "電話番号は半角数字とハイフンです"});
        }
    }
    out.draft.proc_id = proc_id;
    out.draft.proc_name = known_name.empty() ? Path(root, {"管理情報", "手続名称"}) : known_name;
    out.draft.apply_type = type;
    out.draft.first_arrive_id = first;
    out.draft.applicant_name = Path(root, {"管理情報", "申請者連絡先情報", "申請者情報", "氏名"});
    out.draft.corporation_name =
        Path(root, {"管理情報", "申請者連絡先情報", "申請者情報", "法人団体名"});
    out.draft.destination = Path(root, {"提出先情報", "提出先名称"});
    if (out.draft.destination.empty()) {
        out.draft.destination = "シミュレータ提出先";
    }
    out.zip = std::move(zip);
    return out;
}

}  // namespace todoke::egov::detail
