// The writer of 構成管理XML (kousei.xml, egov-api.md §9.1) shared by applications and 取下げ依頼:
// what differs between them is a KouseiSpec; the element order is the one e-Gov accepted. The
// caller validates the result against the kousei schema.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "todoke/forms/package.hpp"

namespace todoke::forms::detail {

// The 13 children of 申請者情報 / 連絡先情報, in e-Gov's order.
struct Contact {
    std::string name, name_kana, title, organisation, organisation_kana, department,
        department_kana, postal_code, address, address_kana, phone, fax, email;
};

struct FormRef {
    std::string_view form_id, version;
    std::string name, file;
};

// Everything that differs between the kousei.xml of an application and of a 取下げ依頼.
struct KouseiSpec {
    std::string_view kousei_form_id;  // 999000000000000001, or ...009 for a 取下げ依頼
    std::string agency_id;            // 受付行政機関ID (empty for a 取下げ依頼)
    std::string_view proc_id;
    std::string proc_name;
    std::string first_arrive_id;
    std::string_view type;  // 申請種別
    Contact applicant, contact;
    const std::vector<Attachment>* attachments = nullptr;
    std::string destination_id, destination_name;
    std::vector<FormRef> forms;
};

// The kousei.xml of `k`, with LF line ends.
std::string WriteKousei(const KouseiSpec& k);

}  // namespace todoke::forms::detail
