// Implementation of controls.h. Per control and benchmark, once per process (std::call_once):
// the reference matcher, the static events classified by it, the probe bases (the required
// records, parsed once) and the probes of the reference's own conditions with the reference's
// verdict on each. Per evaluation: the probes of the user's conditions that the reference's do
// not already make, the user's matcher over everything, lint::compare, and the naming of the
// user's conditions that exclude events the reference matches.
#include "lint/controls.h"

#include <fmt/format.h>

#include <algorithm>
#include <array>
#include <mutex>
#include <optional>
#include <unordered_map>
#include <unordered_set>

#include "lint/control_events.h"
#include "lint/probes.h"
#include "pattern/dump.h"
#include "pattern/subject.h"
#include "rules/rules.h"

namespace sgwatch::lint {
namespace {

constexpr std::size_t kControlCount = 15;
// At most this many missed required events, and extra matches, per event name (or probe change).
constexpr std::size_t kPerGroup = 3;
constexpr std::size_t kMaxExtraMatches = 12;
constexpr std::size_t kMaxExtraConditions = 12;

struct Title {
  std::string_view id;
  std::string_view title;
};

// The v3.0.0 titles (v5.0.0 keeps them): ../shared/spec/cis-section4.md.
constexpr std::array<Title, kControlCount> kTitles = {{
    {"4.1", "Ensure unauthorized API calls are monitored"},
    {"4.2", "Ensure management console sign-in without MFA is monitored"},
    {"4.3", "Ensure usage of 'root' account is monitored"},
    {"4.4", "Ensure IAM policy changes are monitored"},
    {"4.5", "Ensure CloudTrail configuration changes are monitored"},
    {"4.6", "Ensure AWS Management Console authentication failures are monitored"},
    {"4.7", "Ensure disabling or scheduled deletion of customer created CMKs is monitored"},
    {"4.8", "Ensure S3 bucket policy changes are monitored"},
    {"4.9", "Ensure AWS Config configuration changes are monitored"},
    {"4.10", "Ensure security group changes are monitored"},
    {"4.11", "Ensure Network Access Control Lists (NACL) changes are monitored"},
    {"4.12", "Ensure changes to network gateways are monitored"},
    {"4.13", "Ensure route table changes are monitored"},
    {"4.14", "Ensure VPC changes are monitored"},
    {"4.15", "Ensure AWS Organizations changes are monitored"},
}};

std::vector<ControlInfo> build_controls(Benchmark benchmark) {
  std::vector<ControlInfo> out;
  out.reserve(kControlCount);
  for (const Title& t : kTitles) {
    const bool v5_filter = benchmark == Benchmark::kCisV5 && t.id == "4.10";
    out.push_back(ControlInfo{std::string(t.id), std::string(t.title),
                              fmt::format("{}-{}", v5_filter ? "cis-v5" : "cis-v3", t.id)});
  }
  return out;
}

std::size_t benchmark_index(Benchmark benchmark) {
  return benchmark == Benchmark::kCisV3 ? 0 : 1;
}

// One evaluated event.
struct Entry {
  ControlEvent event;
  std::string group;  // event name (static) or the probe's change
  EventClass cls = EventClass::kNearMiss;
  std::size_t base = 0;
  std::string probe_selector;  // a probe's canonical selector; empty for a static event
};

struct Prepared {
  ControlInfo info;
  std::optional<pattern::Matcher> reference;
  std::unordered_set<std::string> reference_conditions;  // condition_key of every reference leaf
  std::vector<pattern::Matcher> reference_leaves;        // each reference leaf compiled alone
  std::vector<Entry> entries;                  // static events, then the reference's probes
  std::vector<bool> reference_hits;            // parallel to entries
  std::vector<std::size_t> probe_bases;        // the required static entries
  std::vector<ProbeBase> bases;                // parallel to probe_bases
  std::unordered_set<std::string> probe_keys;  // the reference's probes
  std::vector<std::string> skipped;            // the reference's unprobed selectors
};

std::string probe_event_id(std::size_t control, std::size_t serial) {
  return fmt::format("{:08x}-9b0e-4c5d-a1f2-{:012x}", 0x9b000000U + control,
                     0x5f00000000ULL + serial);
}

bool reference_matches(const pattern::Matcher& matcher, pattern::Subject& subject,
                       const std::string& text) {
  subject.reset(text);
  return matcher.matches(subject);
}

// Appends the probes (other than those with a key in `known`) of every base to `out`, each
// classified by the reference: optional when it matches, near miss otherwise.
void add_probes(const Prepared& p, std::size_t control, const std::vector<Probe>& probes,
                const std::unordered_set<std::string>* known, std::size_t first_index,
                std::vector<Entry>& out, std::vector<bool>& reference_hits) {
  pattern::Subject subject;
  std::size_t serial = first_index + out.size();
  for (const Probe& probe : probes) {
    if (known != nullptr && known->count(probe.key) > 0) continue;
    for (std::size_t b = 0; b < p.bases.size(); ++b) {
      const std::size_t base_index = p.probe_bases[b];
      auto text = p.bases[b].apply(probe, probe_event_id(control, ++serial));
      if (!text) continue;
      const bool hit = reference_matches(*p.reference, subject, *text);
      Entry entry;
      entry.event.description = p.entries[base_index].event.description + " with " + probe.label;
      entry.event.text = std::move(*text);
      entry.group = probe.label;
      entry.cls = hit ? EventClass::kOptional : EventClass::kNearMiss;
      entry.base = base_index;
      entry.probe_selector = probe.selector;
      out.push_back(std::move(entry));
      reference_hits.push_back(hit);
    }
  }
}

core::Result<Prepared, std::string> prepare(Benchmark benchmark, std::size_t index) {
  Prepared p;
  p.info = metric_controls(benchmark)[index];
  const rules::Pack* pack = rules::find_pack(benchmark_name(benchmark));
  if (pack == nullptr)
    return core::unexpected(
        fmt::format("the built-in pack {} is missing", benchmark_name(benchmark)));
  const rules::BuiltinFilter* filter = nullptr;
  for (const auto& candidate : pack->filters) {
    if (candidate.name == p.info.reference_filter) filter = &candidate;
  }
  if (filter == nullptr) {
    return core::unexpected(
        fmt::format("the pack {} has no filter {}", pack->name, p.info.reference_filter));
  }
  auto compiled = pattern::Matcher::compile(filter->pattern);
  if (!compiled)
    return core::unexpected(
        fmt::format("built-in filter {}: {}", filter->name, compiled.error().describe()));
  p.reference.emplace(std::move(*compiled));
  for (const auto& condition : p.reference->ast().conditions) {
    p.reference_conditions.insert(condition_key(condition));
    auto leaf = pattern::Matcher::compile("{ " + condition_text(condition) + " }");
    if (!leaf) {
      return core::unexpected(fmt::format("built-in filter {}: condition {}: {}", filter->name,
                                          condition_text(condition), leaf.error().describe()));
    }
    p.reference_leaves.push_back(std::move(*leaf));
  }

  auto table = control_events(benchmark, p.info.id);
  if (!table) return core::unexpected(std::move(table).error());
  pattern::Subject subject;
  p.entries.reserve(table->size());
  p.reference_hits.reserve(table->size());
  for (TableEvent& event : *table) {
    const bool hit = reference_matches(*p.reference, subject, event.event.text);
    Entry entry;
    entry.event = std::move(event.event);
    entry.group = std::move(event.group);
    entry.cls = !hit ? EventClass::kNearMiss
                     : (event.intended == EventClass::kRequired ? EventClass::kRequired
                                                                : EventClass::kOptional);
    entry.base = event.base;
    p.entries.push_back(std::move(entry));
    p.reference_hits.push_back(hit);
  }
  for (std::size_t i = 0; i < p.entries.size(); ++i) {
    if (p.entries[i].cls != EventClass::kRequired) continue;
    auto base = ProbeBase::parse(p.entries[i].event.text);
    if (!base) return core::unexpected(fmt::format("control {}: {}", p.info.id, base.error()));
    p.probe_bases.push_back(i);
    p.bases.push_back(std::move(*base));
  }
  ProbeSet probes = probes_for(p.reference->ast());
  p.skipped = std::move(probes.skipped);
  std::vector<Entry> added;
  std::vector<bool> added_hits;
  add_probes(p, index, probes.probes, nullptr, p.entries.size(), added, added_hits);
  for (const Probe& probe : probes.probes) p.probe_keys.insert(probe.key);
  p.entries.reserve(p.entries.size() + added.size());
  for (std::size_t i = 0; i < added.size(); ++i) {
    p.entries.push_back(std::move(added[i]));
    p.reference_hits.push_back(added_hits[i]);
  }
  return p;
}

struct Slot {
  std::once_flag once;
  std::optional<core::Result<Prepared, std::string>> value;
};

const core::Result<Prepared, std::string>& prepared(Benchmark benchmark, std::size_t index) {
  static std::array<std::array<Slot, kControlCount>, 2> slots;
  Slot& slot = slots[benchmark_index(benchmark)][index];
  std::call_once(slot.once, [&] { slot.value.emplace(prepare(benchmark, index)); });
  return *slot.value;
}

std::optional<std::size_t> control_index(std::string_view control) {
  for (std::size_t i = 0; i < kTitles.size(); ++i) {
    if (kTitles[i].id == control) return i;
  }
  return std::nullopt;
}

// The value of an and/or tree for given leaf values (iterative post-order).
bool evaluate_tree(const pattern::BoolTree& tree, const std::vector<bool>& leaves) {
  if (tree.empty()) return true;
  std::vector<signed char> value(tree.nodes.size(), -1);
  std::vector<std::uint32_t> stack{tree.root};
  while (!stack.empty()) {
    const std::uint32_t n = stack.back();
    const pattern::BoolNode& node = tree.nodes[n];
    if (node.kind == pattern::BoolKind::kLeaf) {
      value[n] = leaves[node.leaf] ? 1 : 0;
      stack.pop_back();
      continue;
    }
    bool pending = false;
    for (const std::uint32_t child : node.children) {
      if (value[child] < 0) {
        stack.push_back(child);
        pending = true;
      }
    }
    if (pending) continue;
    const bool conjunction = node.kind == pattern::BoolKind::kAnd;
    bool result = conjunction;
    for (const std::uint32_t child : node.children) {
      result = conjunction ? (result && value[child] > 0) : (result || value[child] > 0);
    }
    value[n] = result ? 1 : 0;
    stack.pop_back();
  }
  return value[tree.root] > 0;
}

// The truth of each of `leaves` (single-condition matchers) on `text`.
std::vector<bool> leaf_truths(const std::vector<const pattern::Matcher*>& leaves,
                              pattern::Subject& subject, const std::string& text) {
  std::vector<bool> out(leaves.size(), false);
  subject.reset(text);
  for (std::size_t i = 0; i < leaves.size(); ++i) {
    if (leaves[i] != nullptr) out[i] = leaves[i]->matches(subject);
  }
  return out;
}

// Names the user's conditions that make it miss an event whose base it matches. Only when every
// condition of the reference holds or fails alike on the two (otherwise the event differs in
// what the reference itself looks at — an event name, a source — and the difference is
// coverage, reported through missed required events). The named leaves (each compiled alone and
// run with the real matcher) are those whose truth differs between the two, narrowed to those
// whose flip alone turns the pattern false, minus conditions the reference has too.
class ConditionNamer {
 public:
  ConditionNamer(const pattern::Matcher& user, const Prepared& p) : user_(user), p_(p) {
    reference_leaves_.reserve(p.reference_leaves.size());
    for (const auto& leaf : p.reference_leaves) reference_leaves_.push_back(&leaf);
  }

