// Compact one-line dumps of an AST, for parser tests and `sgwatch test-pattern --explain`:
//   json(or(eq($.eventName,"CreateSecurityGroup") absent($.errorCode)))
//   terms(+ERROR -"BAD REQUEST" ?WARN)   delim(ip ... status{or(eq(#404) eq(#410))})
// Neighbours: ast.h.
#pragma once

#include <string>

#include "pattern/ast.h"

namespace sgwatch::pattern {

std::string dump(const Ast& ast);
std::string dump(const Selector& selector);

}  // namespace sgwatch::pattern
