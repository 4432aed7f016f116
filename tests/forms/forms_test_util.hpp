// Shared helpers of the forms tests: reading samples and golden files from the source tree.
#pragma once

#include <gtest/gtest.h>

#include <algorithm>
#include <cstdlib>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include "todoke/forms/record.hpp"
#include "todoke/forms/record_validator.hpp"

namespace todoke::forms::test {

inline std::string ReadFile(const std::string& path) {
    std::ifstream in(path, std::ios::binary);
    std::ostringstream s;
    s << in.rdbuf();
    return s.str();
}

// The source tree (ctest sets TODOKE_SOURCE_DIR).
inline std::string SourceDir() {
    const char* dir = std::getenv("TODOKE_SOURCE_DIR");
    return dir != nullptr ? dir : ".";
}

inline std::string Sample(const std::string& name) {
    return ReadFile(SourceDir() + "/samples/records/" + name);
}

inline std::string Golden(const std::string& name) {
    return ReadFile(SourceDir() + "/tests/forms/golden/" + name);
}

// A test on one sample record: Person(i) to change it, Errors() as "field:rule" for every
// violation found at `today`, Has(field_rule).
class SampleRecordTest : public ::testing::Test {
  protected:
    SampleRecordTest(std::string sample, Date today) : sample_(std::move(sample)), today_(today) {}
    void SetUp() override {
        auto records = ParseJsonRecords(Sample(sample_), sample_);
        ASSERT_TRUE(records) << records.error().ToString();
        record_ = std::move(records->front());
    }
    boost::json::object& Person(std::size_t i = 0) {
        return record_.data["persons"].as_array()[i].as_object();
    }
    std::vector<std::string> Errors() {
        std::vector<std::string> out;
        for (const auto& e : ValidateRecord(record_, Catalogue::Default(), today_)) {
            out.push_back(e.field + ":" + e.rule);
        }
        return out;
    }
    bool Has(const std::string& field_rule) {
        const auto all = Errors();
        return std::find(all.begin(), all.end(), field_rule) != all.end();
    }
    std::string sample_;
    Date today_;
    Record record_;
};

}  // namespace todoke::forms::test
