#include "egov_form.hpp"

#include <array>
#include <boost/json.hpp>
#include <cstdio>

#include "todoke/common/xml_writer.hpp"
#include "todoke/forms/identifiers.hpp"
#include "todoke/forms/nendo_koshin.hpp"

namespace todoke::forms::detail {
namespace {

std::string Text(const boost::json::object& o, std::string_view path) {
    return GetText(o, path).value_or("");
}

// A date group in e-Gov's "パターン1 年号年" form: 年号 in kanji, numbers unpadded.
Result<void> DateGroup(XmlWriter& w, std::string_view element, std::string_view iso) {
    w.Open(element);
    if (iso.empty()) {
        for (const char* part : {"年号", "年", "月", "日"}) {
            w.Leaf(part, "");
        }
    } else {
        TODOKE_ASSIGN_OR_RETURN(Date d, ParseIsoDate(iso));
        TODOKE_ASSIGN_OR_RETURN(Wareki wa, ToWareki(d));
        w.Leaf("年号", EraKanji(wa.era));
        w.Leaf("年", std::to_string(wa.year));
        w.Leaf("月", std::to_string(wa.month));
        w.Leaf("日", std::to_string(wa.day));
    }
    w.Close();
    return Ok();
}

// "1301-123456-7" into the 4桁 / 6桁 / CD elements of `prefix`.
void NumberGroup(XmlWriter& w, std::string_view prefix, const std::string& value) {
    const auto parts = SplitHyphenated(value);
    const std::string p(prefix);
    w.Open(p);
    w.Leaf(p + "4桁", parts[0]);
    w.Leaf(p + "6桁", parts[1]);
    w.Leaf(p + "CD", parts[2]);
    w.Close();
}

// "03-1234-5678" as <電話番号><市外局番/><市内局番/><加入者番号/></電話番号>.
void PhoneGroup(XmlWriter& w, const std::string& phone) {
    const auto parts = SplitHyphenated(phone);
    w.Open("電話番号");
    w.Leaf("市外局番", parts[0]);
    w.Leaf("市内局番", parts[1]);
    w.Leaf("加入者番号", parts[2]);
    w.Close();
}

// The common DataRoot head of an e-Gov 申請書XML (egov-api.md §10).
void WriteHead(XmlWriter& w, const Procedure& procedure) {
    const std::string stylesheet = std::string(procedure.form_id) + ".xsl";
    w.Declaration();
    w.Stylesheet(stylesheet);
    w.Open("DataRoot");
    w.Leaf("様式ID", procedure.form_id);
    w.Leaf("様式バージョン", procedure.form_version);
    w.Leaf("STYLESHEET", stylesheet);
    w.Leaf("様式コピー情報", "0");
}

// The items of a 社会保険労務士記載欄 (opened by the caller): filled when a 社労士 files on
// behalf of the employer, empty otherwise.
Result<void> SharoushiItems(XmlWriter& w, const boost::json::object& r, Date submitted_on) {
    const bool sharoushi = Text(r, "submitter.kind") == "sharoushi";
    TODOKE_RETURN_IF_ERROR(
        DateGroup(w, "作成年月日", sharoushi ? FormatIsoDate(submitted_on) : std::string()));
    w.Leaf("提出代行者事務代理者の表示", sharoushi ? "提出代行者" : "");
    w.Leaf("氏名", sharoushi ? Text(r, "submitter.name") : "");
    w.Leaf("電話番号", sharoushi ? Text(r, "submitter.phone") : "");
    return Ok();
}

// 一週間の所定労働時間 of a 雇用保険 form.
void WeeklyHours(XmlWriter& w, const boost::json::object& person) {
    w.Open("一週間の所定労働時間");
    w.Leaf("時間", Text(person, "weekly_hours"));
    w.Leaf("分", Text(person, "weekly_minutes"));
    w.Close();
}

// The end of a 雇用保険 form: 事業所名称, 備考欄_申請者, 事業主, 届出年月日, あて先,
// 社会保険労務士記載欄 (§4.7).
Result<void> WriteKoyoTail(XmlWriter& w, const boost::json::object& r,
                           const boost::json::object& person, Date submitted_on) {
    w.Leaf("事業所名称", Text(r, "employer.name"));
    w.Open("備考欄_申請者");
    w.Leaf("備考", Text(person, "remarks"));
    w.Close();
    w.Open("事業主");
    w.Leaf("住所", Text(r, "employer.address"));
    w.Leaf("氏名", Text(r, "employer.owner_name"));
    PhoneGroup(w, Text(r, "employer.phone"));
    w.Close();
    TODOKE_RETURN_IF_ERROR(DateGroup(w, "届出年月日", FormatIsoDate(submitted_on)));
    w.Leaf("あて先", Text(r, "employer.koyo.destination"));
    w.Open("社会保険労務士記載欄");
    TODOKE_RETURN_IF_ERROR(SharoushiItems(w, r, submitted_on));
    w.Leaf("付記欄", "");
    w.Close();
    w.Leaf("備考欄_職員", "");
    w.Leaf("Xmit", "");
    return Ok();
}

}  // namespace

Result<std::string> RenderKoyoShutokuForm(const Procedure& procedure, const Record& record,
                                          Date submitted_on) {
    const auto& person = record.data.at("persons").as_array().at(0).as_object();
    const auto& r = record.data;
    XmlWriter w("\r\n");
    WriteHead(w, procedure);
    w.Leaf("帳票種別", "13101");
    NumberGroup(w, "被保険者番号", Text(person, "insured_number"));
    w.Leaf("取得", Text(person, "acquisition_kind"));
    w.Leaf("被保険者氏名", Text(person, "name"));
    w.Leaf("被保険者氏名フリガナ", Text(person, "name_kana"));
    w.Leaf("変更後の氏名", "");
    w.Leaf("変更後の氏名フリガナ", "");
    w.Leaf("性別", Text(person, "gender") == "female" ? "女" : "男");
    TODOKE_RETURN_IF_ERROR(DateGroup(w, "生年月日", Text(person, "birth_date")));
    NumberGroup(w, "事業所番号", Text(r, "employer.koyo.office_number"));
    TODOKE_RETURN_IF_ERROR(DateGroup(w, "資格取得年月日", Text(person, "acquired_on")));
    w.Leaf("被保険者となったことの原因", Text(person, "cause"));
    w.Open("賃金");
    w.Leaf("支払の態様", Text(person, "wage_payment_mode"));
    w.Leaf("賃金月額", Text(person, "wage_monthly_thousand_yen"));
    w.Close();
    w.Leaf("雇用形態", Text(person, "employment_type"));
    w.Leaf("職種", Text(person, "occupation"));
    w.Leaf("取得時被保険者種類区分", "");
    w.Leaf("番号複数取得チェック不要", "");
    // The children of 契約期間の定め are not in the domain notes; the group stays empty
    // (forms-and-data.md §4.7 names them only as 有/無, 開始, 終了, 契約更新条項有無).
    w.Leaf("契約期間の定め", "");
    WeeklyHours(w, person);
    TODOKE_RETURN_IF_ERROR(WriteKoyoTail(w, r, person, submitted_on));
    return w.Finish();
}

Result<std::string> RenderKoyoSoshitsuForm(const Procedure& procedure, const Record& record,
                                           Date submitted_on) {
    const auto& person = record.data.at("persons").as_array().at(0).as_object();
    const auto& r = record.data;
    XmlWriter w("\r\n");
    WriteHead(w, procedure);
    NumberGroup(w, "被保険者番号", Text(person, "insured_number"));
    NumberGroup(w, "事業所番号", Text(r, "employer.koyo.office_number"));
    TODOKE_RETURN_IF_ERROR(DateGroup(w, "資格取得年月日", Text(person, "acquired_on")));
    TODOKE_ASSIGN_OR_RETURN(Date separated, ParseIsoDate(Text(person, "separated_on")));
    // The insurance ends the day after the last day (離職等年月日 + 1; §4.8).
    TODOKE_RETURN_IF_ERROR(DateGroup(w, "離職等年月日", FormatIsoDate(separated)));
    TODOKE_RETURN_IF_ERROR(DateGroup(w, "資格喪失年月日", FormatIsoDate(AddDays(separated, 1))));
    w.Leaf("喪失原因", Text(person, "loss_cause"));
    w.Leaf("離職票交付希望", Text(person, "separation_slip"));
    WeeklyHours(w, person);
    w.Leaf("補充採用予定の有無", Text(person, "replacement_planned") == "1" ? "有" : "無");
    w.Leaf("被保険者氏名", Text(person, "name"));
    w.Leaf("被保険者氏名フリガナ", Text(person, "name_kana"));
    w.Leaf("新氏名", Text(person, "new_name"));
    w.Leaf("新氏名フリガナ", Text(person, "new_name_kana"));
    w.Leaf("性別", Text(person, "gender") == "female" ? "女" : "男");
    TODOKE_RETURN_IF_ERROR(DateGroup(w, "生年月日", Text(person, "birth_date")));
    w.Leaf("個人番号", Text(person, "my_number"));
    w.Leaf("被保険者の住所又は居所", Text(person, "address_after"));
    TODOKE_RETURN_IF_ERROR(WriteKoyoTail(w, r, person, submitted_on));
    return w.Finish();
}

namespace {

std::string RateText(int tenths) {
    return std::to_string(tenths / 10) + "." + std::to_string(tenths % 10);
}

// One line of a 算定内訳: 算定基礎額 (千円), 保険料率 (‰), 保険料額 (円).
void PremiumGroup(XmlWriter& w, std::string_view element, const PremiumLine& line) {
    w.Open(element);
    w.Leaf("算定基礎額", std::to_string(line.base_thousand_yen));
    w.Leaf("保険料率", line.rate_tenths > 0 ? RateText(line.rate_tenths) : "");
    w.Leaf("保険料額", std::to_string(line.premium));
    w.Close();
}

// The period of a 保険年度: 4月1日 of `year` to 3月31日 of the next.
Result<void> YearPeriod(XmlWriter& w, int year) {
    w.Open("期間");
    TODOKE_RETURN_IF_ERROR(DateGroup(w, "開始", FormatIsoDate({year, 4, 1})));
    TODOKE_RETURN_IF_ERROR(DateGroup(w, "終了", FormatIsoDate({year + 1, 3, 31})));
    w.Close();
    return Ok();
}

}  // namespace

Result<std::string> RenderNendoKoshinForm(const Procedure& procedure, const Record& record,
                                          Date submitted_on) {
    const auto& r = record.data;
    const auto* declaration = r.if_contains("declaration");
    const auto result = declaration != nullptr && declaration->is_object()
                            ? ComputeNendoKoshin(declaration->as_object())
                            : std::nullopt;
    if (!result) {
        return Fail(ErrorCode::kInvalidArgument,
                    "the 年度更新 amounts cannot be computed: validate the record first",
                    "declaration");
    }
    const int year = std::stoi(Text(r, "declaration.fiscal_year"));
    // The 年度 is named by the era of its May (2019 is 令和元年度, though April was 平成).
    TODOKE_ASSIGN_OR_RETURN(Wareki fiscal, ToWareki({year, 5, 1}));
    XmlWriter w("\r\n");
    WriteHead(w, procedure);
    const std::string number = Text(r, "employer.rodo.insurance_number");
    w.Open("労働保険番号");
    w.Leaf("府県", number.substr(0, 2));
    w.Leaf("所掌", number.substr(2, 1));
    w.Leaf("管轄", number.substr(3, 2));
    w.Leaf("基幹番号", number.substr(5, 6));
    w.Leaf("枝番号", number.substr(11, 3));
    w.Close();
    w.Open("年度");
    w.Leaf("年号", EraKanji(fiscal.era));
    w.Leaf("年", std::to_string(fiscal.year));
    w.Close();
    w.Open("確定保険料算定内訳");
    TODOKE_RETURN_IF_ERROR(YearPeriod(w, year - 1));
    PremiumGroup(w, "労災保険分", result->final_rosai);
    PremiumGroup(w, "雇用保険分", result->final_koyo);
    w.Leaf("確定保険料額", std::to_string(result->final_total));
    w.Close();
    w.Open("一般拠出金");
    w.Leaf("算定基礎額", std::to_string(result->final_rosai.base_thousand_yen));
    w.Leaf("率", "0.02");
    w.Leaf("額", std::to_string(result->contribution));
    w.Close();
    w.Open("概算保険料算定内訳");
    TODOKE_RETURN_IF_ERROR(YearPeriod(w, year));
    PremiumGroup(w, "労災保険分", result->estimate_rosai);
    PremiumGroup(w, "雇用保険分", result->estimate_koyo);
    w.Leaf("概算保険料額", std::to_string(result->estimate_total));
    w.Close();
    w.Leaf("申告済概算保険料額", std::to_string(result->paid_estimate));
    w.Open("差引額");
    w.Leaf("充当額", std::to_string(result->applied));
    w.Leaf("還付額", std::to_string(result->refund));
    w.Leaf("不足額", std::to_string(result->shortfall));
    w.Close();
    w.Open("延納の申請");
    const int periods = result->installments;
    w.Leaf("納付回数", std::to_string(periods));
    w.Close();
    w.Open("期別納付額");
    for (int i = 0; i < periods; ++i) {
        const NendoPeriod& p = result->periods[static_cast<std::size_t>(i)];
        w.Open("期");
        w.Leaf("期別", std::to_string(i + 1));
        w.Leaf("概算保険料額", std::to_string(p.estimate));
        w.Leaf("充当額", std::to_string(p.applied));
        w.Leaf("不足額", std::to_string(p.shortfall));
        w.Leaf("一般拠出金", std::to_string(p.contribution));
        w.Leaf("納付額", std::to_string(p.payable));
        w.Close();
    }
    w.Close();
    w.Open("事業");
    w.Leaf("郵便番号", Text(r, "employer.postal_code"));
    w.Leaf("所在地", Text(r, "employer.address"));
    w.Leaf("名称", Text(r, "employer.name"));
    PhoneGroup(w, Text(r, "employer.phone"));
    w.Close();
    w.Leaf("事業の種類", Text(r, "employer.rodo.business_kind"));
    w.Open("事業主");
    w.Leaf("氏名", Text(r, "employer.owner_name"));
    w.Close();
    TODOKE_RETURN_IF_ERROR(DateGroup(w, "申告年月日", FormatIsoDate(submitted_on)));
    w.Open("社会保険労務士記載欄");
    TODOKE_RETURN_IF_ERROR(SharoushiItems(w, r, submitted_on));
    w.Close();
    return w.Finish();
}

const FormRenderer* FormRendererFor(std::string_view procedure_id) {
    static constexpr FormRenderer kRenderers[] = {
        {"koyo_shutoku", RenderKoyoShutokuForm, Schema::kKoyoShutoku},
        {"koyo_soshitsu", RenderKoyoSoshitsuForm, Schema::kKoyoSoshitsu},
        {"rodo_nendo_koshin", RenderNendoKoshinForm, Schema::kNendoKoshin},
    };
    for (const auto& r : kRenderers) {
        if (r.procedure == procedure_id) {
            return &r;
        }
    }
    return nullptr;
}

Result<std::string> RenderSoukatsuhyo(const Procedure& procedure, const Record& record,
                                      const NenkinCsvPart& part, Date submitted_on) {
    const auto& r = record.data;
    XmlWriter w("\r\n");
    WriteHead(w, procedure);
    TODOKE_RETURN_IF_ERROR(DateGroup(w, "提出年月日", FormatIsoDate(submitted_on)));
    w.Open("事業所整理記号");
    w.Leaf("都道府県コード", Text(r, "employer.nenkin.prefecture_code"));
    w.Leaf("郡市区符号", Text(r, "employer.nenkin.city_code"));
    w.Leaf("事業所記号", Text(r, "employer.nenkin.office_symbol"));
    w.Close();
    w.Leaf("事業所番号", Text(r, "employer.nenkin.office_number"));
    w.Open("事業所所在地");
    w.Leaf("郵便番号", Text(r, "employer.postal_code"));
    w.Leaf("所在地", Text(r, "employer.address"));
    w.Close();
    w.Leaf("事業所名称", Text(r, "employer.name"));
    w.Leaf("事業主氏名", Text(r, "employer.owner_name"));
    PhoneGroup(w, Text(r, "employer.phone"));
    w.Open("届書情報");
    w.Leaf("届書コード", procedure.csv_form_code);
    w.Leaf("届書名称", procedure.name);
    w.Leaf("件数", std::to_string(part.person_count));
    w.Close();
    char serial[8];
    std::snprintf(serial, sizeof serial, "%03d", part.media_serial);
    w.Open("添付ファイル");
    w.Leaf("ファイル名称", kNenkinCsvFileName);
    w.Leaf("媒体通番", serial);
    w.Close();
    const bool sharoushi = Text(r, "submitter.kind") == "sharoushi";
    w.Open("社会保険労務士記載欄");
    w.Leaf("氏名", sharoushi ? Text(r, "submitter.name") : "");
    w.Leaf("電話番号", sharoushi ? Text(r, "submitter.phone") : "");
    w.Close();
    w.Leaf("備考", "");
    return w.Finish();
}

}  // namespace todoke::forms::detail
