// Front door of the rules module: the built-in filter packs of `sgwatch scan --rules` and
// `sgwatch rules list`. Pure data (names, titles, pattern strings); callers compile them with
// the pattern module. Names follow CONTRACTS.md: cis-v3-4.1 ... cis-v3-4.15, cis-v3-4.2-sso,
// cis-v5-4.10, sg-<ApiName>; each publishes metric <name> in namespace CISBenchmark, value 1.
#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace sgwatch::rules {

inline constexpr std::string_view kNamespace = "CISBenchmark";

struct BuiltinFilter {
  std::string name;     // also the metric name
  std::string title;    // what it watches
  std::string pattern;  // the filter pattern, exactly as the source gives it
};

struct Pack {
  std::string name;
  std::string description;
  std::vector<BuiltinFilter> filters;  // in definition order
};

// Every pack: cis-v3, cis-v5, sg-all.
const std::vector<Pack>& packs();
// The pack called `name`, or nullptr.
const Pack* find_pack(std::string_view name);

}  // namespace sgwatch::rules
