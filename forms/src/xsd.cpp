#include "xsd.hpp"

#include <libxml/parser.h>
#include <libxml/xmlerror.h>
#include <libxml/xmlschemas.h>

#include <array>
#include <string>

#include "todoke/common/c_handle.hpp"

namespace todoke::forms::detail {
namespace {

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
    // Checked as it is parsed (SAX), without building a tree only to throw it away: the
    // documents are ours, generated a moment ago, and a tree costs more than the check.
    xmlParserInputBufferPtr input = xmlParserInputBufferCreateMem(
        xml.data(), static_cast<int>(xml.size()), XML_CHAR_ENCODING_UTF8);
    if (input == nullptr) {
        return Fail(ErrorCode::kInternal, "out of memory reading " + std::string(what),
                    "forms.xsd");
    }
    ValidCtxt ctxt(xmlSchemaNewValidCtxt(compiled));
    std::string first_error;
    xmlSchemaSetValidStructuredErrors(ctxt.get(), CollectError, &first_error);
    // The parser xmlSchemaValidateStream makes has no options of ours, and reports what is
    // not well-formed to this thread's handler: collect it there for the time of the call.
    const xmlStructuredErrorFunc thread_handler = xmlStructuredError;
    void* const thread_context = xmlStructuredErrorContext;
    xmlSetStructuredErrorFunc(&first_error, CollectError);
    // The parser made for the stream owns `input` from here on, and frees it.
    const int result =
        xmlSchemaValidateStream(ctxt.get(), input, XML_CHAR_ENCODING_UTF8, nullptr, nullptr);
    xmlSetStructuredErrorFunc(thread_context, thread_handler);
    if (result != 0) {
        return Fail(ErrorCode::kInternal,
                    "generated " + std::string(what) + " does not match todoke's schema (" +
                        (first_error.empty() ? "error " + std::to_string(result) : first_error) +
                        ")",
                    "forms.xsd");
    }
    return Ok();
}

}  // namespace todoke::forms::detail
