// HttpRequest: the parts of an HTTP request that SigV4 signs, as they travel on the wire. The
// signer adds headers to one, the verifier reads one. Neighbours: sigv4 and verifier; the HTTP
// client and server that send and receive requests live elsewhere.
#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace sgwatch::aws {

struct Header {
  std::string name;
  std::string value;

  bool operator==(const Header&) const = default;
};

struct HttpRequest {
  std::string method;  // "GET", "POST", ...
  // The path as sent, still percent-encoded ("/a%20b"); empty means "/".
  std::string path;
  // The query string as sent, without the '?' ("Action=ListUsers&Version=2010-05-08").
  std::string query;
  // In the order they were written; names compare without regard to case, and a name may repeat.
  std::vector<Header> headers;
  std::string body;

  // The value of the first header named `name`; nullptr when there is none.
  const std::string* find_header(std::string_view name) const;
  // Replaces the value of the first header named `name` (keeping its spelling and place, and
  // dropping later repeats), or appends `name: value` when there is none.
  void set_header(std::string_view name, std::string value);
  // Removes every header named `name`.
  void remove_header(std::string_view name);
};

// ASCII case-insensitive equality of header names.
bool header_name_equals(std::string_view a, std::string_view b);

}  // namespace sgwatch::aws
