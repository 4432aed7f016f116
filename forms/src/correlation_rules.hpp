// Correlation rules between the fields of one person (and its filing), named in the catalogue.
#pragma once

#include "todoke/forms/catalogue.hpp"

namespace todoke::forms::rules {

// 取得届: with 個人番号, items 14, 15 and 29–32 (reason, postal code, address) stay empty;
// without it, 郵便番号 and 住所カナ are required (§4.1).
void ShutokuMyNumberOrAddress(const PersonRef& p, Date today, std::vector<RuleHit>& out);
// 取得届: 資格取得年月日 in 平成/令和, not after today, after the birth date; with the 70歳以上
// flag not before the 70th birthday - 1 day; the birth date not after today.
void ShutokuDates(const PersonRef& p, Date today, std::vector<RuleHit>& out);
// 取得届: 合計 = 通貨 + 現物 must be at least 1,000 yen.
void ShutokuPayTotal(const PersonRef& p, Date today, std::vector<RuleHit>& out);
// 郡市区符号 not 00/99 (an employer field: reported once, with the first person).
void NenkinCityCode(const PersonRef& p, Date today, std::vector<RuleHit>& out);

// 喪失届: without 個人番号, the 基礎年金番号 is required (items 12–13).
void SoshitsuIdentity(const PersonRef& p, Date today, std::vector<RuleHit>& out);
// 喪失届 (§4.2): 退職日/死亡日 exactly for 原因 4/5; then 資格喪失年月日 = that day + 1 (unless
// only the 70歳以上被用者届 is filed); 不該当年月日 = that day itself; 原因 7 from the 75th
// birthday; 平成/令和, after the birth date, not after the check date.
void SoshitsuDates(const PersonRef& p, Date today, std::vector<RuleHit>& out);
// 算定基礎届 (§4.3): 適用年月 is a September; 昇(降)給月 and 区分 both or neither; 遡及支払額
// exactly with 遡及支払月; 支払基礎日数 0–31; at least one month counts and the average is at
// least 1,000 yen; 個人番号 only for a 70歳以上被用者.
void Santei(const PersonRef& p, Date today, std::vector<RuleHit>& out);
// 月額変更届 (§4.4): the three 給与支給月 consecutive and 改定年月 the month after the last;
// every month's 支払基礎日数 at least 17 (11 for a 短時間労働者) and at most 31; the average at
// least 1,000 yen; 遡及支払額 exactly with 遡及支払月; 個人番号 only for a 70歳以上被用者.
void Getsuhen(const PersonRef& p, Date today, std::vector<RuleHit>& out);
// 賞与支払届 (§4.5): 賞与支払年月日 in 平成/令和, not after the check date; 初回支払日 1–31.
void Shoyo(const PersonRef& p, Date today, std::vector<RuleHit>& out);
// 雇用保険 取得届: 再取得 (2) needs the 被保険者番号; 資格取得年月日 not after today and after
// the birth date.
void KoyoShutoku(const PersonRef& p, Date today, std::vector<RuleHit>& out);

// 雇用保険 喪失届 (§4.8): 離職等年月日 not after the check date and not before the 資格取得年月日;
// 離職票 required (交付希望 1) for a person aged 59 or more on the day of leaving; 新氏名 and its
// フリガナ together; the 離職後の住所 needed when a 離職票 is asked for.
void KoyoSoshitsu(const PersonRef& p, Date today, std::vector<RuleHit>& out);

// 労働保険 年度更新 (a record rule; nendo_koshin.hpp): the 保険年度 from 2020 to next year's;
// a 保険料率 with every non-zero 算定基礎額, above 0 and at most 100 ‰; 延納 only from the
// 概算保険料額 the 徴収法 sets.
void NendoKoshin(const Record& r, Date today, std::vector<RuleHit>& out);

}  // namespace todoke::forms::rules
