// Implementation of xml_writer.h.
#include "aws/xml_writer.h"

#include <charconv>
#include <cmath>

#include "aws/utf8.h"
#include "core/time.h"

namespace sgwatch::aws {

namespace {

constexpr std::string_view kReplacement = "\xEF\xBF\xBD";  // U+FFFD

// True for the characters XML 1.0's Char production leaves out.
bool is_forbidden_in_xml(std::uint32_t cp) {
  if (cp < 0x20) return cp != 0x09 && cp != 0x0A && cp != 0x0D;
  return cp == 0xFFFE || cp == 0xFFFF;
}

}  // namespace

void append_xml_escaped(std::string& out, std::string_view text, XmlEscape mode) {
  std::size_t at = 0;
  while (at < text.size()) {
    const char c = text[at];
    const auto byte = static_cast<std::uint8_t>(c);
    if (byte >= 0x80) {
      const Utf8Char decoded = decode_utf8(text, at);
      if (decoded.length == 0) {
        out += kReplacement;
        ++at;
      } else {
        if (is_forbidden_in_xml(decoded.code_point)) {
          out += kReplacement;
        } else {
          out.append(text.substr(at, decoded.length));
        }
        at += decoded.length;
      }
      continue;
    }
    ++at;
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
      case '\r':
        out += "&#xD;";
        break;
      case '\t':
        if (mode == XmlEscape::kAttribute) {
          out += "&#x9;";
        } else {
          out += c;
        }
        break;
      case '\n':
        if (mode == XmlEscape::kAttribute) {
          out += "&#xA;";
        } else {
          out += c;
        }
        break;
      default:
        if (is_forbidden_in_xml(byte)) {
          out += kReplacement;
        } else {
          out += c;
        }
    }
  }
}

std::string xml_escape(std::string_view text, XmlEscape mode) {
  std::string out;
  out.reserve(text.size());
  append_xml_escaped(out, text, mode);
  return out;
}

std::string format_aws_double(double value) {
  if (std::isnan(value)) return "NaN";
  if (std::isinf(value)) return value > 0 ? "Infinity" : "-Infinity";
  if (value == 0) return std::signbit(value) ? "-0.0" : "0.0";
  // The shortest digits that read back as `value`, and its decimal exponent, from to_chars'
  // scientific form ("1.5e+00").
  char buffer[64];
  const auto [end, ec] =
      std::to_chars(buffer, buffer + sizeof buffer, value, std::chars_format::scientific);
  std::string_view text(buffer, static_cast<std::size_t>(end - buffer));
  std::string out;
  if (text.front() == '-') {
    out += '-';
    text.remove_prefix(1);
  }
  const std::size_t e = text.find('e');
  std::string digits;
  for (const char c : text.substr(0, e)) {
    if (c != '.') digits += c;
  }
  while (digits.size() > 1 && digits.back() == '0') digits.pop_back();
  std::string_view exponent_text = text.substr(e + 1);
  if (!exponent_text.empty() && exponent_text.front() == '+') exponent_text.remove_prefix(1);
  int exponent = 0;
  std::from_chars(exponent_text.data(), exponent_text.data() + exponent_text.size(), exponent);
  const double magnitude = std::fabs(value);
  if (magnitude >= 1e-3 && magnitude < 1e7) {
    if (exponent >= 0) {
      const auto whole = static_cast<std::size_t>(exponent) + 1;
      if (digits.size() <= whole) {
        out += digits;
        out.append(whole - digits.size(), '0');
        out += ".0";
      } else {
        out.append(digits, 0, whole);
        out += '.';
        out.append(digits, whole);
      }
    } else {
      out += "0.";
      out.append(static_cast<std::size_t>(-exponent - 1), '0');
      out += digits;
    }
    return out;
  }
  out += digits[0];
  out += '.';
  if (digits.size() > 1) {
    out.append(digits, 1);
  } else {
    out += '0';
  }
  out += 'E';
  out += std::to_string(exponent);
  return out;
}

std::string format_aws_timestamp(std::int64_t unix_millis, TimestampFormat format) {
  std::int64_t seconds = unix_millis / 1000;
  std::int64_t millis = unix_millis % 1000;
  if (millis < 0) {
    millis += 1000;
    --seconds;
  }
  std::string text = core::format_iso8601(seconds);  // "...T20:00:00Z"
  if (format == TimestampFormat::kSeconds) return text;
  char fraction[5] = {'.', static_cast<char>('0' + millis / 100),
                      static_cast<char>('0' + millis / 10 % 10),
                      static_cast<char>('0' + millis % 10), '\0'};
  text.insert(text.size() - 1, fraction);
  return text;
}

// --- XmlWriter ---