  struct Named {
    std::string text;                    // the conditions as the pattern writes them
    std::vector<std::string> selectors;  // their canonical selectors
  };

  // The conditions, or nullopt when no condition of the user's own can be named.
  std::optional<Named> name(const std::string& event, std::size_t base_index,
                            const std::string& base) {
    if (leaf_truths(reference_leaves_, subject_, event) !=
        cached(reference_base_truths_, reference_leaves_, base_index, base)) {
      return std::nullopt;
    }
    if (user_.kind() != pattern::PatternKind::kJson) return Named{user_.text(), {}};
    if (!compiled_) compile();
    const std::vector<bool> at_event = leaf_truths(leaves_, subject_, event);
    const std::vector<bool>& at_base = cached(base_truths_, leaves_, base_index, base);
    const auto& ast = user_.ast();
    std::vector<std::size_t> flipped;
    for (std::size_t i = 0; i < at_event.size(); ++i) {
      if (known_[i] && at_event[i] != at_base[i]) flipped.push_back(i);
    }
    std::vector<std::size_t> essential;
    for (const std::size_t i : flipped) {
      std::vector<bool> one = at_base;
      one[i] = at_event[i];
      if (!evaluate_tree(ast.tree, one)) essential.push_back(i);
    }
    if (essential.empty()) essential = flipped;
    Named named;
    std::unordered_set<std::string> seen;
    for (const std::size_t i : essential) {
      const auto& condition = ast.conditions[i];
      if (p_.reference_conditions.count(condition_key(condition)) > 0) continue;
      std::string one = condition_text(condition);
      if (!seen.insert(one).second) continue;
      if (!named.text.empty()) named.text += " && ";
      named.text += one;
      named.selectors.push_back(pattern::dump(condition.selector));
    }
    if (named.text.empty()) return std::nullopt;
    return named;
  }

