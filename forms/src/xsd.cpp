#include "xsd.hpp"

#include <libxml/parser.h>
#include <libxml/xmlschemas.h>

#include <array>
#include <string>

#include "todoke/common/c_handle.hpp"

namespace todoke::forms::detail {
namespace {

using XmlDoc = CHandle<xmlDoc, &xmlFreeDoc>;
using ValidCtxt = CHandle<xmlSchemaValidCtxt, &xmlSchemaFreeValidCtxt>;
using ParserCtxt = CHandle<xmlSchemaParserCtxt, &xmlSchemaFreeParserCtxt>;

constexpr std::array<Schema, 7> kAll{
    Schema::kKousei,      Schema::kKoyoShutoku,  Schema::kKouseiTorisage, Schema::kTorisageirai,
    Schema::kSoukatsuhyo, Schema::kKoyoSoshitsu, Schema::kNendoKoshin};

xmlSchemaPtr Compile(Schema schema) {
    const std::string_view text = SchemaText(schema);
    ParserCtxt ctxt(xmlSchemaNewMemParserCtxt(text.data(), static_cast<int>(text.size())));
    return ctxt ? xmlSchemaParse(ctxt.get()) : nullptr;
}

xmlSchemaPtr Compiled(Schema schema) {
    // Compiled once and kept for the life of the process (never freed: libxml2 may already be
    // cleaned up when static destructors run).
    static const auto* compiled = [] {
        auto* all = new std::array<xmlSchemaPtr, kAll.size()>{};
        for (Schema s : kAll) {
            (*all)[static_cast<std::size_t>(s)] = Compile(s);
        }
        return all;
    }();
    return (*compiled)[static_cast<std::size_t>(schema)];
}

void CollectError(void* user, xmlErrorPtr error) {
    auto* first = static_cast<std::string*>(user);
    if (first->empty() && error != nullptr && error->message != nullptr) {
        *first = "line " + std::to_string(error->line) + ": " + error->message;
        while (!first->empty() && first->back() == '\n') {
            first->pop_back();
        }
    }
}

}  // namespace

Result<void> ValidateAgainstSchema(std::string_view xml, Schema schema, std::string_view what) {
    xmlSchemaPtr compiled = Compiled(schema);
    if (compiled == nullptr) {
        return Fail(ErrorCode::kInternal,
                    "the embedded schema for " + std::string(what) + " does not compile",
                    "forms.xsd");
    }
    XmlDoc doc(xmlReadMemory(xml.data(), static_cast<int>(xml.size()), "generated.xml", "UTF-8",
                             XML_PARSE_NONET | XML_PARSE_NOERROR | XML_PARSE_NOWARNING));
    if (!doc) {
        return Fail(ErrorCode::kInternal, "generated " + std::string(what) + " is not well-formed",
                    "forms.xsd");
    }
    ValidCtxt ctxt(xmlSchemaNewValidCtxt(compiled));
    std::string first_error;
    xmlSchemaSetValidStructuredErrors(ctxt.get(), CollectError, &first_error);
    if (xmlSchemaValidateDoc(ctxt.get(), doc.get()) != 0) {
        return Fail(ErrorCode::kInternal,
                    "generated " + std::string(what) + " does not match todoke's schema (" +
                        first_error + ")",
                    "forms.xsd");
    }
    return Ok();
}

}  // namespace todoke::forms::detail