XmlWriter::XmlWriter(XmlWriterOptions options) : options_(options) {
  if (options_.declaration) out_ = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n";
}

void XmlWriter::begin_child() {
  if (start_tag_open_) {
    out_ += '>';
    start_tag_open_ = false;
  }
  if (open_.empty() || options_.indent <= 0) return;
  out_ += '\n';
  out_.append(open_.size() * static_cast<std::size_t>(options_.indent), ' ');
}

void XmlWriter::start_tag(std::string_view name) {
  begin_child();
  out_ += '<';
  out_ += name;
}

XmlWriter& XmlWriter::open(std::string_view name) {
  start_tag(name);
  open_.emplace_back(name);
  start_tag_open_ = true;
  return *this;
}

XmlWriter& XmlWriter::open(std::string_view name, std::string_view attribute,
                           std::string_view value) {
  start_tag(name);
  out_ += ' ';
  out_ += attribute;
  out_ += "=\"";
  append_xml_escaped(out_, value, XmlEscape::kAttribute);
  out_ += '"';
  open_.emplace_back(name);
  start_tag_open_ = true;
  return *this;
}

XmlWriter& XmlWriter::close() {
  if (open_.empty()) return *this;
  const std::string name = std::move(open_.back());
  open_.pop_back();
  if (start_tag_open_) {
    out_ += "/>";
    start_tag_open_ = false;
    return *this;
  }
  if (options_.indent > 0) {
    out_ += '\n';
    out_.append(open_.size() * static_cast<std::size_t>(options_.indent), ' ');
  }
  out_ += "</";
  out_ += name;
  out_ += '>';
  return *this;
}

XmlWriter& XmlWriter::element(std::string_view name, std::string_view text) {
  start_tag(name);
  out_ += '>';
  append_xml_escaped(out_, text);
  out_ += "</";
  out_ += name;
  out_ += '>';
  return *this;
}

XmlWriter& XmlWriter::boolean(std::string_view name, bool value) {
  return element(name, value ? "true" : "false");
}

XmlWriter& XmlWriter::integer(std::string_view name, std::int64_t value) {
  return element(name, std::to_string(value));
}

XmlWriter& XmlWriter::number(std::string_view name, double value) {
  return element(name, format_aws_double(value));
}

XmlWriter& XmlWriter::timestamp(std::string_view name, std::int64_t unix_millis,
                                TimestampFormat format) {
  return element(name, format_aws_timestamp(unix_millis, format));
}

XmlWriter& XmlWriter::empty(std::string_view name) {
  start_tag(name);
  out_ += "/>";
  return *this;
}

XmlWriter& XmlWriter::list(std::string_view name, std::span<const std::string> values,
                           std::string_view item) {
  if (values.empty()) return empty(name);
  open(name);
  for (const std::string& value : values) element(item, value);
  return close();
}

XmlWriter& XmlWriter::map(std::string_view name,
                          std::span<const std::pair<std::string, std::string>> entries,
                          std::string_view key, std::string_view value) {
  if (entries.empty()) return empty(name);
  open(name);
  for (const auto& [k, v] : entries) {
    open("entry");
    element(key, k);
    element(value, v);
    close();
  }
  return close();
}

std::string XmlWriter::finish() {
  while (!open_.empty()) close();
  out_ += '\n';
  std::string document = std::move(out_);
  out_.clear();
  start_tag_open_ = false;
  if (options_.declaration) out_ = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n";
  return document;
}

// --- envelopes ---

namespace {

std::string suffixed(std::string_view operation, std::string_view suffix) {
  std::string name(operation);
  name += suffix;
  return name;
}

}  // namespace

QueryResponseWriter::QueryResponseWriter(std::string_view operation, std::string_view xml_namespace,
                                         bool has_result) {
  const std::string root = suffixed(operation, "Response");
  if (xml_namespace.empty()) {
    xml_.open(root);
  } else {
    xml_.open(root, "xmlns", xml_namespace);
  }
  if (has_result) xml_.open(suffixed(operation, "Result"));
}

std::string QueryResponseWriter::finish(std::string_view request_id) {
  while (xml_.depth() > 1) xml_.close();
  xml_.open("ResponseMetadata").element("RequestId", request_id).close();
  return xml_.finish();
}

Ec2ResponseWriter::Ec2ResponseWriter(std::string_view operation, std::string_view xml_namespace,
                                     std::string_view request_id)
    : xml_(XmlWriterOptions{4, true}) {
  const std::string root = suffixed(operation, "Response");
  if (xml_namespace.empty()) {
    xml_.open(root);
  } else {
    xml_.open(root, "xmlns", xml_namespace);
  }
  xml_.element("requestId", request_id);
}

std::string Ec2ResponseWriter::finish() {
  return xml_.finish();
}

}  // namespace sgwatch::aws
