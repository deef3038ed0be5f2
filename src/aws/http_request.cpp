// Implementation of http_request.h.
#include "aws/http_request.h"

#include <algorithm>

namespace sgwatch::aws {

namespace {

char ascii_lower(char c) {
  return (c >= 'A' && c <= 'Z') ? static_cast<char>(c - 'A' + 'a') : c;
}

}  // namespace

bool header_name_equals(std::string_view a, std::string_view b) {
  return a.size() == b.size() && std::equal(a.begin(), a.end(), b.begin(), [](char x, char y) {
           return ascii_lower(x) == ascii_lower(y);
         });
}

const std::string* HttpRequest::find_header(std::string_view name) const {
  for (const Header& header : headers) {
    if (header_name_equals(header.name, name)) return &header.value;
  }
  return nullptr;
}

void HttpRequest::set_header(std::string_view name, std::string value) {
  auto first = std::find_if(headers.begin(), headers.end(),
                            [&](const Header& h) { return header_name_equals(h.name, name); });
  if (first == headers.end()) {
    headers.push_back(Header{std::string(name), std::move(value)});
    return;
  }
  first->value = std::move(value);
  headers.erase(std::remove_if(std::next(first), headers.end(),
                               [&](const Header& h) { return header_name_equals(h.name, name); }),
                headers.end());
}

void HttpRequest::remove_header(std::string_view name) {
  headers.erase(std::remove_if(headers.begin(), headers.end(),
                               [&](const Header& h) { return header_name_equals(h.name, name); }),
                headers.end());
}

}  // namespace sgwatch::aws
