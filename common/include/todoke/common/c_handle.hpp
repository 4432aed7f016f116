// RAII ownership of C library objects: CHandle<xmlDoc, &xmlFreeDoc> frees with the library's
// own function and has a zero-size deleter. Only private code names C types; this header
// itself names none.
#pragma once

#include <memory>

namespace todoke {

template <auto Free>
struct CFree {
    template <class T>
    void operator()(T* p) const noexcept {
        if (p != nullptr) {
            Free(p);
        }
    }
};

template <class T, auto Free>
using CHandle = std::unique_ptr<T, CFree<Free>>;

}  // namespace todoke
