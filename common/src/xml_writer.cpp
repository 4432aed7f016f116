#include "todoke/common/xml_writer.hpp"

namespace todoke {

std::string EscapeXmlText(std::string_view text) {
    std::string out;
    out.reserve(text.size());
    for (char c : text) {
        switch (c) {
            case '&':
                out += "&amp;";
                break;
            case '<':
                out += "&lt;";
                break;
            case '>':
                out += "&gt;";
                break;
            case '"':
                out += "&quot;";
                break;
            default:
                out += c;
        }
    }
    return out;
}

XmlWriter::XmlWriter(std::string_view newline) : newline_(newline) {}

void XmlWriter::Declaration() { out_ += "<?xml version=\"1.0\" encoding=\"UTF-8\"?>" + newline_; }

void XmlWriter::Stylesheet(std::string_view href) {
    out_ += "<?xml-stylesheet href=\"" + EscapeXmlText(href) + "\" type=\"text/xsl\"?>" + newline_;
}

void XmlWriter::Open(std::string_view name, std::string_view id_attribute) {
    out_ += "<" + std::string(name);
    if (!id_attribute.empty()) {
        out_ += " ID=\"" + EscapeXmlText(id_attribute) + "\"";
    }
    out_ += ">" + newline_;
    open_.emplace_back(name);
}

void XmlWriter::Close() {
    out_ += "</" + open_.back() + ">" + newline_;
    open_.pop_back();
}

void XmlWriter::Leaf(std::string_view name, std::string_view text) {
    if (text.empty()) {
        out_ += "<" + std::string(name) + "/>" + newline_;
    } else {
        out_ += "<" + std::string(name) + ">" + EscapeXmlText(text) + "</" + std::string(name) +
                ">" + newline_;
    }
}

std::string XmlWriter::Finish() {
    while (!open_.empty()) {
        Close();
    }
    return std::move(out_);
}

}  // namespace todoke
