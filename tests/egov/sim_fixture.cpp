#include "sim_fixture.hpp"

#include "todoke/common/encoding.hpp"
#include "todoke/forms/package.hpp"
#include "todoke/gateway/package_builder.hpp"
#include "wire.hpp"

namespace todoke::egov::testing {

void SimTest::SetUp() {
    ca_ = pki_.Issue("ca", {.common_name = "Test Sharoushi CA", .is_ca = true}, nullptr);
    signer_ = pki_.Issue(
        "signer", {.common_name = "Test Sharoushi", .valid_until = std::chrono::hours(24 * 3650)},
        &ca_);
    config_.data_dir = dir_.path() / "sim";
    config_.trust_files = {ca_.cert_path};
    config_.threads = 4;
    StartSim();
}

void SimTest::TearDown() {
    if (sim_) sim_->Stop();
}

void SimTest::StartSim() {
    if (sim_) {
        sim_->Stop();
        sim_.reset();
    }
    auto started = Simulator::Start(config_);
    ASSERT_TRUE(started) << started.error().ToString();
    sim_ = std::move(*started);
    http_.ca_file = Ready().at("ca_file").as_string().c_str();
    http_.total_timeout = std::chrono::seconds(20);
}

boost::json::object SimTest::Ready() const {
    return boost::json::parse(sim_->ReadyLine()).as_object();
}

detail::HttpReply SimTest::Call(const std::string& method, const std::string& url,
                                const std::string& body,
                                std::vector<std::pair<std::string, std::string>> headers) {
    auto reply = detail::Perform(http_, {method, url, std::move(headers), body});
    EXPECT_TRUE(reply) << reply.error().ToString();
    return reply ? *reply : detail::HttpReply{};
}

Tokens SimTest::Login() {
    const auto ready = Ready();
    const std::string verifier(64, 'v');
    const std::string challenge = detail::PkceChallenge(verifier);
    const std::string redirect = std::string(ready.at("redirect_uri").as_string());
    auto consent =
        Call("GET", std::string(ready.at("auth_base").as_string()) +
                        "/auth?client_id=todoke-sim&response_type=code&scope=openid%"
                        "20offline_access&redirect_uri=" +
                        detail::UrlEncode(redirect) + "&state=s1&code_challenge=" + challenge +
                        "&code_challenge_method=S256");
    EXPECT_EQ(consent.status, 302);
    const std::string location = consent.Header("location");
    const auto at = location.find("code=") + 5;
    const std::string code = location.substr(at, location.find('&', at) - at);
    auto token = Call(
        "POST", std::string(ready.at("auth_base").as_string()) + "/token",
        "grant_type=authorization_code&code=" + code +
            "&redirect_uri=" + detail::UrlEncode(redirect) + "&code_verifier=" + verifier,
        {{"Authorization",
          "Basic " +
              Base64Encode("todoke-sim:" + std::string(ready.at("client_secret").as_string()))},
         {"Content-Type", "application/x-www-form-urlencoded"}});
    EXPECT_EQ(token.status, 200) << token.body;
    const auto json = JsonOf(token);
    return {std::string(json.at("access_token").as_string()),
            std::string(json.at("refresh_token").as_string())};
}

detail::HttpReply SimTest::Api(const std::string& method, const std::string& path,
                               const std::string& token, const std::string& body,
                               std::vector<std::pair<std::string, std::string>> headers) {
    headers.emplace_back("Authorization", "Bearer " + token);
    if (!body.empty()) headers.emplace_back("Content-Type", "application/json");
    return Call(method, sim_->api_base() + path, body, std::move(headers));
}

std::string SimTest::ApplyBody(const std::string& proc_id, const std::string& zip) {
    return boost::json::serialize(boost::json::object{
        {"proc_id", proc_id},
        {"send_file",
         boost::json::object{{"file_name", "app.zip"}, {"file_data", Base64Encode(zip)}}}});
}

std::string SimTest::SamplePackage(const std::string& sample, const std::string& type,
                                   const std::string& first_arrive_id) {
    auto records = forms::ParseJsonRecords(
        ::todoke::testing::ReadFile(std::string(TODOKE_SOURCE_DIR) + "/samples/records/" + sample),
        sample);
    EXPECT_TRUE(records);
    const auto& record = records->front();
    const forms::Procedure* p = forms::Catalogue::Default().Find(record.procedure());
    forms::PackageOptions options;
    options.submitted_on = {2026, 11, 20};
    options.type = type == "再提出"     ? forms::ApplicationType::kResubmission
                   : type == "部分補正" ? forms::ApplicationType::kPartialAmendment
                                        : forms::ApplicationType::kNew;
    options.first_arrive_id = first_arrive_id;
    const std::vector<signing::SigningKey> keys{::todoke::testing::LoadKey(signer_)};
    auto zips = gateway::BuildSignedPackages(*p, record, options, keys, SystemClock().Now());
    EXPECT_TRUE(zips) << zips.error().ToString();
    return zips ? zips->front() : std::string();
}

boost::json::object SimTest::JsonOf(const detail::HttpReply& reply) {
    boost::system::error_code ec;
    auto v = boost::json::parse(reply.body, ec);
    return !ec && v.is_object() ? v.as_object() : boost::json::object{};
}

}  // namespace todoke::egov::testing
