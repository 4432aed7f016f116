// The e-Gov API v2 wire model shared by the client and the simulator (egov-api.md §3–§6):
// envelopes, error bodies, identifier shapes.
#pragma once

#include <boost/json.hpp>
#include <map>
#include <string>
#include <string_view>
#include <vector>

#include "todoke/egov/portal.hpp"

namespace todoke::egov::detail {

inline constexpr std::string_view kDocsBase = "https://developer.e-gov.go.jp/";

// One row of a BadRequest_Report body; "-" for what the error does not concern.
struct ReportRow {
    std::string form_name = "-";
    std::string attached_file_name = "-";
    std::string file_name = "-";
    std::string item = "-";
    std::string content;
};

// {metadata: {title, detail, type, instance}, results: results} (+ resultset, _links).
boost::json::object Envelope(std::string_view title, std::string_view instance,
                             boost::json::object results);
// RFC 7807 body {title, detail, type, instance}, with report_list when rows are given.
boost::json::object Problem(std::string_view title, std::string_view detail,
                            std::string_view instance, const std::vector<ReportRow>& rows = {});
boost::json::array ReportList(const std::vector<ReportRow>& rows);
std::vector<ReportRow> ParseReportList(const boost::json::value& body);

// OAuth helpers shared by the client and the simulator's auth server (§2.1): a random
// base64url token of `bytes` random bytes, and the RFC 7636 S256 challenge of a verifier.
std::string RandomUrlToken(std::size_t bytes);
std::string PkceChallenge(std::string_view verifier);

// Shapes of identifiers (§4).
// IsArriveId is public (portal.hpp).
bool IsProcId(std::string_view s);      // 16 half-width alphanumerics
bool IsSendNumber(std::string_view s);  // 18 digits

// One URL component, percent-decoded (common's PercentDecode), '+' as a space when
// `plus_is_space` (query and form values); text with an invalid escape stays as it is.
std::string DecodeComponent(std::string_view text, bool plus_is_space);
// "a=1&b=x%20y" -> {a: 1, b: "x y"}.
std::map<std::string, std::string> ParseFormOrQuery(std::string_view text);

}  // namespace todoke::egov::detail
