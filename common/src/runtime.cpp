#include "todoke/common/runtime.hpp"

#include <libxml/parser.h>
#include <libxml/xmlerror.h>
#include <malloc.h>
#include <pthread.h>

#include <cstdlib>
#include <ctime>
#include <string>

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
    // zlib allocates ~270 KB of state per deflate stream and OpenSSL, libxml2 and libzip
    // allocate and free similar blocks per package. With glibc's default 128 KB trim threshold
    // every free hands that memory back to the kernel and the next package page-faults it in
    // again: measured 4x slower package signing. Keep up to 64 MB of freed heap instead.
    mallopt(M_TRIM_THRESHOLD, 64 << 20);
    mallopt(M_TOP_PAD, 16 << 20);
    // Setting those also ends glibc's sliding mmap threshold, which would otherwise have
    // risen to fit: every block of 128 KB or more (an attachment, its Base64, the record that
    // carries it, the ZIP) was mapped fresh, page-faulted in and unmapped again. A 300 KB
    // scanned PDF per filing made the pipeline spend 19 ms of CPU a filing; from the heap, up to
    // glibc's 64-bit ceiling of 32 MB, 13 ms (pipeline_bench, TODOKE_BENCH_ATTACHMENT_KB=300).
    mallopt(M_MMAP_THRESHOLD, 32 << 20);
    // libzip converts every entry's DOS time with mktime()/localtime(); without TZ, glibc
    // stat()s /etc/localtime on each call (measured: 12% of package signing). todoke works in
    // Japan time, as e-Gov does, so a fixed POSIX zone is both right and free.
    if (std::getenv("TZ") == nullptr) {
        setenv("TZ", "JST-9", 0);
    }
    tzset();
    xmlInitParser();
    xmlSetExternalEntityLoader(RefuseExternalEntity);
    xmlSetStructuredErrorFunc(nullptr, SilentStructuredError);
}

LibraryRuntime::~LibraryRuntime() { xmlCleanupParser(); }

void NameThisThread(std::string_view name) {
    const std::string cut(name.substr(0, 15));
    pthread_setname_np(pthread_self(), cut.c_str());
}

}  // namespace todoke
