// The fixture of the pipeline's tests: the in-process simulator, an e-Gov client logged in to
// it, the pipeline run one stage pass at a time (RunOnce), and a store to look at the filings.
#pragma once

#include <boost/json.hpp>
#include <functional>

#include "sim_fixture.hpp"
#include "todoke/common/file.hpp"
#include "todoke/egov/client.hpp"
#include "todoke/forms/record.hpp"
#include "todoke/gateway/pipeline.hpp"
#include "todoke/gateway/record_attachments.hpp"

namespace todoke::gateway::testing {

using queue::FilingState;
using queue::Stage;

inline const std::string kDataKey(32, 'D');

// The states a filing went through, in order.
inline std::vector<std::string> Path(queue::Store& store, std::int64_t id) {
    auto history = store.History(id);
    EXPECT_TRUE(history);
    std::vector<std::string> path;
    for (const auto& h : *history) path.push_back(h.to);
    return path;
}

class PipelineTest : public egov::testing::SimTest {
  protected:
    void SetUp() override {
        SimTest::SetUp();
        config_.review_after_s = 60;
        config_.decide_after_s = 600;
        // 雇用保険 取得届: every second case gets a 補正 (部分補正).
        config_.scripts = {{"4950000020325000", 2, "部分補正"}};
        StartSim();
        client_ = MakeClient();
        ASSERT_TRUE(client_->Login(client_->ConsentByRedirect()));
        auto ca = signing::TrustStore::FromPemFiles(
            {std::string(Ready().at("official_ca_file").as_string())});
        ASSERT_TRUE(ca);
        official_ca_ = std::make_unique<signing::TrustStore>(std::move(*ca));
        keys_ = {::todoke::testing::LoadKey(signer_)};
        MakePipeline(*official_ca_);
        auto s = queue::OpenSqliteStore(StorePath(data_dir()), kDataKey, clock_);
        ASSERT_TRUE(s);
        store_ = std::move(*s);
    }

    std::filesystem::path data_dir() const { return dir_.path() / "data"; }

    std::unique_ptr<egov::EgovClient> MakeClient() {
        auto config = egov::ClientConfigFromReadyLine(
            sim_->ReadyLine(), dir_.path() / "tokens.sealed", std::string(32, 'K'));
        EXPECT_TRUE(config);
        egov::ClientConfig c = *config;
        c.timeout = std::chrono::seconds(20);
        auto client = egov::EgovClient::Create(c, clock_);
        EXPECT_TRUE(client);
        return std::move(*client);
    }

    void MakePipeline(const signing::TrustStore& government_ca,
                      const std::function<void(PipelineConfig&)>& edit = {}) {
        pipeline_.reset();
        PipelineConfig config;
        config.data_dir = data_dir();
        config.data_key = kDataKey;
        config.reconcile_after = std::chrono::milliseconds(0);
        config.poll_interval = std::chrono::milliseconds(0);
        config.portal_calls_per_second = 0;
        config.retry.initial = std::chrono::milliseconds(1);
        config.retry.budget = 3;
        if (edit) edit(config);
        auto p = Pipeline::Create(
            config, PipelineDeps{*pipeline_clock_, portal_ != nullptr ? *portal_ : *client_,
                                 forms::Catalogue::Default(), keys_, government_ca, nullptr});
        ASSERT_TRUE(p) << p.error().ToString();
        pipeline_ = std::move(*p);
    }

    std::int64_t Submit(const std::string& sample, const std::string& key,
                        const std::function<void(boost::json::object&)>& edit = {}) {
        const std::string path = std::string(TODOKE_SOURCE_DIR) + "/samples/records/" + sample;
        auto records = forms::ParseJsonRecords(::todoke::testing::ReadFile(path), path);
        EXPECT_TRUE(records);
        forms::Record& r = records->front();
        EXPECT_TRUE(EmbedAttachments(r));
        if (edit) edit(r.data);
        queue::NewFiling n;
        n.idempotency_key = key;
        n.company = "C-" + key;
        n.procedure = r.procedure();
        n.record_json = boost::json::serialize(r.data);
        auto e = store_->Enqueue(n, "test");
        EXPECT_TRUE(e) << e.error().ToString();
        return e ? e->id : 0;
    }

    // A record edit naming employer number `i` (0-9): the store sends one filing per procedure
    // and employer at a time, so filings meant to go out together need their own employers.
    static std::function<void(boost::json::object&)> Employer(int i) {
        static const char* const kDigits[] = {"０", "１", "２", "３", "４",
                                              "５", "６", "７", "８", "９"};
        return [i](boost::json::object& r) {
            r["employer"].as_object()["name"] = std::string("株式会社見本") + kDigits[i % 10];
        };
    }

    // Every stage once, `rounds` times.
    void Drive(int rounds = 3) {
        for (int i = 0; i < rounds; ++i) {
            for (const auto stage : {Stage::kPrepare, Stage::kSubmit, Stage::kReconcile,
                                     Stage::kTrack, Stage::kCollect}) {
                auto n = pipeline_->RunOnce(stage);
                ASSERT_TRUE(n) << n.error().ToString();
            }
            ASSERT_TRUE(pipeline_->RunDeliverOnce());
        }
    }

    void Run(Stage stage) { ASSERT_TRUE(pipeline_->RunOnce(stage)); }

    queue::Filing Get(std::int64_t id) {
        auto f = store_->Find(id);
        EXPECT_TRUE(f && *f);
        return f && *f ? **f : queue::Filing{};
    }

    void Advance(int seconds) {
        Call("POST", sim_->api_base() + "/_sim/clock",
             R"({"advance_seconds": )" + std::to_string(seconds) + "}");
    }
    void Faults(const std::string& json) { Call("POST", sim_->api_base() + "/_sim/faults", json); }

    std::vector<egov::Case> Cases() {
        auto listed = client_->ListCases("2020-01-01", "2099-12-31");
        EXPECT_TRUE(listed);
        return listed ? *listed : std::vector<egov::Case>{};
    }

    SystemClock clock_;
    const Clock* pipeline_clock_ = &clock_;  // the pipeline's; a test may give it a FakeClock
    egov::Portal* portal_ = nullptr;         // the pipeline's portal; none: client_
    std::unique_ptr<egov::EgovClient> client_;
    std::unique_ptr<signing::TrustStore> official_ca_;
    std::vector<signing::SigningKey> keys_;
    std::unique_ptr<Pipeline> pipeline_;
    std::unique_ptr<queue::Store> store_;
};

}  // namespace todoke::gateway::testing
