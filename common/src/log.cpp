#include "todoke/common/log.hpp"

#include <cctype>
#include <ostream>

namespace todoke {
namespace {

bool IsDigit(char c) { return c >= '0' && c <= '9'; }

// Masks runs of 12 or 13 digits (optionally grouped by single spaces or hyphens, as people
// write "1234-5678-9012"), keeping the run's length so a reader still sees that a number was
// there. Shorter and longer runs (dates, amounts, arrive ids of 16+ digits) are left alone.
std::string MaskDigitRuns(std::string_view text) {
    std::string out;
    out.reserve(text.size());
    std::size_t i = 0;
    while (i < text.size()) {
        if (!IsDigit(text[i]) || (i > 0 && IsDigit(text[i - 1]))) {
            out.push_back(text[i++]);
            continue;
        }
        std::size_t j = i;
        int digits = 0;
        while (j < text.size()) {
            if (IsDigit(text[j])) {
                ++digits;
                ++j;
            } else if ((text[j] == '-' || text[j] == ' ') && j + 1 < text.size() &&
                       IsDigit(text[j + 1]) && j > i) {
                ++j;
            } else {
                break;
            }
        }
        if (digits == 12 || digits == 13) {
            for (std::size_t k = i; k < j; ++k) {
                out.push_back(IsDigit(text[k]) ? '*' : text[k]);
            }
        } else {
            out.append(text.substr(i, j - i));
        }
        i = j;
    }
    return out;
}

std::string MaskPemBlocks(std::string text) {
    static constexpr std::string_view kBegin = "-----BEGIN";
    static constexpr std::string_view kEnd = "-----END";
    std::size_t pos = 0;
    while ((pos = text.find(kBegin, pos)) != std::string::npos) {
        std::size_t end = text.find(kEnd, pos);
        std::size_t stop = end == std::string::npos ? text.size() : text.find("-----", end + 5);
        stop = stop == std::string::npos ? text.size() : stop + 5;
        text.replace(pos, stop - pos, "[PEM redacted]");
        pos += 14;
    }
    return text;
}

std::string MaskSecretPairs(std::string text) {
    static constexpr std::string_view kKeys[] = {"password", "passwd", "secret", "token", "pin"};
    std::string lower = text;
    for (char& c : lower) {
        c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    }
    for (std::string_view key : kKeys) {
        std::size_t pos = 0;
        while ((pos = lower.find(key, pos)) != std::string::npos) {
            std::size_t sep = pos + key.size();
            while (sep < lower.size() &&
                   (std::isalnum(static_cast<unsigned char>(lower[sep])) || lower[sep] == '_')) {
                ++sep;
            }
            if (sep < lower.size() && (lower[sep] == '=' || lower[sep] == ':')) {
                std::size_t v = sep + 1;
                while (v < lower.size() && lower[v] == ' ') {
                    ++v;
                }
                std::size_t e = v;
                while (e < lower.size() && lower[e] != ' ' && lower[e] != '&' && lower[e] != ',' &&
                       lower[e] != ';' && lower[e] != '\n') {
                    ++e;
                }
                if (e > v) {
                    text.replace(v, e - v, "***");
                    lower.replace(v, e - v, "***");
                }
                pos = v + 3;
            } else {
                pos = sep;
            }
        }
    }
    return text;
}

std::string_view LevelName(LogLevel level) {
    switch (level) {
        case LogLevel::kDebug:
            return "DEBUG";
        case LogLevel::kInfo:
            return "INFO ";
        case LogLevel::kWarn:
            return "WARN ";
        case LogLevel::kError:
            return "ERROR";
    }
    return "?";
}

}  // namespace

std::string RedactSecrets(std::string_view text) {
    return MaskSecretPairs(MaskPemBlocks(MaskDigitRuns(text)));
}

Logger::Logger(std::ostream& out, LogLevel min_level, ClockPtr clock)
    : out_(out), min_level_(min_level), clock_(std::move(clock)) {}

void Logger::Log(LogLevel level, std::string_view message) {
    if (level < min_level_) {
        return;
    }
    std::string line = FormatIsoUtc(clock_->Now());
    line += ' ';
    line += LevelName(level);
    line += ' ';
    std::string clean = RedactSecrets(message);
    for (char& c : clean) {
        if (c == '\n' || c == '\r') {
            c = ' ';  // one event, one line
        }
    }
    line += clean;
    line += '\n';
    std::lock_guard lock(mu_);
    out_ << line << std::flush;
}

}  // namespace todoke
