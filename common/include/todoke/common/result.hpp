// Result<T> and Error: how every fallible call reports failure across a module boundary.
//
// Result<T> holds either a value or an Error. Its members are named like std::expected
// (has_value, value, error, operator*, operator->, value_or) so that it can become one when
// the toolchain has it. An Error carries a protocol-agnostic code, a message for an operator
// (never My Number, passwords, keys or whole payloads) and, where the failure concerns one
// field or one check, its machine-readable name in `field` (e.g. "signature.digest_mismatch",
// "persons[3].birth_date") so that callers and tests can tell failures apart.
#pragma once

#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <optional>
#include <string>
#include <string_view>
#include <type_traits>
#include <utility>
#include <variant>

namespace todoke {

enum class ErrorCode {
    kInvalidArgument,   // bad input: fix it and try again
    kNotFound,          // the thing asked for does not exist
    kConflict,          // contradicts existing state (e.g. same key, other payload)
    kUnavailable,       // transient: the same call may succeed later (retryable)
    kRejected,          // a portal refused it for a business reason (final)
    kPermissionDenied,  // not allowed for this caller or credential
    kInternal,          // a bug or an environment fault; not the caller's input
};

std::string_view ErrorCodeName(ErrorCode code);

struct Error {
    ErrorCode code = ErrorCode::kInternal;
    std::string message;
    std::string field;  // the field or check concerned; empty when none applies
    // For kUnavailable from a server that said when to come back (Retry-After); 0: not said.
    std::int64_t retry_after_seconds = 0;

    // "invalid_argument: message" or "invalid_argument [field]: message".
    std::string ToString() const;
};

// The error alternative, constructed with Fail(...) so that `return Fail(...)` converts to
// any Result<T>.
struct Unexpected {
    Error error;
};

inline Unexpected Fail(ErrorCode code, std::string message, std::string field = {}) {
    return Unexpected{Error{code, std::move(message), std::move(field)}};
}
inline Unexpected Fail(Error error) { return Unexpected{std::move(error)}; }

template <class T>
class [[nodiscard]] Result {
  public:
    using value_type = T;

    Result(T value) : state_(std::in_place_index<0>, std::move(value)) {}         // NOLINT
    Result(Unexpected u) : state_(std::in_place_index<1>, std::move(u.error)) {}  // NOLINT
    // The constraint excludes Result itself, so copy and move construction are not hidden.
    // NOLINTBEGIN(bugprone-forwarding-reference-overload)
    template <class U>
    requires(std::is_constructible_v<T, U&&> && !std::is_same_v<std::decay_t<U>, T> &&
             !std::is_same_v<std::decay_t<U>, Unexpected> &&
             !std::is_same_v<std::decay_t<U>, Result>) Result(U&& value)
        : state_(std::in_place_index<0>, T(std::forward<U>(value))) {}  // NOLINT
    // NOLINTEND(bugprone-forwarding-reference-overload)

    bool has_value() const noexcept { return state_.index() == 0; }
    explicit operator bool() const noexcept { return has_value(); }

    T& value() & { return Checked(); }
    const T& value() const& { return const_cast<Result*>(this)->Checked(); }
    T&& value() && { return std::move(Checked()); }
    T& operator*() & { return Checked(); }
    const T& operator*() const& { return value(); }
    T* operator->() { return &Checked(); }
    const T* operator->() const { return &value(); }

    const Error& error() const& { return ErrorRef(); }
    Error&& error() && { return std::move(ErrorRef()); }

    template <class U>
    T value_or(U&& fallback) const& {
        return has_value() ? std::get<0>(state_) : static_cast<T>(std::forward<U>(fallback));
    }

  private:
    T& Checked() {
        if (!has_value()) {
            std::fprintf(stderr, "todoke: value() on an error Result: %s\n",
                         std::get<1>(state_).ToString().c_str());
            std::abort();
        }
        return std::get<0>(state_);
    }
    Error& ErrorRef() const {
        if (has_value()) {
            std::fprintf(stderr, "todoke: error() on a Result that holds a value\n");
            std::abort();
        }
        return const_cast<Error&>(std::get<1>(state_));
    }

    std::variant<T, Error> state_;
};

template <>
class [[nodiscard]] Result<void> {
  public:
    using value_type = void;

    Result() = default;
    Result(Unexpected u) : error_(std::move(u.error)) {}  // NOLINT

    bool has_value() const noexcept { return !error_.has_value(); }
    explicit operator bool() const noexcept { return has_value(); }
    void value() const {
        if (error_) {
            std::fprintf(stderr, "todoke: value() on an error Result: %s\n",
                         error_->ToString().c_str());
            std::abort();
        }
    }
    const Error& error() const& {
        if (!error_) {
            std::fprintf(stderr, "todoke: error() on a Result that holds a value\n");
            std::abort();
        }
        return *error_;
    }

  private:
    std::optional<Error> error_;
};

inline Result<void> Ok() { return {}; }

}  // namespace todoke

#define TODOKE_CONCAT_INNER(a, b) a##b
#define TODOKE_CONCAT(a, b) TODOKE_CONCAT_INNER(a, b)

// Returns the error of a failed Result<void> (or any Result whose value is not needed).
#define TODOKE_RETURN_IF_ERROR(expr)                       \
    do {                                                   \
        auto todoke_status_ = (expr);                      \
        if (!todoke_status_) {                             \
            return ::todoke::Fail(todoke_status_.error()); \
        }                                                  \
    } while (false)

// `TODOKE_ASSIGN_OR_RETURN(auto x, Call());` declares x from the value or returns the error.
// `lhs` is a declaration, so it cannot be parenthesised.
// NOLINTBEGIN(bugprone-macro-parentheses)
#define TODOKE_ASSIGN_OR_RETURN(lhs, expr)                                      \
    auto TODOKE_CONCAT(todoke_result_, __LINE__) = (expr);                      \
    if (!TODOKE_CONCAT(todoke_result_, __LINE__)) {                             \
        return ::todoke::Fail(TODOKE_CONCAT(todoke_result_, __LINE__).error()); \
    }                                                                           \
    lhs = std::move(TODOKE_CONCAT(todoke_result_, __LINE__)).value()
// NOLINTEND(bugprone-macro-parentheses)

// A broken invariant (a bug, never bad input) stops the process with a message.
#define TODOKE_CHECK(cond, msg)                                                                  \
    do {                                                                                         \
        if (!(cond)) {                                                                           \
            std::fprintf(stderr, "todoke: check failed at %s:%d: %s (%s)\n", __FILE__, __LINE__, \
                         #cond, msg);                                                            \
            std::abort();                                                                        \
        }                                                                                        \
    } while (false)
