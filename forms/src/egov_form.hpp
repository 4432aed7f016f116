// Renderers of e-Gov 申請書XML (標準形式) for the procedures that use them.
#pragma once

#include <string>

#include "todoke/common/result.hpp"
#include "todoke/forms/catalogue.hpp"
#include "todoke/forms/nenkin_csv.hpp"
#include "todoke/forms/record.hpp"
#include "todoke/forms/wareki.hpp"
#include "xsd.hpp"

namespace todoke::forms::detail {

// 雇用保険被保険者資格取得届 (様式 495000020325029841, forms-and-data.md §4.7) for the record's
// one person, dated `submitted_on`.
Result<std::string> RenderKoyoShutokuForm(const Procedure& procedure, const Record& record,
                                          Date submitted_on);

// 雇用保険被保険者資格喪失届 for the record's one person. UNCONFIRMED element names: the domain
// notes give the paper items only (forms-and-data.md §4.8); see forms/schemas/koyo_soshitsu.xsd.
Result<std::string> RenderKoyoSoshitsuForm(const Procedure& procedure, const Record& record,
                                           Date submitted_on);

// 労働保険概算・確定保険料申告書 (継続事業) of a 年度更新 record, with the amounts of
// nendo_koshin.hpp. UNCONFIRMED element names: see forms/schemas/rodo_nendo_koshin.xsd.
Result<std::string> RenderNendoKoshinForm(const Procedure& procedure, const Record& record,
                                          Date submitted_on);

// The form renderer of a 標準形式 procedure and the schema its output must meet; nullptr for a
// procedure without one (the CSV添付方式 procedures render a 総括票).
struct FormRenderer {
    std::string_view procedure;
    Result<std::string> (*render)(const Procedure&, const Record&, Date);
    Schema schema;
};
const FormRenderer* FormRendererFor(std::string_view procedure_id);

// The CSV形式届書総括票 that accompanies one SHFD0006.CSV of a 日本年金機構 CSV添付方式
// application: the 事業所, the kind and number of 届書 in the CSV, its 媒体通番. UNCONFIRMED
// element names (forms/schemas/soukatsuhyo.xsd says why).
Result<std::string> RenderSoukatsuhyo(const Procedure& procedure, const Record& record,
                                      const NenkinCsvPart& part, Date submitted_on);

}  // namespace todoke::forms::detail
