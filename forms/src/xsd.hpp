// XSD validation of the XML todoke generates, against todoke's own schemas (forms/schemas/),
// embedded into the binary at build time. A generated file that does not validate is a bug in
// a renderer, reported as kInternal with field "forms.xsd" and the schema's first complaint.
#pragma once

#include <string_view>

#include "todoke/common/result.hpp"

namespace todoke::forms::detail {

enum class Schema {
    kKousei,
    kKoyoShutoku,
    kKouseiTorisage,
    kTorisageirai,
    kSoukatsuhyo,
    kKoyoSoshitsu,
    kNendoKoshin
};

std::string_view SchemaText(Schema schema);

// Thread-safe: the compiled schemas are shared read-only; each call has its own context.
Result<void> ValidateAgainstSchema(std::string_view xml, Schema schema, std::string_view what);

}  // namespace todoke::forms::detail
