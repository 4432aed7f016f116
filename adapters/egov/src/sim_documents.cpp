// The simulator's 公文書 and notices (egov-api.md §6.11, §6.12, §14; forms-and-data.md §9): a
// ZIP with a 鑑 XML + XSL and, per procedure, the 年金機構 notice XML (root N71xxxxx) or the
// 雇用保険 PDF, names in CP932 without the UTF-8 flag, signed by the demo 官職 certificate.
// Each document is made once and kept in the store, so every download has the same bytes.
#include "sim_core.hpp"
#include "todoke/common/encoding.hpp"
#include "todoke/common/xml_writer.hpp"
#include "todoke/common/zip.hpp"
#include "todoke/forms/chars.hpp"
#include "todoke/forms/wareki.hpp"
#include "todoke/signing/official_signature.hpp"
#include "todoke/signing/verifier.hpp"

namespace todoke::egov::detail {
namespace {

constexpr std::string_view kEmptyXsl =
    "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<xsl:stylesheet version=\"1.0\" "
    "xmlns:xsl=\"http://www.w3.org/1999/XSL/Transform\"/>\n";

std::string WarekiDate(std::int64_t unix_seconds) {
    std::string iso = FormatJstDate(std::chrono::system_clock::from_time_t(unix_seconds));
    const forms::Date d{std::stoi(iso.substr(0, 4)), std::stoi(iso.substr(5, 2)),
                        std::stoi(iso.substr(8, 2))};
    auto w = forms::ToWareki(d);
    if (!w) {
        return iso;
    }
    return std::string(forms::EraKanji(w->era)) + std::to_string(w->year) + "年" +
           std::to_string(w->month) + "月" + std::to_string(w->day) + "日";
}

struct Attachment {
    std::string name;  // UTF-8
    std::string bytes;
};

// What each procedure's 公文書 carries besides the 鑑 (forms-and-data.md §9.3, §9.4).
std::vector<Attachment> Attachments(const SimCase& c, const std::string& date) {
    struct Notice {
        std::string_view proc_id, root, title;
    };
    static constexpr Notice kNenkin[] = {
        {"4950000020400000", "N7100001", "資格取得確認および標準報酬決定通知書"},
        {"4950000020401000", "N7120002", "資格喪失確認通知書"},
        {"4950000020415000", "N7130001", "標準報酬決定通知書"},
        {"4950000020416000", "N7140001", "標準報酬改定通知書"},
        {"4950000020417000", "N7150001", "健康保険・厚生年金保険被保険者賞与額決定通知書"},
    };
    for (const auto& n : kNenkin) {
        if (n.proc_id == c.proc_id) {
            const std::string code(n.root.substr(1));
            XmlWriter w("\n");
            w.Declaration();
            w.Stylesheet(code + ".xsl");
            w.Open(n.root);
            w.Leaf("通知書名", n.title);
            w.Leaf("通知年月日", date);
            w.Leaf("事業所名称", c.corporation_name);
            w.Leaf("到達番号", c.arrive_id);
            return {{code + ".xml", w.Finish()}, {code + ".xsl", std::string(kEmptyXsl)}};
        }
    }
    const std::string title = c.proc_name.find("喪失") != std::string::npos
                                  ? "雇用保険被保険者資格喪失確認通知書(被保険者通知用)"
                                  : "雇用保険被保険者証、資格取得等確認通知書(被保険者用)";
    const std::string pdf =
        "%PDF-1.4\n% todoke simulator: " + title + " " + c.arrive_id +
        "\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n";
    return {{title + ".pdf", pdf}};
}

}  // namespace

Result<std::string> SimCore::OfficialDocumentZip(const SimCase& c, std::int64_t issued_at) {
    TODOKE_ASSIGN_OR_RETURN(auto stored,
                            db_.Prepare("SELECT zip FROM documents WHERE arrive_id = ?1"));
    stored.Bind(1, c.arrive_id);
    TODOKE_ASSIGN_OR_RETURN(bool found, stored.Step());
    if (found) {
        return stored.Text(0);
    }
    const std::string date = WarekiDate(issued_at);
    const auto attachments = Attachments(c, date);
    XmlWriter w("\n");
    w.Declaration();
    w.Stylesheet("kagami.xsl");
    w.Open("DOC");
    w.Open("FRONT");
    w.Leaf("FRONTTXT", "公文書");
    w.Close();
    w.Open("BODY", "DOCBODY");
    w.Leaf("STYLESHEET", "kagami.xsl");
    w.Leaf("TOTATUNO", c.arrive_id);
    w.Leaf("DATE", date);
    w.Leaf("TO", c.corporation_name + "　御中");
    w.Leaf("AUTHOR", c.destination);
    w.Leaf("TITLE", c.proc_name + "について（通知）");
    w.Leaf("MAINTXT", c.proc_name + "の審査が終了しましたので通知します。");
    w.Close();
    w.Open("APPENDIX");
    signing::FileMap signed_files;
    for (const auto& a : attachments) {
        w.Leaf("DOCLINK", a.name);
        signed_files.emplace(a.name, a.bytes);
    }
    const std::string kagami = w.Finish();
    TODOKE_ASSIGN_OR_RETURN(
        std::string signed_kagami,
        signing::SignOfficialDocument(kagami, signed_files, official_key_,
                                      std::chrono::system_clock::from_time_t(RealNow())));
    // e-Gov writes entry names in CP932 without the UTF-8 flag (egov-api.md §8).
    const std::string folder = c.arrive_id + "_" + std::to_string(DocSubId(c)) + "/";
    std::vector<ZipWriteEntry> entries{
        {folder + "kagami.xml", signed_kagami},
        {folder + "kagami.xsl",
         "\xEF\xBB\xBF" + std::string(kEmptyXsl)}};  // with a BOM, as e-Gov's
    for (const auto& a : attachments) {
        TODOKE_ASSIGN_OR_RETURN(std::string cp932, forms::ToShiftJis(folder + a.name));
        entries.push_back({cp932, a.bytes, true, ZipNameEncoding::kCp932});
    }
    TODOKE_ASSIGN_OR_RETURN(std::string zip, WriteZip(entries));
    TODOKE_ASSIGN_OR_RETURN(auto insert, db_.Prepare("INSERT INTO documents VALUES (?1, ?2, ?3)"));
    TODOKE_RETURN_IF_ERROR(
        insert.Bind(1, c.arrive_id).Bind(2, std::int64_t{DocSubId(c)}).BindBlob(3, zip).Run());
    return zip;
}

HttpResponse SimCore::GetOfficialDocument(std::string_view arrive_id, std::string_view sub_id) {
    const std::string instance = std::string(kApi) + "/official_document/" +
                                 std::string(arrive_id) + "/" + std::string(sub_id);
    auto found =
        IsArriveId(arrive_id) ? FindCase(arrive_id) : Result<std::optional<SimCase>>(std::nullopt);
    const std::int64_t now = VirtualNow();
    if (!found || !*found || sub_id != std::to_string(DocSubId(**found))) {
        return NoBody(404);
    }
    const SimCase& c = **found;
    const std::int64_t issued = IssueAt(c);
    if (now < issued) {
        return NoBody(404);  // no 公文書 (yet) for this case
    }
    if (now >= issued + config_.doc_deadline_s) {
        // The retrieval deadline passed (about 3 months, egov-api.md §15); the exact answer of
        // e-Gov is unconfirmed: a 400 naming the deadline.
        return Json(400, Problem("公文書取得", "公文書の取得期限を過ぎています", instance));
    }
    auto zip = OfficialDocumentZip(c, issued);
    if (!zip) {
        return Json(500, Problem("公文書取得", "サーバ内部でエラーが発生", instance));
    }
    auto reader = ZipReader::Open(*zip, {});
    boost::json::array names;
    if (reader) {
        for (const auto& e : reader->entries()) {
            names.push_back(boost::json::object{{"file_name", e.name}});
        }
    }
    auto envelope = Envelope("公文書取得", instance,
                             {{"file_data", Base64Encode(*zip)}, {"file_name_list", names}});
    envelope["_links"] = boost::json::object{
        {"self", boost::json::object{{"href", base_url + instance}}},
        {"complete",
         boost::json::object{{"href", base_url + std::string(kApi) + "/official_document"}}}};
    return Json(200, envelope);
}

HttpResponse SimCore::CompleteOfficialDocument(const HttpRequest& r) {
    const std::string instance = std::string(kApi) + "/official_document";
    boost::system::error_code ec;
    const auto body = boost::json::parse(r.body, ec);
    const auto* o = !ec ? body.if_object() : nullptr;
    const auto* id = o != nullptr ? o->if_contains("arrive_id") : nullptr;
    const auto* sub = o != nullptr ? o->if_contains("notice_sub_id") : nullptr;
    if (id == nullptr || !id->is_string() || sub == nullptr || !sub->is_int64()) {
        return Json(400, Problem("公文書取得完了", "arrive_id と notice_sub_id を指定してください",
                                 instance));
    }
    auto found = FindCase(id->as_string());
    const std::int64_t now = VirtualNow();
    if (!found || !*found || sub->as_int64() != DocSubId(**found) || now < IssueAt(**found)) {
        return NoBody(404);
    }
    if ((*found)->doc_taken_at == 0) {
        (void)MarkCase((*found)->arrive_id, "doc_taken_at", now);
    }
    return Json(
        200,
        Envelope("公文書取得完了", instance,
                 {{"arrive_id", (*found)->arrive_id},
                  {"notice_sub_id", DocSubId(**found)},
                  {"proc_name", (*found)->proc_name},
                  {"doc_title", (*found)->proc_name + " 公文書"},
                  {"download_date", FormatJstDateTime(std::chrono::system_clock::from_time_t(now))},
                  {"file_name_list", boost::json::array{}}}));
}

HttpResponse SimCore::VerifyOfficialDocument(const HttpRequest& r) {
    const std::string instance = std::string(kApi) + "/official_document/verify";
    boost::system::error_code ec;
    const auto body = boost::json::parse(r.body, ec);
    const auto* o = !ec ? body.if_object() : nullptr;
    const auto* data = o != nullptr ? o->if_contains("file_data") : nullptr;
    if (data == nullptr || !data->is_string()) {
        return Json(400, Problem("公文書署名検証", "file_data を指定してください", instance));
    }
    auto zip = Base64Decode(data->as_string());
    if (!zip) {
        return Json(400, Problem("公文書署名検証", "Base64形式で指定してください", instance));
    }
    auto report = signing::VerifyOfficialDocument(
        *zip, *official_trust_, std::chrono::system_clock::from_time_t(RealNow()));
    boost::json::object official;
    if (report) {
        const auto& cert = report->signature.signer;
        official = {{"validation_result", "正常です。"},
                    {"certificate_result", "正常です。"},
                    {"certificate_count", 1},
                    {"publisher_dn", cert.issuer},
                    {"owner_dn", cert.subject},
                    {"serial_number", cert.serial_hex}};
    } else {
        official = {{"validation_result", "署名が不正です。（" + report.error().field + "）"},
                    {"certificate_result", "-"},
                    {"certificate_count", 0}};
    }
    const auto* name = o->if_contains("sig_verification_xml_file_name");
    return Json(200, Envelope("公文書署名検証要求", instance,
                              {{"sig_verification_xml_file_name",
                                name != nullptr && name->is_string() ? name->as_string() : ""},
                               {"verify_result", boost::json::array{boost::json::object{
                                                     {"official", std::move(official)}}}}}));
}

HttpResponse SimCore::NoticeDetail(std::string_view arrive_id, std::string_view sub_id) {
    auto found =
        IsArriveId(arrive_id) ? FindCase(arrive_id) : Result<std::optional<SimCase>>(std::nullopt);
    const std::int64_t now = VirtualNow();
    if (!found || !*found) {
        return NoBody(404);
    }
    const SimCase& c = **found;
    const auto when = [](std::int64_t t) {
        return FormatJstDateTime(std::chrono::system_clock::from_time_t(t));
    };
    const std::string instance =
        std::string(kApi) + "/notice/" + std::string(arrive_id) + "/" + std::string(sub_id);
    for (const auto& n : NoticesOf(c, now)) {
        if (std::to_string(n.sub_id) != sub_id) {
            continue;
        }
        boost::json::object notice{
            {"issuer_organization", c.destination},
            {"notice_issue_date", when(n.issued_at)},
            {"notice_title", n.title},
            {"proc_name", c.proc_name},
            {"notice_type", n.type},
            {"notice_sentence", n.sentence},
            {"attached_file_list", boost::json::array{}},
            {"corporation_name_list", boost::json::array{c.corporation_name}},
            {"applicant_name_list", boost::json::array{c.applicant_name}},
            {"notified_account", "todoke-sim@example.jp"}};
        if (n.type == "補正") {
            notice["correct_type"] = n.correct_type;
            notice["correct_expired_date"] = when(n.correct_deadline);
            notice["correct_completed_date"] = n.corrected_at != 0 ? when(n.corrected_at) : "";
        }
        return Json(
            200, Envelope("申請案件に関する通知取得", instance, {{"notice", std::move(notice)}}));
    }
    return NoBody(404);
}

HttpResponse SimCore::NoticeList(const HttpRequest& r) {
    const std::string instance = std::string(kApi) + "/notice/lists";
    const auto q = [&](const char* k) {
        const auto it = r.query.find(k);
        return it == r.query.end() ? std::string() : it->second;
    };
    if (q("date_from").size() != 10 || q("date_to").size() != 10 || q("limit").empty() ||
        q("offset").empty()) {
        return Json(400, Problem("申請案件に関する通知一覧取得",
                                 "date_from, date_to, limit, offset を指定してください", instance));
    }
    const std::int64_t now = VirtualNow();
    auto cases = ListCases(0, now + 1);
    if (!cases) {
        return Json(500,
                    Problem("申請案件に関する通知一覧取得", "サーバ内部でエラーが発生", instance));
    }
    const std::string from = q("date_from"), to = q("date_to");
    boost::json::array list;
    for (const auto& c : *cases) {
        for (const auto& n : NoticesOf(c, now)) {
            const std::string issued =
                FormatJstDateTime(std::chrono::system_clock::from_time_t(n.issued_at));
            if (issued.substr(0, 10) < from || issued.substr(0, 10) > to) {
                continue;
            }
            list.push_back(boost::json::object{
                {"issuer_organization", c.destination},
                {"arrive_id", c.arrive_id},
                {"notice_sub_id", n.sub_id},
                {"notice_issue_date", issued},
                {"type", n.type},
                {"title", n.title},
                {"corporation_name_list", boost::json::array{c.corporation_name}},
                {"applicant_name_list", boost::json::array{c.applicant_name}},
                {"proc_name", c.proc_name},
                {"notified_account", "todoke-sim@example.jp"}});
        }
    }
    // Pages as /apply/lists: limit 1–50, offset 0 or 1 the first page, previous/next links.
    const std::string limit_text = q("limit"), offset_text = q("offset");
    if (limit_text.find_first_not_of("0123456789") != std::string::npos ||
        offset_text.find_first_not_of("0123456789") != std::string::npos || limit_text.size() > 3 ||
        offset_text.size() > 4) {
        return Json(
            400, Problem("申請案件に関する通知一覧取得", "limit と offset は数字です", instance));
    }
    const int limit = std::stoi(limit_text);
    const int page = std::max(0, std::stoi(offset_text) - 1);
    if (limit < 1 || limit > 50) {
        return Json(400, Problem("申請案件に関する通知一覧取得", "limit は1〜50です", instance));
    }
    const std::size_t all = list.size();
    const std::size_t begin = std::min(all, static_cast<std::size_t>(page) * limit);
    const std::size_t end = std::min(all, begin + static_cast<std::size_t>(limit));
    boost::json::array shown(list.begin() + static_cast<std::ptrdiff_t>(begin),
                             list.begin() + static_cast<std::ptrdiff_t>(end));
    auto envelope =
        Envelope("申請案件に関する通知一覧取得", instance, {{"notice_list", std::move(shown)}});
    envelope["resultset"] = boost::json::object{
        {"all_count", all}, {"limit", limit}, {"offset", page}, {"count", end - begin}};
    const auto link = [&](int p) {
        return boost::json::object{
            {"href", base_url + instance + "?date_from=" + from + "&date_to=" + to +
                         "&limit=" + std::to_string(limit) + "&offset=" + std::to_string(p + 1)}};
    };
    boost::json::object links{{"self", link(page)}};
    if (page > 0) {
        links["previous"] = link(page - 1);
    }
    if (end < all) {
        links["next"] = link(page + 1);
    }
    envelope["_links"] = std::move(links);
    return Json(200, envelope);
}

}  // namespace todoke::egov::detail
