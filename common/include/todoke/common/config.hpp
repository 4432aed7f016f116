// Configuration: one JSON file read at start-up into plain structs, one per module.
//
// ConfigNode is one JSON object of that file. Each module reads its own section into its own
// struct with the Read overloads (a missing key keeps the struct's default), then the caller
// asks CheckAllKeysUsed(): a key nobody read is a typo or a setting of another version, and
// start-up stops with its path ("zip.max_entrys: unknown key"). Type and range errors name the
// path, the rule and the file. Not thread-safe; read once, then pass the structs around.
#pragma once

#include <cstdint>
#include <filesystem>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "todoke/common/result.hpp"

namespace todoke {

class ConfigNode {
  public:
    static Result<ConfigNode> LoadFile(const std::filesystem::path& path);
    static Result<ConfigNode> Parse(std::string_view json_text, std::string origin);
    // An empty object: every Read keeps its default.
    static ConfigNode Empty();

    ConfigNode(ConfigNode&&) noexcept;
    ConfigNode& operator=(ConfigNode&&) noexcept;
    ~ConfigNode();

    bool Has(std::string_view key) const;
    Result<void> Read(std::string_view key, std::uint64_t& target, std::uint64_t min,
                      std::uint64_t max);
    Result<void> Read(std::string_view key, std::int64_t& target, std::int64_t min,
                      std::int64_t max);
    Result<void> Read(std::string_view key, bool& target);
    Result<void> Read(std::string_view key, std::string& target);
    Result<void> Read(std::string_view key, std::vector<std::string>& target);
    // The object under key, or an empty one when the key is absent.
    Result<ConfigNode> Section(std::string_view key);

    // Fails with the first key (depth-first, in file order) that no Read or Section touched.
    Result<void> CheckAllKeysUsed() const;

  private:
    struct Impl;
    explicit ConfigNode(std::shared_ptr<Impl> impl);
    std::shared_ptr<Impl> impl_;
};

}  // namespace todoke
