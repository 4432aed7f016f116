#include "todoke/common/runtime.hpp"

#include <libxml/parser.h>
#include <libxml/xmlerror.h>

namespace todoke {
namespace {

// Every external resource (DTD, entity, XInclude target) is refused. libxml2 2.9 has no
// XML_PARSE_NO_XXE; this loader is the equivalent for the whole process.
xmlParserInputPtr RefuseExternalEntity(const char* /*url*/, const char* /*id*/,
                                       xmlParserCtxtPtr /*ctxt*/) {
    return nullptr;
}

// Parse errors are read from the parser context by the caller; nothing goes to stderr.
void SilentStructuredError(void* /*user*/, xmlErrorPtr /*error*/) {}

}  // namespace

LibraryRuntime::LibraryRuntime() {
    xmlInitParser();
    xmlSetExternalEntityLoader(RefuseExternalEntity);
    xmlSetStructuredErrorFunc(nullptr, SilentStructuredError);
}

LibraryRuntime::~LibraryRuntime() { xmlCleanupParser(); }

}  // namespace todoke
