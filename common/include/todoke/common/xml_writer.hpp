// XmlWriter: builds the XML todoke itself generates (kousei.xml, 申請書XML, the simulator's 公文書)
// as text, escaping
// every value. Elements are closed in order; the result is UTF-8 without BOM.
#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace todoke {

class XmlWriter {
  public:
    // `newline` is "\n" for kousei.xml and "\r\n" for form XML (as e-Gov's forms are written).
    explicit XmlWriter(std::string_view newline);

    void Declaration();
    void Stylesheet(std::string_view href);
    void Open(std::string_view name, std::string_view id_attribute = {});
    void Close();
    // <name>text</name>, or <name/> when text is empty.
    void Leaf(std::string_view name, std::string_view text);
    std::string Finish();

  private:
    std::string out_;
    std::string newline_;
    std::vector<std::string> open_;
};

// &, <, > and " as entities: for element text and attribute values alike.
std::string EscapeXmlText(std::string_view text);

}  // namespace todoke
