// The procedure catalogue: for each procedure its identifiers, the fields a record must carry
// and their rules, how each target renders them, and the correlation rules between fields.
// The tables are data (catalogue.cpp); generic code validates and renders from them.
// Identifiers the domain notes do not settle are marked unconfirmed (see `confirmed`).
// Immutable; thread-safe.
#pragma once

#include <deque>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "todoke/common/result.hpp"
#include "todoke/forms/record.hpp"
#include "todoke/forms/violation.hpp"
#include "todoke/forms/wareki.hpp"

namespace todoke::forms {

enum class FieldKind {
    kKanji,            // full-width text in JIS X 0208 (no half-width kana)
    kNameKanji,        // family and given name, one full-width space between
    kNameKana,         // full-width katakana, one full-width space between names
    kAddressKana,      // katakana, digits and hyphens (rendered half-width for CSV)
    kOfficeSymbol,     // 事業所記号: 1–4 alphanumerics or 1–4 katakana, not all zero
    kDigits,           // half-width digits, min_length..max_length of them
    kCode,             // one of `codes`
    kDate,             // ISO date
    kAmount,           // whole yen, 0..max_amount
    kFlag,             // true/false
    kMyNumber,         // 個人番号
    kCorporateNumber,  // 法人番号
    kKisoNenkin,       // 基礎年金番号 "1234-567890"
    kPostalCode,       // 7 digits
    kPhone,            // 00-0000-0000
    kEmail,
    kKoyoNumber,  // 雇用保険 被保険者番号 / 事業所番号 "1234-567890-1"
    kAlnum,       // half-width letters and digits, min_length..max_length
    kYearMonth,   // "YYYY-MM"
    kPerMille,    // a rate in ‰ with at most one decimal: "3", "15.5"
    kRodoNumber,  // 労働保険番号: 14 digits, 府県 2 + 所掌 1 + 管轄 2 + 基幹番号 6 + 枝番号 3
};

struct FieldSpec {
    std::string_view path;   // under the record ("employer.name") or a person ("name")
    std::string_view label;  // the form's item name, for messages: 氏名カナ
    FieldKind kind;
    bool required = false;
    bool personal = false;                // masked in error output
    int min_length = 0;                   // kDigits
    int max_length = 0;                   // kDigits: digits; text: characters (0 = no limit)
    int max_sjis_bytes = 0;               // text: Shift_JIS bytes (0 = no limit)
    std::vector<std::string_view> codes;  // kCode
    long long max_amount = 0;             // kAmount
    bool allow_zero = false;              // kDigits: "0", "00" are values, not blanks
};

// How one column of a 年金機構 CSV data row is made.
enum class CsvFormat {
    kFixed,          // `fixed`
    kText,           // the value as it is
    kHalfKana,       // converted to half-width kana
    kEraCode,        // date -> 年金機構 era code (1/3/5/7/9)
    kYymmdd,         // date -> era year + month + day
    kAmount7,        // yen, 7 digits zero-padded, 9999999 when larger
    kSumAmount7,     // sum of `path` and `path2`, as kAmount7
    kFlag1,          // true -> "1", else empty
    kBool01,         // true -> "1", false -> "0"
    kKisoOffice,     // 基礎年金番号 "1234-567890" -> "1234"
    kKisoSerial,     // -> "567890"
    kPostalHead,     // 郵便番号 -> first 3 digits
    kPostalTail,     // -> last 4 digits
    kYmEraCode,      // "YYYY-MM" -> 年金機構 era code
    kYmEraYear,      // "YYYY-MM" -> two-digit era year
    kYmMonth,        // "YYYY-MM" -> "MM"
    kPad2,           // digits, zero-padded to 2
    kThousand4,      // 千円 amount, zero-padded to 4
    kSanteiTotal,    // 算定/月変: the 総計 of the months that count (santei.hpp); `path`
                     // holds the month prefixes ("april,may,june" when empty)
    kSanteiAverage,  // 算定/月変: their average, truncated to the yen
    kBonusTotal,  // 賞与: 通貨 + 現物 truncated to the thousand yen, 9999000 from 10,000,000
};

struct CsvColumn {
    std::string_view label;
    CsvFormat format;
    std::string_view path;   // person field, or "employer...." / "record...." for the filing
    std::string_view path2;  // kSumAmount7
    std::string_view fixed;  // kFixed
};

struct PersonRef {
    const Record& record;
    const boost::json::object& person;
    std::size_t index;  // 0-based
};

// A correlation rule adds the violations it finds. `field` is relative to the person, or a
// record path when it starts with "employer.", "submitter." or "record.".
struct RuleHit {
    std::string field;  // person-relative path, e.g. "lost_on"
    Violation violation;
};
using CorrelationRule = void (*)(const PersonRef& p, Date today, std::vector<RuleHit>& out);
// A rule over the filing as a whole, run once per record; every `field` is a record path.
using RecordRule = void (*)(const Record& r, Date today, std::vector<RuleHit>& out);

enum class Channel {
    kNenkinCsv,    // e-Gov, CSV添付方式: 総括票 form XML + SHFD0006.CSV
    kEgovFormXml,  // e-Gov, 標準形式: one 申請書XML
};

struct Procedure {
    std::string_view id;    // catalogue key used in records: "kenpo_shutoku"
    std::string_view name;  // 健康保険・厚生年金保険 被保険者資格取得届
    Channel channel;
    std::string_view proc_id;  // e-Gov 手続ID
    std::string_view form_id;  // 様式ID of the 申請書XML (総括票 for CSV procedures)
    std::string_view form_version;
    std::string_view form_name;      // 申請書様式名称 in kousei.xml
    bool confirmed = false;          // false: proc_id/form_id are placeholders to configure
    std::string_view csv_form_code;  // 年金機構 様式コード, e.g. "2200700"
    std::vector<FieldSpec> employer_fields;
    std::vector<FieldSpec> person_fields;
    std::vector<CsvColumn> csv_columns;
    std::vector<CorrelationRule> rules;
    std::vector<RecordRule> record_rules;
    bool takes_persons = true;  // false: a filing of the 事業所 alone (年度更新), no "persons"
    int min_persons = 1;
    int max_persons = 0;  // 0: no limit (one 届 form per person: 1)
};

// Identifiers an operator configures for a procedure whose 手続ID/様式ID the domain notes do not
// confirm (settings "catalogue"). Empty members keep the catalogue's value.
struct ProcedureIdentifiers {
    std::string id;  // catalogue key, e.g. "koyo_soshitsu"
    std::string proc_id;
    std::string form_id;
    std::string form_version;
};

class Catalogue {
  public:
    static const Catalogue& Default();
    const Procedure* Find(std::string_view id) const;
    const std::vector<Procedure>& procedures() const { return procedures_; }

    // A copy with the given identifiers replaced; those procedures then count as confirmed.
    // Fails (field "catalogue.{id}.{member}") for an unknown procedure, a 手続ID that is not 16
    // half-width alphanumerics, a 様式ID that is not 18, or a 様式バージョン that is not 4 digits.
    Result<Catalogue> WithIdentifiers(const std::vector<ProcedureIdentifiers>& changes) const;

  private:
    explicit Catalogue(std::vector<Procedure> procedures);
    std::vector<Procedure> procedures_;
    // The text of configured identifiers, which the tables' string_views point into.
    std::vector<std::shared_ptr<const std::deque<std::string>>> owned_;
};

}  // namespace todoke::forms
