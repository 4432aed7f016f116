// A simulator started in-process on a free port with a test PKI as its applicant trust anchor,
// and the HTTPS calls of the tests: the OAuth2 dance to an access token, JSON calls, packages
// built from the samples and signed by the test signer.
#pragma once

#include <gtest/gtest.h>

#include <boost/json.hpp>
#include <memory>
#include <string>

#include "http_client.hpp"
#include "test_support.hpp"
#include "todoke/egov/simulator.hpp"
#include "todoke/signing/key_store.hpp"

namespace todoke::egov::testing {

struct Tokens {
    std::string access, refresh;
};

class SimTest : public ::testing::Test {
  protected:
    void SetUp() override;
    void TearDown() override;

    // Starts (or restarts) the simulator on the same data folder.
    void StartSim();
    boost::json::object Ready() const;

    detail::HttpReply Call(const std::string& method, const std::string& url,
                           const std::string& body = {},
                           std::vector<std::pair<std::string, std::string>> headers = {});
    // GET {auth}/auth, then POST {auth}/token with the code and the PKCE verifier.
    Tokens Login();
    detail::HttpReply Api(const std::string& method, const std::string& path,
                          const std::string& token, const std::string& body = {},
                          std::vector<std::pair<std::string, std::string>> headers = {});
    // {"proc_id": ..., "send_file": {...}} for a signed ZIP.
    static std::string ApplyBody(const std::string& proc_id, const std::string& zip);
    // The signed package of a sample record (forms + signing, as `todoke package` makes it).
    std::string SamplePackage(const std::string& sample, const std::string& type = "新規申請",
                              const std::string& first_arrive_id = "");
    static boost::json::object JsonOf(const detail::HttpReply& reply);

    ::todoke::testing::TempDir dir_;
    ::todoke::testing::TestPki pki_{dir_.path()};
    ::todoke::testing::IssuedCert ca_;
    ::todoke::testing::IssuedCert signer_;
    SimulatorConfig config_;
    std::unique_ptr<Simulator> sim_;
    detail::HttpClientOptions http_;
};

// A simulator with a logged-in client, and the rows of an error report as "file|item|content".
class ApiTest : public SimTest {
  protected:
    void SetUp() override {
        SimTest::SetUp();
        token_ = Login().access;
    }
    std::vector<std::string> Rows(const detail::HttpReply& reply) {
        std::vector<std::string> out;
        const auto json = JsonOf(reply);
        if (!json.contains("report_list")) return out;
        for (const auto& row : json.at("report_list").as_array()) {
            out.push_back(std::string(row.at("file_name").as_string()) + "|" +
                          std::string(row.at("item").as_string()) + "|" +
                          std::string(row.at("content").as_string()));
        }
        return out;
    }
    static bool AnyContains(const std::vector<std::string>& rows, const std::string& needle) {
        for (const auto& r : rows)
            if (r.find(needle) != std::string::npos) return true;
        return false;
    }
    std::string token_;
};

}  // namespace todoke::egov::testing
