// gateway::SignAndZip lends the rendered form files to the signer instead of copying them: the
// ZIP must still hold every file exactly as rendered, and the signature must cover those bytes.
#include "todoke/gateway/package_builder.hpp"

#include <gtest/gtest.h>

#include "test_support.hpp"
#include "todoke/common/zip.hpp"
#include "todoke/forms/package.hpp"
#include "todoke/forms/record.hpp"
#include "todoke/signing/verifier.hpp"

namespace todoke::gateway {
namespace {

using ::todoke::testing::TestNow;

class PackageBuilderTest : public ::testing::Test {
  protected:
    ::todoke::testing::TempDir dir_;
    ::todoke::testing::TestPki pki_{dir_.path()};
    ::todoke::testing::IssuedCert ca_ =
        pki_.Issue("ca", {.common_name = "Test CA", .is_ca = true}, nullptr);
    std::vector<signing::SigningKey> keys_{
        ::todoke::testing::LoadKey(pki_.Issue("s1", {.common_name = "Sharoushi One"}, &ca_))};
    signing::TrustStore trust_ = *signing::TrustStore::FromPemFiles({ca_.cert_path});

    forms::ApplicationFiles Render(const std::string& sample) {
        auto records =
            forms::ParseJsonRecords(::todoke::testing::ReadFile(std::string(TODOKE_SOURCE_DIR) +
                                                                "/samples/records/" + sample),
                                    sample);
        EXPECT_TRUE(records);
        const forms::Procedure* p = forms::Catalogue::Default().Find(records->front().procedure());
        forms::PackageOptions options;
        options.submitted_on = {2026, 11, 20};
        options.attachments.push_back(
            {"提出代行に関する証明書", "teishutsudaiko.pdf", "%PDF-1.4\n%%EOF\n"});
        auto files = forms::RenderApplication(*p, records->front(), options);
        EXPECT_TRUE(files) << files.error().ToString();
        return files ? *files : forms::ApplicationFiles{};
    }
};

TEST_F(PackageBuilderTest, TheZipHoldsEveryRenderedFileAsItWasAndTheSignatureCoversIt) {
    for (const std::string sample : {"kenpo_santei.json", "koyo_shutoku.json"}) {
        SCOPED_TRACE(sample);
        const forms::ApplicationFiles rendered = Render(sample);
        ASSERT_GE(rendered.files.size(), 3u);  // kousei, a form file, the PDF
        auto zip = SignAndZip(rendered, keys_, TestNow());
        ASSERT_TRUE(zip) << zip.error().ToString();
        auto reader = ZipReader::Open(*zip, {});
        ASSERT_TRUE(reader);
        for (std::size_t i = 1; i < rendered.files.size(); ++i) {
            const auto& f = rendered.files[i];
            auto bytes = reader->Read(rendered.folder + f.name);
            ASSERT_TRUE(bytes) << f.name;
            EXPECT_FALSE(bytes->empty()) << f.name;
            EXPECT_EQ(*bytes, f.bytes) << f.name;
        }
        auto report = signing::VerifyApplicationPackage(*zip, trust_, TestNow());
        ASSERT_TRUE(report) << report.error().ToString();
        ASSERT_EQ(report->applications.size(), 1u);
    }
}

TEST_F(PackageBuilderTest, AFormFileTheKouseiListsButTheFolderLacksFailsAndNamesIt) {
    forms::ApplicationFiles rendered = Render("koyo_shutoku.json");
    const std::string form = rendered.files[1].name;
    rendered.files.erase(rendered.files.begin() + 1);
    auto zip = SignAndZip(rendered, keys_, TestNow());
    ASSERT_FALSE(zip);
    EXPECT_NE(zip.error().message.find(form), std::string::npos) << zip.error().message;
}

}  // namespace
}  // namespace todoke::gateway
