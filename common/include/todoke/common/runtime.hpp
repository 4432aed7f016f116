// LibraryRuntime: the one object that owns process-wide set-up of the C libraries todoke uses
// (libxml2 now; curl joins when the portal adapters come). Create one in main() before any
// other todoke call and keep it alive until the end; tests create one per test binary.
//
// What it sets: glibc keeps freed heap memory instead of trimming it after every large free,
// and takes blocks up to 32 MB from the heap instead of mapping each one anew (the C libraries'
// per-document buffers and attachments would otherwise page-fault on every package);
// local time is Japan Standard Time (TZ=JST-9) unless TZ is set; libxml2's parser is initialised
// once and its external-entity loader is replaced by one that refuses every resource, so that no
// document can ever make libxml2 read a file or the network, whatever options a caller passes.
#pragma once

#include <string_view>

namespace todoke {

// Names the calling thread, as top -H, ps -L, perf and /proc/self/task/*/comm show it (cut to
// the kernel's 15 bytes): "prepare/0", "sim-egov", ...
void NameThisThread(std::string_view name);

class LibraryRuntime {
  public:
    LibraryRuntime();
    ~LibraryRuntime();
    LibraryRuntime(const LibraryRuntime&) = delete;
    LibraryRuntime& operator=(const LibraryRuntime&) = delete;
};

}  // namespace todoke
