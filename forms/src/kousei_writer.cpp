#include "kousei_writer.hpp"

#include "todoke/common/xml_writer.hpp"

namespace todoke::forms::detail {
namespace {

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

}  // namespace

// The one writer of 構成管理XML (egov-api.md §9.1), element order as e-Gov accepted it.
std::string WriteKousei(const KouseiSpec& k) {
    const std::string stylesheet = std::string(k.kousei_form_id) + ".xsl";
    XmlWriter w("\n");
    w.Declaration();
    w.Stylesheet(stylesheet);
    w.Open("DataRoot");
    w.Leaf("様式ID", k.kousei_form_id);
    w.Leaf("様式バージョン", "0001");
    w.Leaf("STYLESHEET", stylesheet);
    w.Open("構成情報", "構成情報");
    w.Open("管理情報");
    w.Open("手続番号");
    w.Leaf("受付行政機関ID", k.agency_id);
    w.Leaf("手続ID", k.proc_id);
    w.Close();
    w.Leaf("手続名称", k.proc_name);
    w.Leaf("初回受付番号", k.first_arrive_id);
    w.Leaf("申請種別", k.type);
    w.Open("申請者連絡先情報");
    WriteContact(w, "申請者情報", k.applicant);
    WriteContact(w, "連絡先情報", k.contact);
    w.Open("委任登録票添付情報");
    w.Leaf("発行番号", "");
    w.Leaf("委任登録票名称", "");
    w.Leaf("委任登録票ファイル名称", "");
    w.Close();
    w.Close();  // 申請者連絡先情報
    w.Close();  // 管理情報
    if (k.attachments != nullptr) {
        for (const auto& a : *k.attachments) {
            w.Open("添付書類属性情報");
            w.Leaf("添付種別", "添付");
            w.Leaf("添付書類名称", a.label);
            w.Leaf("添付書類ファイル名称", a.file_name);
            w.Leaf("提出情報", "1");
            w.Close();
        }
    }
    w.Leaf("通信欄", "");
    if (!k.destination_id.empty()) {
        w.Open("提出先情報");
        w.Leaf("提出先識別子", k.destination_id);
        w.Leaf("提出先名称", k.destination_name);
        w.Close();
    }
    for (const auto& f : k.forms) {
        w.Open("申請書属性情報");
        w.Leaf("申請書様式ID", f.form_id);
        w.Leaf("申請書様式バージョン", f.version);
        w.Leaf("申請書様式名称", f.name);
        w.Leaf("申請書ファイル名称", f.file);
        w.Close();
    }
    w.Close();  // 構成情報
    w.Leaf("署名情報", "");
    return w.Finish();
}

}  // namespace todoke::forms::detail
