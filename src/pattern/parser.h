// Parser: pattern text -> Ast. Dispatches on the pattern's first character (spec section 2) and
// parses terms, a standalone regex, a JSON pattern or a space-delimited pattern. Boolean
// expressions are parsed with an explicit operator stack (no recursion over parentheses).
// Neighbours: lexer.h below, checker.h after it; Matcher::compile runs all stages.
#pragma once

#include <string_view>

#include "core/result.h"
#include "pattern/ast.h"
#include "pattern/error.h"

namespace sgwatch::pattern {

// AWS's limit on a pattern, in characters (Unicode code points).
inline constexpr std::size_t kMaxPatternLength = 1024;

core::Result<Ast, Error> parse(std::string_view pattern);

}  // namespace sgwatch::pattern
