// `sgwatch state import|apply|exposure|show` (docs/cli.md "sgwatch state"): the live state of
// security groups in the state store — a baseline from `aws ec2 describe-security-groups` (or
// describe-security-group-rules) output, moved forward by CloudTrail events (read as `sgwatch
// scan` reads them, each change normalized and applied with sg::apply, printing its rule diff),
// and what is open to the world now. The logic is in src/sg (state.h, baseline.h); the documents
// are kept by src/store (sg_tables.cpp). Exit statuses: import 0/2; apply 0 a change was applied,
// 1 none, 2 error; exposure 0 something is exposed, 1 nothing, 2 error; show 0 found, 1 none, 2.
#include <fcntl.h>
#include <fmt/format.h>
#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <ctime>
#include <map>
#include <memory>

#include "cli/commands.h"
#include "cli/output.h"
#include "core/time.h"
#include "event/reader.h"
#include "scan/inputs.h"
#include "sg/sg.h"
#include "store/store.h"

namespace sgwatch::cli {
namespace {

struct StateOptions {
  std::string state_dir = "./sgwatch-state";
  std::string format;
  std::string file;                // import
  std::vector<std::string> paths;  // apply
  std::string group_id;            // show
  std::string min_severity = "critical";
  std::size_t max_record_size = std::size_t{16} << 20;
};

void write_out(const std::string& text) { std::fwrite(text.data(), 1, text.size(), stdout); }

std::string dump_line(const Json& value) {
  return value.dump(-1, ' ', false, Json::error_handler_t::replace) + "\n";
}

bool colour_allowed() { return ::isatty(STDOUT_FILENO) != 0 && std::getenv("NO_COLOR") == nullptr; }

// The --format value, defaulted as CONTRACTS.md says; nullopt (after an error line) when invalid.
std::optional<std::string> format_of(const StateOptions& options) {
  std::string format = options.format;
  if (format.empty()) format = ::isatty(STDOUT_FILENO) != 0 ? "table" : "jsonl";
  if (format != "table" && format != "jsonl" && format != "json") {
    print_error("usage", "--format", fmt::format("'{}' is not one of table, jsonl, json", format));
    return std::nullopt;
  }
  return format;
}

std::unique_ptr<store::Store> open_store(const StateOptions& options) {
  auto store = store::Store::open(options.state_dir);
  if (!store) {
    print_error("cannot open the state store", options.state_dir, store.error());
    return nullptr;
  }
  return std::move(*store);
}

// A stored group document back into a state; nullopt after an error line.
std::optional<sg::GroupState> decode(const store::SgGroupRecord& record, const store::Store& store) {
  const auto document = nlohmann::json::parse(record.document, nullptr, false);
  if (document.is_discarded()) {
    print_error("corrupt state", fmt::format("{} group {}", store.path().string(), record.group_id),
                "the stored document is not JSON");
    return std::nullopt;
  }
  auto state = sg::state_from_json(document);
  if (!state) {
    print_error("corrupt state", fmt::format("{} group {}", store.path().string(), record.group_id), state.error());
    return std::nullopt;
  }
  return std::move(*state);
}

bool save(store::Store& store, const sg::GroupState& state) {
  store::SgGroupRecord record;
  record.group_id = state.id;
  record.document = sg::state_to_json(state).dump(-1, ' ', false, Json::error_handler_t::replace);
  record.updated_ms = static_cast<std::int64_t>(std::time(nullptr)) * 1000;
  auto ok = store.put_sg_group(record);
  if (!ok) {
    print_error("cannot write the state store", store.path().string(), ok.error());
    return false;
  }
  return true;
}

// ---- import ----------------------------------------------------------------------------------

int run_import(const StateOptions& options) {
  std::string text;
  if (options.file == "-") {
    char buffer[65536];
    std::size_t n;
    while ((n = std::fread(buffer, 1, sizeof buffer, stdin)) > 0) text.append(buffer, n);
  } else {
    std::FILE* in = std::fopen(options.file.c_str(), "rb");
    if (in == nullptr) {
      print_error("cannot read", options.file, std::strerror(errno));
      return kExitError;
    }
    char buffer[65536];
    std::size_t n;
    while ((n = std::fread(buffer, 1, sizeof buffer, in)) > 0) text.append(buffer, n);
    const bool failed = std::ferror(in) != 0;
    std::fclose(in);
    if (failed) {
      print_error("cannot read", options.file, "read error");
      return kExitError;
    }
  }
  sg::BaselineOptions baseline_options;
  baseline_options.imported_at = core::format_iso8601(static_cast<std::int64_t>(std::time(nullptr)));
  auto baseline = sg::parse_baseline(text, baseline_options);
  if (!baseline) {
    print_error("bad input", fmt::format("{} at {}", options.file, baseline.error().where), baseline.error().why);
    return kExitError;
  }
  auto store = open_store(options);
  if (!store) return kExitError;
  if (auto ok = store->begin(); !ok) {
    print_error("cannot write the state store", options.state_dir, ok.error());
    return kExitError;
  }
  std::map<std::string, sg::GroupState> states;
  for (sg::GroupState& group : baseline->groups) {
    std::string id = group.id;
    states[id] = std::move(group);  // a baseline replaces the group's state (a later entry wins)
  }
  std::size_t rule_ids = 0;
  for (const auto& [group_id, rule] : baseline->rules) {
    auto it = states.find(group_id);
    if (it == states.end()) {
      auto stored = store->sg_group(group_id);
      if (!stored) {
        print_error("cannot read the state store", options.state_dir, stored.error());
        store->rollback();
        return kExitError;
      }
      sg::GroupState state;
      if (*stored) {
        auto decoded = decode(**stored, *store);
        if (!decoded) {
          store->rollback();
          return kExitError;
        }
        state = std::move(*decoded);
      } else {
        state.id = group_id;
        state.baseline_time = baseline_options.imported_at;
      }
      it = states.emplace(group_id, std::move(state)).first;
    }
    sg::merge_rule(it->second, rule);
    ++rule_ids;
  }
  std::size_t rules = 0;
  for (const auto& [id, state] : states) {
    rules += state.ingress.size() + state.egress.size();
    if (!save(*store, state)) {
      store->rollback();
      return kExitError;
    }
  }
  if (auto ok = store->commit(); !ok) {
    print_error("cannot write the state store", options.state_dir, ok.error());
    return kExitError;
  }
  write_out(fmt::format("imported {} security groups ({} rules{}) into {}\n", states.size(), rules,
                        rule_ids > 0 ? fmt::format(", {} with rule ids", rule_ids) : std::string(),
                        store->path().string()));
  return kExitOk;
}

// ---- apply -----------------------------------------------------------------------------------

std::string where_of(const std::string& path, const event::ReadError& error) {
  if (error.compressed) return fmt::format("{} at byte {} of the gzip file", path, error.offset);
  return fmt::format("{} at byte {}", path, error.offset);
}

sg::RuleChange rated(const sg::Rule& rule, sg::RuleAction action, const sg::ExposurePolicy& policy) {
  sg::RuleChange rc;
  rc.action = action;
  rc.rule = rule;
  if (action == sg::RuleAction::kRemoved) {
    rc.severity = sg::Severity::kInfo;
    rc.reason = "removal reduces exposure";
  } else {
    sg::assess_rule(rc, policy);
  }
  return rc;
}

Json apply_line(const sg::Change& change, const sg::ApplyResult& result) {
  Json line;
  line["eventId"] = change.event_id.empty() ? Json(nullptr) : Json(change.event_id);
  line["eventName"] = change.event_name;
  line["eventTime"] = change.event_time.empty() ? Json(nullptr) : Json(change.event_time);
  line["groupId"] = result.state.id.empty() ? Json(change.group.id) : Json(result.state.id);
  line["groupName"] = result.state.name.empty() ? Json(nullptr) : Json(result.state.name);
  line["kind"] = sg::change_kind_name(change.kind);
  line["applied"] = result.applied;
  line["outOfOrder"] = result.out_of_order;
  line["unknownBaseline"] = result.state.unknown_baseline;
  line["newState"] = result.created_state;
  line["deleted"] = result.state.deleted;
  line["severity"] = sg::severity_name(change.severity);
  line["reason"] = change.reason;
  line["diff"] = sg::diff_to_json(result.diff);
  if (result.tags_changed) {
    Json tags = Json::array();
    for (const sg::Tag& tag : result.state.tags) {
      tags.push_back(Json{{"key", tag.key}, {"value", tag.value ? Json(*tag.value) : Json(nullptr)}});
    }
    line["tags"] = std::move(tags);
  }
  line["notes"] = result.notes;
  return line;
}

std::string apply_text(const sg::Change& change, const sg::ApplyResult& result, const sg::ExposurePolicy& policy) {
  std::string group = result.state.id.empty() ? change.group.id : result.state.id;
  if (!result.state.name.empty()) group += fmt::format(" ({})", result.state.name);
  std::string flags;
  if (!result.applied) flags += "  not applied";
  if (result.created_state) flags += "  new state (unknown baseline)";
  if (result.out_of_order) flags += "  out of order";
  if (result.group_deleted) flags += "  group deleted";
  std::string out = fmt::format("{}  {}  {}{}\n", change.event_time.empty() ? "-" : change.event_time,
                                change.event_name, group, flags);
  for (const sg::Rule& r : result.diff.added) out += "  " + sg::rule_line(rated(r, sg::RuleAction::kAdded, policy)) + "\n";
  for (const sg::Rule& r : result.diff.removed) out += "  " + sg::rule_line(rated(r, sg::RuleAction::kRemoved, policy)) + "\n";
  for (const auto& [before, after] : result.diff.changed) {
    out += "  " + sg::rule_line(rated(before, sg::RuleAction::kModified, policy)) + "\n";
    out += "    now " + sg::rule_line(rated(after, sg::RuleAction::kModified, policy)).substr(2) + "\n";
  }
  if (result.tags_changed) {
    std::string tags;
    for (const sg::Tag& t : result.state.tags) tags += (tags.empty() ? "" : ", ") + t.key + (t.value ? "=" + *t.value : "");
    out += fmt::format("  tags now [{}]\n", tags);
  }
  for (const std::string& note : result.notes) out += fmt::format("  note: {}\n", note);
  return out;
}

int run_apply(const StateOptions& options) {
  const auto format = format_of(options);
  if (!format) return kExitError;
  auto store = open_store(options);
  if (!store) return kExitError;

  std::vector<scan::InputProblem> problems;
  const std::vector<scan::Input> inputs = scan::expand_inputs(options.paths, problems);
  std::uint64_t errors = 0;
  for (const auto& problem : problems) {
    print_error("cannot read", problem.path, problem.reason);
    ++errors;
  }
  if (auto ok = store->begin(); !ok) {
    print_error("cannot write the state store", options.state_dir, ok.error());
    return kExitError;
  }
  const sg::NormalizeOptions normalize_options;
  std::map<std::string, sg::GroupState> states;  // loaded or begun during this run, saved at the end
  std::uint64_t applied = 0, not_applied = 0, repeated = 0, printed = 0;
  bool store_failed = false;
  Json array = Json::array();
  for (const scan::Input& input : inputs) {
    if (store_failed) break;
    int fd = STDIN_FILENO;
    if (!input.is_stdin) {
      fd = ::open(input.path.c_str(), O_RDONLY | O_CLOEXEC);
      if (fd < 0) {
        print_error("cannot read", input.path, std::strerror(errno));
        ++errors;
        continue;
      }
    }
    event::Reader::Options reader_options;
    reader_options.max_record_size = options.max_record_size;
    reader_options.sniff_json = input.walked;
    const event::Reader reader(reader_options);
    event::FdSource source(fd);
    const event::ReadResult read = reader.read(source, [&](const event::Record& record) {
      if (store_failed) return;
      sg::NormalizeResult result = sg::normalize(record.text, normalize_options);
      if (!result) return;
      for (const sg::Change& change : *result) {
        if (!sg::changes_group_state(change)) {
          ++not_applied;
          continue;
        }
        auto seen = store->sg_change_applied(change.event_id, change.group.id);
        if (!seen) {
          print_error("cannot read the state store", options.state_dir, seen.error());
          store_failed = true;
          return;
        }
        if (!change.event_id.empty() && *seen) {
          ++repeated;
          continue;
        }
        bool created = false;
        auto it = states.find(change.group.id);
        if (it == states.end()) {
          auto stored = store->sg_group(change.group.id);
          if (!stored) {
            print_error("cannot read the state store", options.state_dir, stored.error());
            store_failed = true;
            return;
          }
          sg::GroupState state;
          if (*stored) {
            auto decoded = decode(**stored, *store);
            if (!decoded) {
              store_failed = true;
              return;
            }
            state = std::move(*decoded);
          } else {
            state = sg::unknown_group(change);
            created = true;
          }
          it = states.emplace(change.group.id, std::move(state)).first;
        }
        sg::ApplyResult outcome = sg::apply(it->second, change);
        outcome.created_state = created && outcome.applied;
        if (outcome.applied) {
          ++applied;
          it->second = outcome.state;
          if (auto ok = store->mark_sg_change_applied(change.event_id, change.group.id, change.event_time); !ok) {
            print_error("cannot write the state store", options.state_dir, ok.error());
            store_failed = true;
            return;
          }
        } else {
          ++not_applied;
          if (created) states.erase(it);
        }
        ++printed;
        if (*format == "table") {
          write_out((printed > 1 ? "\n" : "") + apply_text(change, outcome, normalize_options.policy));
        } else if (*format == "jsonl") {
          write_out(dump_line(apply_line(change, outcome)));
        } else {
          array.push_back(apply_line(change, outcome));
        }
      }
    });
    if (!input.is_stdin) ::close(fd);
    for (const auto& error : read.errors) print_error("bad input", where_of(input.path, error), error.reason);
    if (read.error_count > read.errors.size()) {
      print_error("bad input", input.path, fmt::format("{} more errors not shown", read.error_count - read.errors.size()));
    }
    errors += read.error_count;
    if (read.skipped) std::fprintf(stderr, "sgwatch: note: %s: skipped: %s\n", input.path.c_str(), read.skipped->c_str());
  }
  if (store_failed) {
    store->rollback();
    return kExitError;
  }
  for (const auto& [id, state] : states) {
    if (!save(*store, state)) {
      store->rollback();
      return kExitError;
    }
  }
  if (auto ok = store->commit(); !ok) {
    print_error("cannot write the state store", options.state_dir, ok.error());
    return kExitError;
  }
  if (*format == "json") write_out(aws_cli_json(array));
  std::fflush(stdout);
  if (repeated > 0) {
    std::fprintf(stderr, "sgwatch: note: %llu changes were applied before (same event and group): skipped\n",
                 static_cast<unsigned long long>(repeated));
  }
  if (errors > 0) return kExitError;
  return applied > 0 ? kExitOk : kExitNothing;
}

// ---- reading every stored group ----------------------------------------------------------------

std::optional<std::vector<sg::GroupState>> load_all(store::Store& store) {
  auto records = store.sg_groups();
  if (!records) {
    print_error("cannot read the state store", store.path().string(), records.error());
    return std::nullopt;
  }
  std::vector<sg::GroupState> out;
  out.reserve(records->size());
  for (const auto& record : *records) {
    auto state = decode(record, store);
    if (!state) return std::nullopt;
    out.push_back(std::move(*state));
  }
  return out;
}

// ---- exposure --------------------------------------------------------------------------------

int run_exposure(const StateOptions& options) {
  const auto format = format_of(options);
  if (!format) return kExitError;
  const std::optional<sg::Severity> min_severity = sg::parse_severity(options.min_severity);
  if (!min_severity) {
    print_error("usage", "--min-severity",
                fmt::format("'{}' is not one of info, low, medium, high, critical", options.min_severity));
    return kExitError;
  }
  auto store = open_store(options);
  if (!store) return kExitError;
  const auto states = load_all(*store);
  if (!states) return kExitError;
  const sg::ExposurePolicy policy;
  const bool colour = colour_allowed();
  std::string table;
  Json array = Json::array();
  std::size_t exposed = 0;
  for (const sg::GroupState& state : *states) {
    const std::vector<sg::RuleChange> rules = sg::exposure_of(state, policy, *min_severity);
    if (rules.empty()) continue;
    ++exposed;
    if (*format == "table") {
      for (const sg::RuleChange& rc : rules) {
        std::string severity(sg::severity_name(rc.severity));
        std::string padded = fmt::format("{:<9}", severity);
        if (colour && rc.severity >= sg::Severity::kHigh) padded = "\x1b[31m" + padded + "\x1b[0m";
        std::string rule = sg::rule_traffic_text(rc.rule) + " from " + sg::peer_text(rc.rule.peer);
        table += fmt::format("{:<24} {:<24} {:<22} {} {:<40} {}{}\n", state.id, state.name.empty() ? "-" : state.name,
                             state.vpc_id.empty() ? "-" : state.vpc_id, padded, rule, rc.reason,
                             state.unknown_baseline ? " (unknown baseline)" : "");
      }
      continue;
    }
    Json group;
    group["groupId"] = state.id;
    group["groupName"] = state.name.empty() ? Json(nullptr) : Json(state.name);
    group["vpcId"] = state.vpc_id.empty() ? Json(nullptr) : Json(state.vpc_id);
    group["ownerId"] = state.owner_id.empty() ? Json(nullptr) : Json(state.owner_id);
    group["unknownBaseline"] = state.unknown_baseline;
    group["severity"] = sg::severity_name(rules.front().severity);
    group["reason"] = rules.front().reason;
    Json list = Json::array();
    for (const sg::RuleChange& rc : rules) {
      Json rule = sg::rule_to_json(rc.rule);
      rule["severity"] = sg::severity_name(rc.severity);
      rule["reason"] = rc.reason;
      list.push_back(std::move(rule));
    }
    group["exposures"] = std::move(list);
    if (*format == "jsonl") {
      write_out(dump_line(group));
    } else {
      array.push_back(std::move(group));
    }
  }
  if (*format == "table" && exposed > 0) {
    std::string header = fmt::format("{:<24} {:<24} {:<22} {:<9} {:<40} {}\n", "GROUP", "NAME", "VPC", "SEVERITY", "RULE", "REASON");
    if (colour) header = "\x1b[1m" + header.substr(0, header.size() - 1) + "\x1b[0m\n";
    write_out(header + table);
  }
  if (*format == "json") write_out(aws_cli_json(array));
  std::fflush(stdout);
  if (exposed == 0) {
    std::fprintf(stderr, "sgwatch: note: no group of %zu is exposed at %s or above\n", states->size(),
                 std::string(sg::severity_name(*min_severity)).c_str());
  }
  return exposed > 0 ? kExitOk : kExitNothing;
}

// ---- show ------------------------------------------------------------------------------------

std::string state_text(const sg::GroupState& s) {
  std::string head = s.id;
  if (!s.name.empty()) head += fmt::format(" ({})", s.name);
  if (!s.vpc_id.empty()) head += " in " + s.vpc_id;
  if (!s.owner_id.empty()) head += " of " + s.owner_id;
  if (s.deleted) head += "  DELETED";
  if (s.unknown_baseline) head += "  unknown baseline (built from events only)";
  std::string out = head + "\n";
  if (!s.description.empty()) out += fmt::format("  description  {}\n", s.description);
  auto rules = [&](const char* label, const std::vector<sg::Rule>& list) {
    if (list.empty()) {
      out += fmt::format("  {:<11}  (none)\n", label);
      return;
    }
    for (const sg::Rule& r : list) {
      std::string line = sg::rule_traffic_text(r);
      if (r.peer.kind != sg::Peer::Kind::kNone) {
        line += (r.direction == sg::Direction::kEgress ? " to " : " from ") + sg::peer_text(r.peer);
      }
      if (!r.rule_id.empty()) line += " (" + r.rule_id + ")";
      if (r.description) line += fmt::format(" \"{}\"", *r.description);
      if (r.implicit) line += " (default)";
      out += fmt::format("  {:<11}  {}\n", label, line);
    }
  };
  rules("ingress", s.ingress);
  rules("egress", s.egress);
  if (!s.tags.empty()) {
    std::string tags;
    for (const sg::Tag& t : s.tags) tags += (tags.empty() ? "" : ", ") + t.key + (t.value ? "=" + *t.value : "");
    out += fmt::format("  tags         {}\n", tags);
  }
  if (!s.last_event_id.empty() || !s.last_event_time.empty()) {
    out += fmt::format("  last event   {} at {}\n", s.last_event_id.empty() ? "-" : s.last_event_id,
                       s.last_event_time.empty() ? "-" : s.last_event_time);
  }
  if (!s.baseline_time.empty()) out += fmt::format("  baseline     imported {}\n", s.baseline_time);
  if (s.out_of_order_events > 0) out += fmt::format("  out of order {} events\n", s.out_of_order_events);
  return out;
}

int run_show(const StateOptions& options) {
  const auto format = format_of(options);
  if (!format) return kExitError;
  auto store = open_store(options);
  if (!store) return kExitError;
  std::vector<sg::GroupState> states;
  if (!options.group_id.empty()) {
    auto stored = store->sg_group(options.group_id);
    if (!stored) {
      print_error("cannot read the state store", options.state_dir, stored.error());
      return kExitError;
    }
    if (*stored) {
      auto state = decode(**stored, *store);
      if (!state) return kExitError;
      states.push_back(std::move(*state));
    }
  } else {
    auto all = load_all(*store);
    if (!all) return kExitError;
    states = std::move(*all);
  }
  Json array = Json::array();
  for (std::size_t i = 0; i < states.size(); ++i) {
    if (*format == "table") {
      write_out((i > 0 ? "\n" : "") + state_text(states[i]));
    } else if (*format == "jsonl") {
      write_out(dump_line(sg::state_to_json(states[i])));
    } else {
      array.push_back(sg::state_to_json(states[i]));
    }
  }
  if (*format == "json") write_out(aws_cli_json(array));
  std::fflush(stdout);
  if (states.empty()) {
    if (options.group_id.empty()) {
      std::fprintf(stderr, "sgwatch: note: %s holds no security group\n", store->path().string().c_str());
    } else {
      std::fprintf(stderr, "sgwatch: note: %s: no such group in %s\n", options.group_id.c_str(),
                   store->path().string().c_str());
    }
    return kExitNothing;
  }
  return kExitOk;
}

}  // namespace

Runner add_state(CLI::App& app) {
  auto options = std::make_shared<StateOptions>();
  CLI::App* state = app.add_subcommand(
      "state", "The live state of security groups: a describe-security-groups baseline moved forward by "
               "CloudTrail events, and what is open to the world now");
  state->require_subcommand(1);
  auto state_dir = [&](CLI::App* sub) {
    sub->add_option("--state-dir", options->state_dir, "The state directory (default ./sgwatch-state)");
  };
  auto format = [&](CLI::App* sub) {
    sub->add_option("--format", options->format, "table, jsonl or json (default: table on a tty, else jsonl)");
  };
  CLI::App* import_cmd = state->add_subcommand(
      "import", "Import `aws ec2 describe-security-groups` (or describe-security-group-rules) output as the "
                "baseline of the groups it lists.\nExit status: 0 imported, 2 error.");
  import_cmd->add_option("file", options->file, "The JSON the AWS CLI printed, or '-' for stdin")->required();
  state_dir(import_cmd);
  CLI::App* apply_cmd = state->add_subcommand(
      "apply", "Apply the security-group changes of CloudTrail records to the stored state and print each "
               "change's rule diff.\nExit status: 0 a change was applied, 1 none, 2 any error.");
  apply_cmd->add_option("paths", options->paths, "Files or folders (walked recursively); none or '-' reads stdin");
  state_dir(apply_cmd);
  format(apply_cmd);
  apply_cmd->add_option("--max-record-size", options->max_record_size, "Largest record accepted, in bytes (default 16777216)")
      ->check(CLI::Range(std::size_t{1024}, std::size_t{1} << 30));
  CLI::App* exposure_cmd = state->add_subcommand(
      "exposure", "List every live group whose ingress rules are exposed now (default: open to the world on a "
                  "sensitive port or to all traffic).\nExit status: 0 something is exposed, 1 nothing, 2 error.");
  state_dir(exposure_cmd);
  format(exposure_cmd);
  exposure_cmd->add_option("--min-severity", options->min_severity,
                       "Rules at or above: info, low, medium, high, critical (default)");
  CLI::App* show_cmd = state->add_subcommand(
      "show", "Print the stored state of one group or of all.\nExit status: 0 shown, 1 no such group, 2 error.");
  show_cmd->add_option("group", options->group_id, "A group id (sg-...); none: every group");
  state_dir(show_cmd);
  format(show_cmd);
  return [options, import_cmd, apply_cmd, exposure_cmd, show_cmd]() -> int {
    if (import_cmd->parsed()) return run_import(*options);
    if (apply_cmd->parsed()) return run_apply(*options);
    if (exposure_cmd->parsed()) return run_exposure(*options);
    if (show_cmd->parsed()) return run_show(*options);
    return -1;
  };
}

}  // namespace sgwatch::cli
