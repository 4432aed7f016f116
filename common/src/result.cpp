#include "todoke/common/result.hpp"

namespace todoke {

std::string_view ErrorCodeName(ErrorCode code) {
    switch (code) {
        case ErrorCode::kInvalidArgument:
            return "invalid_argument";
        case ErrorCode::kNotFound:
            return "not_found";
        case ErrorCode::kConflict:
            return "conflict";
        case ErrorCode::kUnavailable:
            return "unavailable";
        case ErrorCode::kRejected:
            return "rejected";
        case ErrorCode::kPermissionDenied:
            return "permission_denied";
        case ErrorCode::kInternal:
            return "internal";
    }
    return "internal";
}

std::string Error::ToString() const {
    std::string out(ErrorCodeName(code));
    if (!field.empty()) {
        out += " [";
        out += field;
        out += "]";
    }
    out += ": ";
    out += message;
    return out;
}

}  // namespace todoke
