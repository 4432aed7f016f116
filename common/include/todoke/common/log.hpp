// Logger: one line per event, "2026-11-22T13:04:05Z INFO  message", to a stream.
//
// Secrets never reach a log: every message passes through RedactSecrets before it is
// written, which masks 12-digit runs (個人番号 / My Number candidates, also when split by
// spaces or hyphens), 13-digit runs (法人番号), PEM blocks and "password=..."-style pairs.
// Callers still must not pass keys or payloads; the redactor is the second line of defence.
// Thread-safe: concurrent Log calls write whole lines.
#pragma once

#include <iosfwd>
#include <mutex>
#include <string>
#include <string_view>

#include "todoke/common/clock.hpp"

namespace todoke {

enum class LogLevel { kDebug, kInfo, kWarn, kError };

std::string RedactSecrets(std::string_view text);

class Logger {
  public:
    Logger(std::ostream& out, LogLevel min_level, ClockPtr clock);

    void Log(LogLevel level, std::string_view message);
    void Debug(std::string_view m) { Log(LogLevel::kDebug, m); }
    void Info(std::string_view m) { Log(LogLevel::kInfo, m); }
    void Warn(std::string_view m) { Log(LogLevel::kWarn, m); }
    void Error(std::string_view m) { Log(LogLevel::kError, m); }

  private:
    std::mutex mu_;
    std::ostream& out_;
    LogLevel min_level_;
    ClockPtr clock_;
};

}  // namespace todoke
