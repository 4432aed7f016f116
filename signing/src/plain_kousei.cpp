#include "plain_kousei.hpp"

#include <cstdint>

#include "dsig.hpp"
#include "package_layout.hpp"
#include "todoke/common/encoding.hpp"

namespace todoke::signing::detail {
namespace {

constexpr std::string_view kDeclaration = R"(<?xml version="1.0" encoding="UTF-8"?>)";
constexpr std::string_view kStylesheetPi = "<?xml-stylesheet ";
constexpr std::string_view kRoot = "DataRoot";
constexpr std::string_view kKouseiId = R"( ID="構成情報")";
constexpr std::string_view kFormAttributes = "申請書属性情報";
constexpr std::string_view kFormFile = "申請書ファイル名称";

bool IsSpace(char c) { return c == ' ' || c == '\t' || c == '\n'; }

bool IsAsciiLetter(char c) { return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z'); }

// The bytes every accepted document must keep to: well-formed UTF-8 without U+FFFE and U+FFFF
// (not XML characters) and without control characters other than tab and line feed (a CR
// would be normalised by a parser, the others are not XML characters).
bool PlainBytes(std::string_view xml) {
    if (!IsValidUtf8(xml)) {
        return false;
    }
    for (std::size_t i = 0; i < xml.size(); ++i) {
        const auto c = static_cast<unsigned char>(xml[i]);
        if (c < 0x20 && c != '\t' && c != '\n') {
            return false;
        }
        if (c == 0xEF && i + 2 < xml.size() && static_cast<unsigned char>(xml[i + 1]) == 0xBF &&
            (static_cast<unsigned char>(xml[i + 2]) & 0xFE) == 0xBE) {
            return false;
        }
    }
    return true;
}

// A name of ASCII letters, digits, '_', '-', '.', hiragana, katakana and the CJK unified
// ideographs of Unicode 3.0: name characters in every edition of XML 1.0. The first character
// is a letter, '_', kana or kanji.
std::size_t NameLength(std::string_view xml, std::size_t pos) {
    std::size_t i = pos;
    while (i < xml.size()) {
        const auto c = static_cast<unsigned char>(xml[i]);
        const bool first = i == pos;
        if (c < 0x80) {
            const char a = static_cast<char>(c);
            if (!(IsAsciiLetter(a) || a == '_' ||
                  (!first && ((a >= '0' && a <= '9') || a == '-' || a == '.')))) {
                break;
            }
            ++i;
            continue;
        }
        // Three-byte sequences only (the document is valid UTF-8).
        if ((c & 0xF0) != 0xE0 || i + 2 >= xml.size()) {
            break;
        }
        const std::uint32_t cp = ((c & 0x0Fu) << 12) |
                                 ((static_cast<unsigned char>(xml[i + 1]) & 0x3Fu) << 6) |
                                 (static_cast<unsigned char>(xml[i + 2]) & 0x3Fu);
        const bool kana = cp >= 0x3041 && cp <= 0x30FA;
        const bool prolonged = cp == 0x30FC;  // ー, never first
        const bool kanji = cp >= 0x4E00 && cp <= 0x9FA5;
        if (!(kana || kanji || (prolonged && !first))) {
            break;
        }
        i += 3;
    }
    return i - pos;
}

struct StartTag {
    std::string_view name;
    std::string_view attribute;  // ` name="value"` as written, or empty
    bool empty = false;          // written <name/>
};

// Reads the start tag at xml[pos] == '<'; moves pos past it.
std::optional<StartTag> ReadStartTag(std::string_view xml, std::size_t& pos) {
    StartTag tag;
    const std::size_t name_length = NameLength(xml, pos + 1);
    if (name_length == 0) {
        return std::nullopt;
    }
    tag.name = xml.substr(pos + 1, name_length);
    std::size_t i = pos + 1 + name_length;
    if (i < xml.size() && xml[i] == ' ') {
        // One attribute with a plain ASCII name (so neither xmlns nor xml:*), and a value that
        // C14N writes as it stands.
        std::size_t j = i + 1;
        while (j < xml.size() && IsAsciiLetter(xml[j])) {
            ++j;
        }
        const std::string_view attr_name = xml.substr(i + 1, j - i - 1);
        if (attr_name.empty() || attr_name.starts_with("xml") || attr_name.starts_with("XML") ||
            xml.substr(j, 2) != "=\"") {
            return std::nullopt;
        }
        j += 2;
        while (j < xml.size() && xml[j] != '"') {
            const char c = xml[j];
            if (c == '<' || c == '>' || c == '&' || c == '\t' || c == '\n') {
                return std::nullopt;
            }
            ++j;
        }
        if (j == xml.size()) {
            return std::nullopt;
        }
        tag.attribute = xml.substr(i, j + 1 - i);
        i = j + 1;
    }
    if (xml.substr(i, 2) == "/>") {
        tag.empty = true;
        pos = i + 2;
    } else if (i < xml.size() && xml[i] == '>') {
        pos = i + 1;
    } else {
        return std::nullopt;
    }
    return tag;
}

// Appends the text xml[begin, end) in canonical form; false for anything C14N would write
// differently that the scanner does not rewrite.
bool AppendCanonicalText(std::string_view text, std::string* out) {
    std::size_t i = 0;
    while (i < text.size()) {
        const std::size_t special = text.find_first_of("&>", i);
        const std::size_t run_end = special == std::string_view::npos ? text.size() : special;
        if (out != nullptr) {
            out->append(text.substr(i, run_end - i));
        }
        if (special == std::string_view::npos) {
            return true;
        }
        if (text[special] == '>') {
            return false;
        }
        const std::string_view rest = text.substr(special);
        std::string_view as_canonical;
        std::size_t length = 0;
        for (const auto& [reference, canonical] :
             {std::pair<std::string_view, std::string_view>{"&amp;", "&amp;"},
              {"&lt;", "&lt;"},
              {"&gt;", "&gt;"},
              {"&quot;", "\""},
              {"&apos;", "'"}}) {
            if (rest.starts_with(reference)) {
                as_canonical = canonical;
                length = reference.size();
                break;
            }
        }
        if (length == 0) {
            return false;
        }
        if (out != nullptr) {
            out->append(as_canonical);
        }
        i = special + length;
    }
    return true;
}

class Scanner {
  public:
    Scanner(std::string_view xml, const XmlLimits& limits) : xml_(xml), limits_(limits) {}

    std::optional<PlainKousei> Run() {
        if (xml_.size() > limits_.max_bytes || !PlainBytes(xml_) || !Prolog() ||
            xml_.substr(pos_, kRoot.size() + 2) != "<DataRoot>") {
            return std::nullopt;
        }
        pos_ += kRoot.size() + 2;
        open_.push_back(kRoot);
        while (!open_.empty()) {
            if (pos_ >= xml_.size() || !Step()) {
                return std::nullopt;
            }
        }
        while (pos_ < xml_.size() && IsSpace(xml_[pos_])) {
            ++pos_;
        }
        if (pos_ != xml_.size() || !seen_kousei_) {
            return std::nullopt;
        }
        if (!seen_signature_) {
            out_.signature_begin = kousei_end_;
            out_.signature_end = kousei_end_;
        }
        return std::move(out_);
    }

  private:
    // The declaration, then whitespace and xml-stylesheet processing instructions.
    bool Prolog() {
        if (!xml_.starts_with(kDeclaration)) {
            return false;
        }
        pos_ = kDeclaration.size();
        for (;;) {
            while (pos_ < xml_.size() && IsSpace(xml_[pos_])) {
                ++pos_;
            }
            if (xml_.substr(pos_, kStylesheetPi.size()) != kStylesheetPi) {
                return true;
            }
            const std::size_t end = xml_.find("?>", pos_);
            if (end == std::string_view::npos) {
                return false;
            }
            pos_ = end + 2;
        }
    }

    bool InKousei() const { return open_.size() >= 2 && open_[1] == kKousei && seen_kousei_; }

    bool Step() {
        if (xml_[pos_] != '<') {
            return Text();
        }
        if (pos_ + 1 < xml_.size() && xml_[pos_ + 1] == '/') {
            return EndTag();
        }
        return StartTagAt();
    }

    bool Text() {
        const std::size_t end = xml_.find('<', pos_);
        if (end == std::string_view::npos) {
            return false;
        }
        const std::string_view text = xml_.substr(pos_, end - pos_);
        if (++nodes_ > limits_.max_nodes ||
            !AppendCanonicalText(text, InKousei() ? &out_.canonical : nullptr)) {
            return false;
        }
        if (capturing_file_) {
            file_text_ = text;
        }
        pos_ = end;
        return true;
    }

    bool StartTagAt() {
        const std::size_t begin = pos_;
        const auto tag = ReadStartTag(xml_, pos_);
        if (!tag || capturing_file_) {
            return false;
        }
        nodes_ += tag->attribute.empty() ? 1 : 2;
        if (nodes_ > limits_.max_nodes || open_.size() + 1 > limits_.max_depth) {
            return false;
        }
        if (open_.size() == 1 && tag->name == kKousei) {
            if (seen_kousei_ || tag->attribute != kKouseiId || tag->empty) {
                return false;
            }
            seen_kousei_ = true;
        } else if (open_.size() == 1 && tag->name == kSignatureInfo) {
            return Placeholder(begin, *tag);
        }
        const bool in_kousei = InKousei() || (open_.size() == 1 && tag->name == kKousei);
        if (in_kousei) {
            auto& c = out_.canonical;
            c += '<';
            c += tag->name;
            c += tag->attribute;
            c += '>';
            if (tag->empty) {
                c += "</";
                c += tag->name;
                c += '>';
            }
        }
        const bool file_name =
            in_kousei && open_.size() == 3 && open_[2] == kFormAttributes && tag->name == kFormFile;
        if (tag->empty) {
            // An empty <申請書ファイル名称/> names no file: the general path reports it.
            return !file_name;
        }
        capturing_file_ = file_name;
        file_text_ = {};
        open_.push_back(tag->name);
        return true;
    }

    // An empty <署名情報> after <構成情報>, written <署名情報/> or <署名情報></署名情報>.
    bool Placeholder(std::size_t begin, const StartTag& tag) {
        if (!seen_kousei_ || seen_signature_ || !tag.attribute.empty()) {
            return false;
        }
        if (!tag.empty) {
            constexpr std::string_view kClose = "</署名情報>";
            if (xml_.substr(pos_, kClose.size()) != kClose) {
                return false;
            }
            pos_ += kClose.size();
        }
        seen_signature_ = true;
        out_.signature_begin = begin;
        out_.signature_end = pos_;
        return true;
    }

    bool EndTag() {
        const std::size_t name_length = NameLength(xml_, pos_ + 2);
        const std::string_view name = xml_.substr(pos_ + 2, name_length);
        if (name_length == 0 || name != open_.back() ||
            xml_.substr(pos_ + 2 + name_length, 1) != ">") {
            return false;
        }
        if (capturing_file_) {
            if (!IsPlainFileName(file_text_) || file_text_.find('&') != std::string_view::npos) {
                return false;
            }
            out_.form_files.push_back(file_text_);
            capturing_file_ = false;
        }
        if (InKousei()) {
            out_.canonical += "</";
            out_.canonical += name;
            out_.canonical += '>';
        }
        pos_ += 3 + name_length;
        if (open_.size() == 2 && name == kKousei) {
            kousei_end_ = pos_;
        }
        open_.pop_back();
        return true;
    }

    std::string_view xml_;
    const XmlLimits& limits_;
    std::size_t pos_ = 0;
    std::vector<std::string_view> open_;  // names of the open elements, the root first
    std::uint64_t nodes_ = 0;
    bool seen_kousei_ = false;
    bool seen_signature_ = false;
    std::size_t kousei_end_ = 0;
    bool capturing_file_ = false;  // inside 構成情報/申請書属性情報/申請書ファイル名称
    std::string_view file_text_;
    PlainKousei out_;
};

}  // namespace

std::optional<PlainKousei> ReadPlainKousei(std::string_view xml, const XmlLimits& limits) {
    return Scanner(xml, limits).Run();
}

}  // namespace todoke::signing::detail
