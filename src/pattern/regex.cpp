// Implementation of regex.h. The dialect has no groups, so every construct maps to RE2 one to
// one; the few differences and the choices made for undocumented cases are written down in
// docs/pattern-syntax.md ("Regular expressions").
#include "pattern/regex.h"

#include <fmt/format.h>
#include <re2/re2.h>

#include "core/text.h"

namespace sgwatch::pattern {
namespace {

bool is_hex(char c) {
  return core::is_ascii_digit(c) || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');
}

// The whitelist of spec 4.2: letters, digits, _ # = @ / ; , - : space, and ^ $ ? [ ] { } | \ * + .
bool is_allowed(char c) {
  if (core::is_ascii_alnum(c)) return true;
  switch (c) {
    case '_': case '#': case '=': case '@': case '/': case ';': case ',': case '-': case ':':
    case ' ': case '^': case '$': case '?': case '[': case ']': case '{': case '}': case '|':
    case '\\': case '*': case '+': case '.':
      return true;
    default:
      return false;
  }
}

class Translator {
 public:
  Translator(std::string_view body, std::size_t position) : body_(body), position_(position) {}

  core::Result<std::string, Error> run() {
    for (std::size_t i = 0; i < body_.size(); ++i) {
      if (!is_allowed(body_[i])) {
        return core::unexpected(invalid_character(i));
      }
    }
    if (body_.empty()) return core::unexpected(compile_error(0, "the regular expression is empty"));
    bool can_repeat = false;  // is there an atom that a quantifier may follow?
    while (i_ < body_.size()) {
      const char c = body_[i_];
      if (c == '*' || c == '+' || c == '?' || c == '{') {
        if (!can_repeat) {
          return core::unexpected(compile_error(i_, "a repetition operator needs something to "
                                                     "repeat (lazy, possessive and nested "
                                                     "repetitions are not supported)"));
        }
        if (c == '{') {
          if (auto err = repetition()) return core::unexpected(std::move(*err));
        } else {
          out_ += c;
          ++i_;
        }
        can_repeat = false;
        continue;
      }
      if (c == '}') return core::unexpected(compile_error(i_, "'}' without a '{'"));
      if (c == ']') {
        // Java and RE2 both read a lone ']' as a literal.
        out_ += "\\]";
        ++i_;
        can_repeat = true;
        continue;
      }
      if (c == '|') {
        out_ += '|';
        ++i_;
        can_repeat = false;
        continue;
      }
      if (c == '^' || c == '$') {
        out_ += c;
        ++i_;
        can_repeat = false;
        continue;
      }
      if (c == '[') {
        if (auto err = char_class()) return core::unexpected(std::move(*err));
        can_repeat = true;
        continue;
      }
      if (c == '\\') {
        if (auto err = escape(false)) return core::unexpected(std::move(*err));
        can_repeat = true;
        continue;
      }
      // A literal or '.'. Symbols that RE2 could read as syntax are escaped.
      if (c == '.' || core::is_ascii_alnum(c) || c == ' ' || c == '_') {
        out_ += c;
      } else {
        out_ += '\\';
        out_ += c;
      }
      ++i_;
      can_repeat = true;
    }
    return std::move(out_);
  }

 private:
  Error invalid_character(std::size_t) const {
    const std::string whole = fmt::format("%{}%", body_);
    return Error{ErrorCode::kRegexInvalidCharacter, position_, whole,
                 fmt::format("Invalid character(s) in term '{}'", whole),
                 "regular expressions allow only letters, digits, spaces, _ # = @ / ; , - : and "
                 "the operators ^ $ ? [ ] { } | \\ * + . (no groups; match other characters with "
                 "\\xhh)"};
  }
  Error compile_error(std::size_t at, std::string why) const {
    return Error{ErrorCode::kRegexCompile, position_ + 1 + at, fmt::format("%{}%", body_),
                 std::string(kAwsRegexCompile), std::move(why)};
  }

