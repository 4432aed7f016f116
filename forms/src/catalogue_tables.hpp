// The procedure tables of the catalogue, one function per procedure (catalogue_*.cpp).
#pragma once

#include "todoke/forms/catalogue.hpp"

namespace todoke::forms::detail {

// 日本年金機構 (健康保険・厚生年金保険) procedures, CSV添付方式: catalogue_nenkin.cpp.
Procedure KenpoShutoku();
Procedure KenpoSoshitsu();
Procedure KenpoSantei();
Procedure KenpoShoyo();
Procedure KenpoGetsuhen();
// 雇用保険 procedures, e-Gov form XML: catalogue_koyo.cpp.
Procedure KoyoShutoku();
Procedure KoyoSoshitsu();

}  // namespace todoke::forms::detail