 private:
  void compile() {
    compiled_ = true;
    const auto& conditions = user_.ast().conditions;
    owned_.reserve(conditions.size());
    known_.reserve(conditions.size());
    for (const auto& condition : conditions) {
      auto leaf = pattern::Matcher::compile("{ " + condition_text(condition) + " }");
      known_.push_back(leaf.ok());
      owned_.push_back(leaf.ok() ? std::optional<pattern::Matcher>(std::move(*leaf))
                                 : std::nullopt);
    }
    leaves_.reserve(owned_.size());
    for (const auto& leaf : owned_) leaves_.push_back(leaf ? &*leaf : nullptr);
  }

  const std::vector<bool>& cached(std::unordered_map<std::size_t, std::vector<bool>>& cache,
                                  const std::vector<const pattern::Matcher*>& leaves,
                                  std::size_t base_index, const std::string& base) {
    auto found = cache.find(base_index);
    if (found == cache.end())
      found = cache.emplace(base_index, leaf_truths(leaves, subject_, base)).first;
    return found->second;
  }

  const pattern::Matcher& user_;
  const Prepared& p_;
  bool compiled_ = false;
  std::vector<std::optional<pattern::Matcher>> owned_;
  std::vector<const pattern::Matcher*> leaves_;
  std::vector<const pattern::Matcher*> reference_leaves_;
  std::vector<bool> known_;
  std::unordered_map<std::size_t, std::vector<bool>> base_truths_;
  std::unordered_map<std::size_t, std::vector<bool>> reference_base_truths_;
  pattern::Subject subject_;
};

ControlVerdict evaluate(const Prepared& p, std::size_t control, const pattern::Matcher& user) {
  ControlVerdict verdict;
  verdict.control = p.info.id;
  verdict.skipped_probes = p.skipped;

  // The user's own probes.
  std::vector<Entry> extra;
  std::vector<bool> extra_reference;
  if (user.kind() == pattern::PatternKind::kJson) {
    ProbeSet probes = probes_for(user.ast());
    for (std::string& reason : probes.skipped) {
      if (std::find(verdict.skipped_probes.begin(), verdict.skipped_probes.end(), reason) ==
          verdict.skipped_probes.end()) {
        verdict.skipped_probes.push_back(std::move(reason));
      }
    }
    add_probes(p, control, probes.probes, &p.probe_keys, p.entries.size(), extra, extra_reference);
  }
  const std::size_t total = p.entries.size() + extra.size();
  auto entry = [&](std::size_t i) -> const Entry& {
    return i < p.entries.size() ? p.entries[i] : extra[i - p.entries.size()];
  };

  std::vector<bool> user_hits(total, false);
  std::vector<bool> reference_hits = p.reference_hits;
  reference_hits.insert(reference_hits.end(), extra_reference.begin(), extra_reference.end());
  pattern::Subject subject;
  const pattern::Prefilter& prefilter = user.prefilter();
  for (std::size_t i = 0; i < total; ++i) {
    const std::string& text = entry(i).event.text;
    if (!prefilter.may_match(text)) continue;
    subject.reset(text);
    user_hits[i] = user.matches(subject);
  }

  verdict.verdict = compare(user_hits, reference_hits);
  verdict.evaluated = total;
  verdict.covers_required = true;
  std::unordered_map<std::string, std::size_t> missed_per_group;
  std::unordered_map<std::string, std::size_t> extra_per_group;
  // Per named condition: whether its example is a probe of one of the condition's own fields
  // (the clearest example: the base record with just that field changed).
  std::vector<bool> example_is_own_probe;
  ConditionNamer namer(user, p);
  for (std::size_t i = 0; i < total; ++i) {
    const Entry& e = entry(i);
    verdict.user_matches += user_hits[i] ? 1U : 0U;
    verdict.reference_matches += reference_hits[i] ? 1U : 0U;
    if (e.cls == EventClass::kRequired && !user_hits[i]) {
      verdict.covers_required = false;
      if (missed_per_group[e.group]++ < kPerGroup) verdict.missed_required.push_back(e.event);
    }
    if (user_hits[i] && !reference_hits[i] && verdict.extra_matches.size() < kMaxExtraMatches &&
        extra_per_group[e.group]++ < kPerGroup) {
      verdict.extra_matches.push_back(e.event);
    }
    if (reference_hits[i] && !user_hits[i] && e.base != i && user_hits[e.base]) {
      auto named = namer.name(e.event.text, e.base, entry(e.base).event.text);
      if (!named) continue;
      const bool own_probe =
          !e.probe_selector.empty() && std::find(named->selectors.begin(), named->selectors.end(),
                                                 e.probe_selector) != named->selectors.end();
      auto& conditions = verdict.extra_conditions;
      const auto found =
          std::find_if(conditions.begin(), conditions.end(),
                       [&](const ExtraCondition& c) { return c.condition == named->text; });
      if (found == conditions.end()) {
        if (conditions.size() >= kMaxExtraConditions) continue;
        conditions.push_back(ExtraCondition{std::move(named->text), e.event});
        example_is_own_probe.push_back(own_probe);
      } else {
        const auto at = static_cast<std::size_t>(found - conditions.begin());
        if (own_probe && !example_is_own_probe[at]) {
          found->example = e.event;
          example_is_own_probe[at] = true;
        }
      }
    }
  }
  return verdict;
}

core::Result<pattern::Matcher, std::string> compile_user(std::string_view user_pattern) {
  auto compiled = pattern::Matcher::compile(user_pattern);
  if (!compiled)
    return core::unexpected(
        fmt::format("the filter pattern does not compile: {}", compiled.error().describe()));
  return std::move(*compiled);
}

}  // namespace

std::string_view benchmark_name(Benchmark benchmark) {
  return benchmark == Benchmark::kCisV3 ? "cis-v3" : "cis-v5";
}

const std::vector<ControlInfo>& metric_controls(Benchmark benchmark) {
  static const std::vector<ControlInfo> v3 = build_controls(Benchmark::kCisV3);
  static const std::vector<ControlInfo> v5 = build_controls(Benchmark::kCisV5);
  return benchmark == Benchmark::kCisV3 ? v3 : v5;
}

core::Result<ControlVerdict, std::string> evaluate_control(Benchmark benchmark,
                                                           std::string_view control,
                                                           const pattern::Matcher& user) {
  const auto index = control_index(control);
  if (!index) {
    return core::unexpected(
        fmt::format("{} has no metric-filter control {} (the controls are 4.1-4.15)",
                    benchmark_name(benchmark), control));
  }
  const auto& p = prepared(benchmark, *index);
  if (!p) return core::unexpected(p.error());
  return evaluate(*p, *index, user);
}

core::Result<ControlVerdict, std::string> evaluate_control(Benchmark benchmark,
                                                           std::string_view control,
                                                           std::string_view user_pattern) {
  const auto index = control_index(control);
  if (!index) {
    return core::unexpected(
        fmt::format("{} has no metric-filter control {} (the controls are 4.1-4.15)",
                    benchmark_name(benchmark), control));
  }
  auto user = compile_user(user_pattern);
  if (!user) return core::unexpected(std::move(user).error());
  return evaluate_control(benchmark, control, *user);
}

core::Result<std::vector<ControlVerdict>, std::string> evaluate_controls(
    Benchmark benchmark, const pattern::Matcher& user) {
  std::vector<ControlVerdict> out;
  out.reserve(kControlCount);
  for (std::size_t i = 0; i < kControlCount; ++i) {
    const auto& p = prepared(benchmark, i);
    if (!p) return core::unexpected(p.error());
    out.push_back(evaluate(*p, i, user));
  }
  return out;
}

core::Result<std::vector<ControlVerdict>, std::string> evaluate_controls(
    Benchmark benchmark, std::string_view user_pattern) {
  auto user = compile_user(user_pattern);
  if (!user) return core::unexpected(std::move(user).error());
  return evaluate_controls(benchmark, *user);
}

core::Result<std::vector<std::string>, std::string> controls_covered(
    Benchmark benchmark, std::string_view user_pattern) {
  auto verdicts = evaluate_controls(benchmark, user_pattern);
  if (!verdicts) return core::unexpected(std::move(verdicts).error());
  std::vector<std::string> out;
  out.reserve(verdicts->size());
  for (const ControlVerdict& verdict : *verdicts) {
    if (verdict.covers_required) out.push_back(verdict.control);
  }
  return out;
}

}  // namespace sgwatch::lint