  // {m}, {m,}, {m,n} and {,n}; bounds at most kMaxRegexRepeat.
  std::optional<Error> repetition() {
    const std::size_t open = i_;
    std::size_t j = i_ + 1;
    auto number = [&](int& value) {
      const std::size_t begin = j;
      value = 0;
      while (j < body_.size() && core::is_ascii_digit(body_[j])) {
        value = std::min(value * 10 + (body_[j] - '0'), kMaxRegexRepeat + 1);
        ++j;
      }
      return j > begin;
    };
    int low = 0;
    int high = -1;
    const bool has_low = number(low);
    bool has_comma = false;
    bool has_high = false;
    if (j < body_.size() && body_[j] == ',') {
      has_comma = true;
      ++j;
      has_high = number(high);
    }
    if (j >= body_.size() || body_[j] != '}' || (!has_low && !has_high)) {
      return compile_error(open, "a repetition is written {m}, {m,}, {m,n} or {,n}, without spaces");
    }
    if (!has_comma) high = low;
    if (low > kMaxRegexRepeat || high > kMaxRegexRepeat) {
      return compile_error(open, fmt::format("repetition counts are limited to {}", kMaxRegexRepeat));
    }
    if (has_high && has_low && high < low) {
      return compile_error(open, "in {m,n}, m must not exceed n");
    }
    if (!has_low) {
      out_ += fmt::format("{{0,{}}}", high);
    } else if (has_comma && !has_high) {
      out_ += fmt::format("{{{},}}", low);
    } else {
      out_ += fmt::format("{{{},{}}}", low, high);
    }
    i_ = j + 1;
    return std::nullopt;
  }

  // After '\': \d \D \s \S \w \W, \xhh, \t \n \r \f, or an escaped symbol.
  std::optional<Error> escape(bool in_class) {
    const std::size_t at = i_;
    if (i_ + 1 >= body_.size()) return compile_error(at, "a trailing '\\' escapes nothing");
    const char e = body_[i_ + 1];
    switch (e) {
      case 'd': case 'D': case 's': case 'S': case 'w': case 'W':
      case 't': case 'n': case 'r': case 'f':
        out_ += '\\';
        out_ += e;
        i_ += 2;
        return std::nullopt;
      case 'x':
        if (i_ + 3 < body_.size() && is_hex(body_[i_ + 2]) && is_hex(body_[i_ + 3])) {
          out_ += body_.substr(i_, 4);
          i_ += 4;
          return std::nullopt;
        }
        return compile_error(at, "\\x must be followed by two hexadecimal digits");
      default:
        break;
    }
    if (core::is_ascii_alnum(e)) {
      return compile_error(at, fmt::format("\\{} is not a supported escape (supported: \\d \\D \\s "
                                           "\\S \\w \\W \\xhh \\t \\n \\r \\f)", e));
    }
    (void)in_class;
    out_ += '\\';
    out_ += e;
    i_ += 2;
    return std::nullopt;
  }

  // [...] or [^...], with ranges and escapes; ']' right after the opening is a literal.
  std::optional<Error> char_class() {
    const std::size_t open = i_;
    out_ += '[';
    ++i_;
    if (i_ < body_.size() && body_[i_] == '^') {
      out_ += '^';
      ++i_;
    }
    bool first = true;
    while (i_ < body_.size()) {
      const char c = body_[i_];
      if (c == ']' && !first) {
        out_ += ']';
        ++i_;
        return std::nullopt;
      }
      const bool literal_bracket = c == ']' && first;
      first = false;
      if (c == '\\') {
        if (auto err = escape(true)) return err;
        continue;
      }
      if (c == '[') {
        // Java would read a nested class here, RE2 a literal; neither is documented.
        return compile_error(i_, "'[' inside a character class must be escaped as \\[");
      }
      if (literal_bracket) {
        out_ += "\\]";
      } else if (c == '-' || core::is_ascii_alnum(c) || c == ' ' || c == '_') {
        out_ += c;
      } else {
        out_ += '\\';
        out_ += c;
      }
      ++i_;
    }
    return compile_error(open, "the character class has no closing ']'");
  }

  std::string_view body_;
  std::size_t position_;
  std::size_t i_ = 0;
  std::string out_;
};

}  // namespace

core::Result<std::string, Error> translate_regex(std::string_view body, std::size_t position) {
  return Translator(body, position).run();
}

core::Result<Regex, Error> Regex::compile(std::string_view body, std::size_t position) {
  auto translated = translate_regex(body, position);
  if (!translated) return core::unexpected(std::move(translated).error());
  RE2::Options options;
  options.set_log_errors(false);
  options.set_never_capture(true);
  options.set_case_sensitive(true);
  options.set_max_mem(8 << 20);
  auto re = std::make_shared<const RE2>(*translated, options);
  if (!re->ok()) {
    return core::unexpected(Error{ErrorCode::kRegexCompile, position, fmt::format("%{}%", body),
                                  std::string(kAwsRegexCompile), re->error()});
  }
  Regex regex;
  regex.body_ = std::string(body);
  regex.re_ = std::move(re);
  return regex;
}

bool Regex::search(std::string_view text) const {
  return RE2::PartialMatch(re2::StringPiece(text.data(), text.size()), *re_);
}

}  // namespace sgwatch::pattern
