#include "wire.hpp"

#include <openssl/rand.h>
#include <openssl/sha.h>

#include <algorithm>

#include "todoke/common/encoding.hpp"

namespace todoke::egov::detail {
namespace {

bool AllOf(std::string_view s, bool (*ok)(char)) {
    for (char c : s) {
        if (!ok(c)) {
            return false;
        }
    }
    return true;
}
bool Digit(char c) { return c >= '0' && c <= '9'; }
bool Alnum(char c) { return Digit(c) || (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z'); }

std::string Text(const boost::json::object& o, std::string_view key) {
    const auto* v = o.if_contains(key);
    return v != nullptr && v->is_string() ? std::string(v->as_string()) : std::string();
}

}  // namespace

boost::json::object Envelope(std::string_view title, std::string_view instance,
                             boost::json::object results) {
    boost::json::object metadata{{"title", title},
                                 {"detail", ""},
                                 {"type", std::string(kDocsBase) + "contents/specification"},
                                 {"instance", instance}};
    return boost::json::object{{"metadata", std::move(metadata)}, {"results", std::move(results)}};
}

boost::json::array ReportList(const std::vector<ReportRow>& rows) {
    boost::json::array list;
    for (const auto& r : rows) {
        list.push_back(boost::json::object{{"form_name", r.form_name},
                                           {"attached_file_name", r.attached_file_name},
                                           {"file_name", r.file_name},
                                           {"item", r.item},
                                           {"content", r.content}});
    }
    return list;
}

boost::json::object Problem(std::string_view title, std::string_view detail,
                            std::string_view instance, const std::vector<ReportRow>& rows) {
    boost::json::object o{{"title", title},
                          {"detail", detail},
                          {"type", std::string(kDocsBase) + "contents/specification"},
                          {"instance", instance}};
    if (!rows.empty()) {
        o["report_list"] = ReportList(rows);
    }
    return o;
}

std::vector<ReportRow> ParseReportList(const boost::json::value& body) {
    std::vector<ReportRow> rows;
    const auto* o = body.if_object();
    const auto* list = o != nullptr ? o->if_contains("report_list") : nullptr;
    if (list == nullptr || !list->is_array()) {
        return rows;
    }
    for (const auto& item : list->as_array()) {
        if (!item.is_object()) {
            continue;
        }
        const auto& r = item.as_object();
        rows.push_back({Text(r, "form_name"), Text(r, "attached_file_name"), Text(r, "file_name"),
                        Text(r, "item"), Text(r, "content")});
    }
    return rows;
}

std::string RandomUrlToken(std::size_t bytes) {
    std::string raw(bytes, '\0');
    RAND_bytes(reinterpret_cast<unsigned char*>(raw.data()), static_cast<int>(bytes));
    return Base64UrlEncode(raw);
}

std::string PkceChallenge(std::string_view verifier) {
    unsigned char digest[SHA256_DIGEST_LENGTH];
    SHA256(reinterpret_cast<const unsigned char*>(verifier.data()), verifier.size(), digest);
    return Base64UrlEncode(std::string_view(reinterpret_cast<char*>(digest), sizeof digest));
}

bool IsProcId(std::string_view s) { return s.size() == 16 && AllOf(s, Alnum); }
bool IsSendNumber(std::string_view s) { return s.size() == 18 && AllOf(s, Digit); }

std::string DecodeComponent(std::string_view text, bool plus_is_space) {
    std::string spaced(text);
    if (plus_is_space) {
        std::replace(spaced.begin(), spaced.end(), '+', ' ');
    }
    return PercentDecode(spaced).value_or(spaced);  // a stray '%' stays as it is
}

std::map<std::string, std::string> ParseFormOrQuery(std::string_view text) {
    std::map<std::string, std::string> out;
    while (!text.empty()) {
        const auto amp = text.find('&');
        const std::string_view pair = text.substr(0, amp);
        text = amp == std::string_view::npos ? std::string_view() : text.substr(amp + 1);
        if (pair.empty()) {
            continue;
        }
        const auto eq = pair.find('=');
        out[DecodeComponent(pair.substr(0, eq), true)] =
            eq == std::string_view::npos ? std::string()
                                         : DecodeComponent(pair.substr(eq + 1), true);
    }
    return out;
}

}  // namespace todoke::egov::detail

namespace todoke::egov {

bool IsArriveId(std::string_view id) {
    return id.size() >= 16 && id.size() <= 18 &&
           std::all_of(id.begin(), id.end(), [](char c) { return c >= '0' && c <= '9'; });
}

bool IsUnanswered(const Error& e) {
    // The fields Perform (http_client.cpp) and the session (client_session.cpp) give these.
    return e.code == ErrorCode::kUnavailable &&
           (e.field == "http.transport" || e.field == "egov.server" || e.field == "egov.token");
}

}  // namespace todoke::egov
