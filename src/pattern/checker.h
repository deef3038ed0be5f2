// Checker: the rules a parsed pattern must also satisfy (spec section 8): regex dialect and
// count, wildcard-selector limits, operator/value types, distinct field names.
// Neighbours: parser.h before it, matcher.h (compile) after it.
#pragma once

#include <optional>

#include "pattern/ast.h"
#include "pattern/error.h"

namespace sgwatch::pattern {

inline constexpr std::size_t kMaxRegexPerPattern = 2;
inline constexpr std::size_t kMaxWildcardsPerSelector = 1;
inline constexpr std::size_t kMaxWildcardsPerPattern = 3;

std::optional<Error> check(const Ast& ast);

}  // namespace sgwatch::pattern
