// CloudWatchApi: the metric operations — PutMetricData into the alarm engine, and the reads over
// the engine's retained datapoints (GetMetricStatistics, GetMetricData, ListMetrics). Datapoints
// are kept in 10-second statistic-set buckets, so read periods are 10, 20, 30 or multiples of 60.
#include <fmt/format.h>

#include <algorithm>
#include <charconv>
#include <cmath>
#include <limits>
#include <map>
#include <set>

#include "api/cloudwatch_api.h"
#include "api/cloudwatch_input.h"
#include "api/page_token.h"
#include "metrics/statistics.h"
#include "metrics/store.h"

namespace sgwatch::api {

namespace {

using Json = nlohmann::json;
using OrderedJson = nlohmann::ordered_json;
using namespace cloudwatch;

constexpr std::int64_t kTwoWeeksMs = 14LL * 86400 * 1000;
constexpr std::int64_t kTwoHoursMs = 2LL * 3600 * 1000;
// Values beyond 2^360 in magnitude are refused (spec 1.2).
const double kMaxMagnitude = std::ldexp(1.0, 360);
constexpr std::size_t kMaxGetMetricStatisticsPoints = 1440;
constexpr std::int64_t kDefaultMaxDatapoints = 100800;

Checked<double> checked_value(double value, const std::string& parameter) {
  if (!std::isfinite(value) || std::fabs(value) > kMaxMagnitude) {
    return core::unexpected(
        invalid_value(fmt::format("The value {} for parameter {} is invalid.", value, parameter)));
  }
  return value;
}

// One MetricDatum's values as a statistic set (raw values kept when there are not too many).
Checked<metrics::StatSet> datum_values(const Json& datum, const std::string& item) {
  metrics::StatSet set;
  const Json* value = find_member(datum, "Value");
  const Json* values = find_member(datum, "Values");
  const Json* counts = find_member(datum, "Counts");
  const Json* statistics = find_member(datum, "StatisticValues");
  if (value != nullptr && values != nullptr) {
    return core::unexpected(
        invalid_combination(fmt::format("The parameters {0}.Value and {0}.Values are mutually "
                                        "exclusive and you have specified both.",
                                        item)));
  }
  if (value != nullptr && statistics != nullptr) {
    return core::unexpected(invalid_combination(fmt::format(
        "The parameters {0}.Value and {0}.StatisticValues are mutually exclusive and you have "
        "specified both.",
        item)));
  }
  if (values != nullptr && statistics != nullptr) {
    return core::unexpected(invalid_combination(fmt::format(
        "The parameters {0}.Values and {0}.StatisticValues are mutually exclusive and you have "
        "specified both.",
        item)));
  }
  if (counts != nullptr && values == nullptr) {
    return core::unexpected(invalid_combination(
        fmt::format("The parameter {0}.Counts can only be given with {0}.Values.", item)));
  }
  if (value != nullptr) {
    auto checked = checked_value(value->get<double>(), item + ".Value");
    if (!checked) return core::unexpected(std::move(checked).error());
    set.add(*checked, true);
    return set;
  }
  if (statistics != nullptr) {
    double fields[4] = {0, 0, 0, 0};
    static constexpr std::string_view kFields[] = {"SampleCount", "Sum", "Minimum", "Maximum"};
    for (std::size_t i = 0; i < 4; ++i) {
      const std::optional<double> field = number_member(*statistics, kFields[i]);
      const std::string parameter = fmt::format("{}.StatisticValues.{}", item, kFields[i]);
      if (!field) return core::unexpected(missing(parameter));
      auto checked = checked_value(*field, parameter);
      if (!checked) return core::unexpected(std::move(checked).error());
      fields[i] = *checked;
    }
    if (fields[0] <= 0 || fields[2] > fields[3]) {
      return core::unexpected(invalid_value(fmt::format(
          "The parameter {}.StatisticValues must have SampleCount > 0 and Minimum <= Maximum.",
          item)));
    }
    set.sample_count = fields[0];
    set.sum = fields[1];
    set.minimum = fields[2];
    set.maximum = fields[3];
    // A set of one repeated value has its raw values, so percentiles exist (spec 1.5).
    if (set.minimum == set.maximum && set.sum == set.minimum * set.sample_count) {
      set.values.push_back({set.minimum, set.sample_count});
    }
    return set;
  }
  if (values == nullptr) return core::unexpected(missing(item + ".Value"));
  if (values->size() > 150) {
    return core::unexpected(invalid_value(
        fmt::format("The collection {}.Values must not have a size greater than 150.", item)));
  }
  if (counts != nullptr && counts->size() != values->size()) {
    return core::unexpected(invalid_value(
        fmt::format("The parameters {0}.Values and {0}.Counts must be of the same size.", item)));
  }
  // Every value is kept with its count (metrics::StatSet keeps distinct values, so a count costs
  // nothing), and percentiles work on them.
  for (std::size_t i = 0; i < values->size(); ++i) {
    auto checked =
        checked_value((*values)[i].get<double>(), fmt::format("{}.Values.member.{}", item, i + 1));
    if (!checked) return core::unexpected(std::move(checked).error());
    const double count = counts != nullptr ? (*counts)[i].get<double>() : 1.0;
    if (!std::isfinite(count) || count < 0) {
      return core::unexpected(invalid_value(fmt::format(
          "The value {} for parameter {}.Counts.member.{} is invalid.", count, item, i + 1)));
    }
  }
  for (std::size_t i = 0; i < values->size(); ++i) {
    const double count = counts != nullptr ? (*counts)[i].get<double>() : 1.0;
    if (count != 0) set.add((*values)[i].get<double>(), count, true);
  }
  if (set.sample_count == 0) {
    return core::unexpected(
        invalid_value(fmt::format("The parameter {}.Counts must count at least one value.", item)));
  }
  return set;
}

// The statistics of a read: simple ones by name, percentiles parsed.
struct ReadStatistics {
  std::vector<std::string> simple;
  std::vector<metrics::Statistic> extended;
};

// The datapoints of `key` in [start, end), merged per period (the period starting at
// start + k * period). Iterates the stored buckets, not the periods.
std::map<std::int64_t, metrics::StatSet> periods_of(const metrics::SeriesStore& series,
                                                    const metrics::SeriesKey& key,
                                                    std::int64_t start, std::int64_t end,
                                                    int period) {
  std::map<std::int64_t, metrics::StatSet> out;
  const auto found = series.series().find(key);
  if (found == series.series().end()) return out;
  for (auto it = found->second.lower_bound(start); it != found->second.end() && it->first < end;
       ++it) {
    const std::int64_t index = (it->first - start) / period;
    out[start + index * period].merge(it->second);
  }
  return out;
}

// Reads align their start to the minute (to the period below a minute), as CloudWatch rounds
// StartTime for recent data.
std::int64_t aligned_start(std::int64_t start_seconds, int period) {
  return metrics::floor_to(start_seconds, period < 60 ? period : 60);
}

bool valid_query_id(std::string_view id) {
  if (id.empty() || id.size() > 255 || id.front() < 'a' || id.front() > 'z') return false;
  return std::all_of(id.begin(), id.end(), [](char c) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_';
  });
}

std::string series_key_text(const metrics::SeriesKey& key) {
  Json dimensions = Json::array();
  for (const auto& [name, value] : key.dimensions) dimensions.push_back(Json::array({name, value}));
  return Json::array({key.metric_namespace, key.name, std::move(dimensions)}).dump();
}

std::optional<metrics::SeriesKey> series_key_of(std::string_view text) {
  const Json parsed = Json::parse(text, nullptr, false);
  if (!parsed.is_array() || parsed.size() != 3 || !parsed[0].is_string() ||
      !parsed[1].is_string() || !parsed[2].is_array()) {
    return std::nullopt;
  }
  metrics::SeriesKey key;
  key.metric_namespace = parsed[0].get<std::string>();
  key.name = parsed[1].get<std::string>();
  for (const Json& dimension : parsed[2]) {
    if (!dimension.is_array() || dimension.size() != 2 || !dimension[0].is_string() ||
        !dimension[1].is_string()) {
      return std::nullopt;
    }
    key.dimensions.emplace_back(dimension[0].get<std::string>(), dimension[1].get<std::string>());
  }
  return key;
}

Checked<std::pair<std::int64_t, std::int64_t>> time_range(const Json& input) {
  const std::optional<std::int64_t> start = timestamp_ms_member(input, "StartTime");
  if (!start) return core::unexpected(missing("StartTime"));
  const std::optional<std::int64_t> end = timestamp_ms_member(input, "EndTime");
  if (!end) return core::unexpected(missing("EndTime"));
  if (*start >= *end) {
    return core::unexpected(
        invalid_value("The parameter StartTime must be less than the parameter EndTime."));
  }
  // Whole seconds: StartTime rounds down, EndTime (exclusive) rounds up.
  return std::make_pair(metrics::floor_to(*start, 1000) / 1000,
                        metrics::floor_to(*end + 999, 1000) / 1000);
}

}  // namespace

CloudWatchApi::Output CloudWatchApi::put_metric_data(const Json& input,
                                                     const RequestContext& context) {
  const std::optional<std::string> name_space = string_member(input, "Namespace");
  if (!name_space) return core::unexpected(missing("Namespace"));
  auto checked = checked_namespace(*name_space, "Namespace");
  if (!checked) return core::unexpected(std::move(checked).error());
  if (name_space->starts_with("AWS/")) {
    return core::unexpected(invalid_value(
        fmt::format("The value {} for parameter Namespace is invalid.", *name_space)));
  }
  const Json* data = find_member(input, "MetricData");
  if (data == nullptr || data->empty()) return core::unexpected(missing("MetricData"));
  if (data->size() > 1000) {
    return core::unexpected(
        invalid_value("The collection MetricData must not have a size greater than 1000."));
  }
  std::vector<store::Datapoint> datapoints;
  datapoints.reserve(data->size());
  std::size_t index = 0;
  for (const Json& datum : *data) {
    ++index;
    const std::string item = fmt::format("MetricData.member.{}", index);
    const std::optional<std::string> metric_name = string_member(datum, "MetricName");
    if (!metric_name) return core::unexpected(missing(item + ".MetricName"));
    const std::size_t length = characters(*metric_name);
    if (length < 1 || length > 255) {
      return core::unexpected(
          coral(*metric_name, item + ".MetricName",
                "Member must have length less than or equal to 255, and greater "
                "than or equal to 1"));
    }
    auto dimensions = checked_dimensions(datum, item);
    if (!dimensions) return core::unexpected(std::move(dimensions).error());
    auto unit = checked_unit(datum, item);
    if (!unit) return core::unexpected(std::move(unit).error());
    if (const std::optional<std::int64_t> resolution = integer_member(datum, "StorageResolution");
        resolution && *resolution != 1 && *resolution != 60) {
      return core::unexpected(invalid_value(
          fmt::format("The value {} for parameter {}.StorageResolution is invalid: use 1 or 60.",
                      *resolution, item)));
    }
    std::int64_t time_ms = context.now_ms;
    if (const std::optional<std::int64_t> timestamp = timestamp_ms_member(datum, "Timestamp")) {
      if (*timestamp < context.now_ms - kTwoWeeksMs) {
        return core::unexpected(invalid_value(fmt::format(
            "The parameter {}.Timestamp must specify a time no more than two weeks in the past.",
            item)));
      }
      if (*timestamp > context.now_ms + kTwoHoursMs) {
        return core::unexpected(invalid_value(fmt::format(
            "The parameter {}.Timestamp must specify a time no more than two hours in the future.",
            item)));
      }
      time_ms = *timestamp;
    }
    auto values = datum_values(datum, item);
    if (!values) return core::unexpected(std::move(values).error());
    store::Datapoint point;
    point.key = metrics::SeriesKey{*name_space, *metric_name, std::move(*dimensions)};
    point.time = metrics::floor_to(time_ms, 1000) / 1000;
    point.values = std::move(*values);
    datapoints.push_back(std::move(point));
  }
  auto transitions = engine_.add_datapoints(datapoints);
  if (!transitions) return core::unexpected(from_api_error(transitions.error()));
  notify(*transitions);
  return OrderedJson();
}

CloudWatchApi::Output CloudWatchApi::get_metric_statistics(const Json& input,
                                                           const RequestContext&) {
  auto name_space = required_string(input, "Namespace", 1, 255);
  if (!name_space) return core::unexpected(std::move(name_space).error());
  auto metric_name = required_string(input, "MetricName", 1, 255);
  if (!metric_name) return core::unexpected(std::move(metric_name).error());
  auto dimensions = checked_dimensions(input, "");
  if (!dimensions) return core::unexpected(std::move(dimensions).error());
  auto range = time_range(input);
  if (!range) return core::unexpected(std::move(range).error());
  const std::optional<std::int64_t> period_value = integer_member(input, "Period");
  if (!period_value) return core::unexpected(missing("Period"));
  auto period = checked_period(*period_value, "Period");
  if (!period) return core::unexpected(std::move(period).error());
  auto unit = checked_unit(input, "");
  if (!unit) return core::unexpected(std::move(unit).error());

  ReadStatistics statistics;
  auto simple = bounded_list(input, "Statistics", 5);
  if (!simple) return core::unexpected(std::move(simple).error());
  for (const std::string& name : *simple) {
    if (!metrics::Statistic::parse_simple(name)) {
      return core::unexpected(
          coral(fmt::format("[{}]", fmt::join(*simple, ", ")), "Statistics",
                "Member must satisfy constraint: [Member must satisfy enum value "
                "set: [Maximum, SampleCount, Sum, Minimum, Average]]"));
    }
  }
  statistics.simple = *simple;
  auto extended = bounded_list(input, "ExtendedStatistics", 10);
  if (!extended) return core::unexpected(std::move(extended).error());
  for (const std::string& name : *extended) {
    const std::optional<metrics::Statistic> parsed = metrics::Statistic::parse_extended(name);
    if (!parsed) {
      return core::unexpected(invalid_value(fmt::format(
          "The value {} for parameter ExtendedStatistics is not supported: sgwatch computes "
          "percentiles p0 to p100.",
          name)));
    }
    statistics.extended.push_back(*parsed);
  }
  if (statistics.simple.empty() && statistics.extended.empty()) {
    return core::unexpected(
        invalid_combination("Must specify either Statistics or ExtendedStatistics."));
  }
  if (!statistics.simple.empty() && !statistics.extended.empty()) {
    return core::unexpected(
        invalid_combination("Must specify either Statistics or ExtendedStatistics, but not both."));
  }

  const std::int64_t start = aligned_start(range->first, *period);
  const std::int64_t end = range->second;
  const std::int64_t requested = (end - start + *period - 1) / *period;
  if (requested > static_cast<std::int64_t>(kMaxGetMetricStatisticsPoints)) {
    return core::unexpected(invalid_combination(fmt::format(
        "You have requested up to {} datapoints, which exceeds the limit of 1,440. You may reduce "
        "the datapoints requested by increasing Period, or decreasing the time range.",
        requested)));
  }
  const metrics::SeriesKey key{*name_space, *metric_name, std::move(*dimensions)};
  OrderedJson datapoints = OrderedJson::array();
  for (const auto& [period_start, set] : periods_of(engine_.series(), key, start, end, *period)) {
    OrderedJson point;
    point["Timestamp"] = period_start * 1000;
    for (const std::string& name : statistics.simple) {
      const std::optional<double> value = set.statistic(*metrics::Statistic::parse_simple(name));
      if (value) point[name] = *value;
    }
    if (!statistics.extended.empty()) {
      OrderedJson percentiles = OrderedJson::object();
      for (const metrics::Statistic& statistic : statistics.extended) {
        const std::optional<double> value = set.statistic(statistic);
        if (value) percentiles[statistic.name] = *value;
      }
      point["ExtendedStatistics"] = std::move(percentiles);
    }
    point["Unit"] = unit->value_or("None");
    datapoints.push_back(std::move(point));
  }
  OrderedJson out;
  out["Label"] = *metric_name;
  out["Datapoints"] = std::move(datapoints);
  return out;
}

CloudWatchApi::Output CloudWatchApi::get_metric_data(const Json& input, const RequestContext&) {
  const Json* queries = find_member(input, "MetricDataQueries");
  if (queries == nullptr) return core::unexpected(missing("MetricDataQueries"));
  if (queries->empty() || queries->size() > 500) {
    return core::unexpected(coral(fmt::format("{} queries", queries->size()), "MetricDataQueries",
                                  "Member must have length between 1 and 500"));
  }
  auto range = time_range(input);
  if (!range) return core::unexpected(std::move(range).error());
  auto scan_by = enum_string(input, "ScanBy", {"TimestampDescending", "TimestampAscending"});
  if (!scan_by) return core::unexpected(std::move(scan_by).error());
  const bool descending = !*scan_by || **scan_by == "TimestampDescending";
  auto max_datapoints =
      bounded_integer(input, "MaxDatapoints", 1, std::numeric_limits<std::int32_t>::max());
  if (!max_datapoints) return core::unexpected(std::move(max_datapoints).error());
  const std::int64_t budget = max_datapoints->value_or(kDefaultMaxDatapoints);
  std::int64_t offset = 0;
  if (const std::optional<std::string> token = string_member(input, "NextToken")) {
    const std::optional<std::string> position = decode_page_token("GetMetricData", *token);
    if (!position ||
        std::from_chars(position->data(), position->data() + position->size(), offset).ec !=
            std::errc() ||
        offset < 0) {
      return core::unexpected(invalid_next_token());
    }
  }

  struct Series {
    std::string id;
    std::string label;
    std::vector<std::pair<std::int64_t, double>> points;  // (Unix ms, value), in answer order
  };
  std::vector<Series> results;
  std::set<std::string> ids;
  std::size_t index = 0;
  for (const Json& query : *queries) {
    ++index;
    const std::string item = fmt::format("MetricDataQueries.member.{}", index);
    const std::optional<std::string> id = string_member(query, "Id");
    if (!id) return core::unexpected(missing(item + ".Id"));
    if (!valid_query_id(*id)) {
      return core::unexpected(aws::validation_error(fmt::format(
          "The value {} for parameter {}.Id is invalid: it must start with a lower-case letter and "
          "hold only letters, digits and underscores.",
          *id, item)));
    }
    if (!ids.insert(*id).second) {
      return core::unexpected(aws::validation_error(
          "The values for parameter id in MetricDataQueries are not unique."));
    }
    if (find_member(query, "Expression") != nullptr) {
      return core::unexpected(aws::validation_error(fmt::format(
          "{}.Expression: sgwatch does not evaluate metric math expressions; query metrics with "
          "MetricStat.",
          item)));
    }
    const Json* stat = find_member(query, "MetricStat");
    if (stat == nullptr) return core::unexpected(missing(item + ".MetricStat"));
    const Json* metric = find_member(*stat, "Metric");
    if (metric == nullptr) return core::unexpected(missing(item + ".MetricStat.Metric"));
    auto name_space = required_string(*metric, "Namespace", 1, 255);
    if (!name_space) {
      if (name_space.error().code == "MissingParameter") {
        return core::unexpected(missing(item + ".MetricStat.Metric.Namespace"));
      }
      return core::unexpected(std::move(name_space).error());
    }
    auto metric_name = required_string(*metric, "MetricName", 1, 255);
    if (!metric_name) {
      if (metric_name.error().code == "MissingParameter") {
        return core::unexpected(missing(item + ".MetricStat.Metric.MetricName"));
      }
      return core::unexpected(std::move(metric_name).error());
    }
    auto dimensions = checked_dimensions(*metric, item + ".MetricStat.Metric");
    if (!dimensions) return core::unexpected(std::move(dimensions).error());
    const std::optional<std::int64_t> period_value = integer_member(*stat, "Period");
    if (!period_value) return core::unexpected(missing(item + ".MetricStat.Period"));
    auto period = checked_period(*period_value, item + ".MetricStat.Period");
    if (!period) return core::unexpected(std::move(period).error());
    const std::optional<std::string> stat_name = string_member(*stat, "Stat");
    if (!stat_name) return core::unexpected(missing(item + ".MetricStat.Stat"));
    std::optional<metrics::Statistic> statistic = metrics::Statistic::parse_simple(*stat_name);
    if (!statistic) statistic = metrics::Statistic::parse_extended(*stat_name);
    if (!statistic) {
      return core::unexpected(invalid_value(fmt::format(
          "The value {} for parameter {}.MetricStat.Stat is not supported: use SampleCount, "
          "Average, Sum, Minimum, Maximum or a percentile p0 to p100.",
          *stat_name, item)));
    }
    if (boolean_member(query, "ReturnData") == std::optional<bool>(false)) continue;

    Series series;
    series.id = *id;
    series.label = string_member(query, "Label").value_or(*metric_name);
    const metrics::SeriesKey key{*name_space, *metric_name, std::move(*dimensions)};
    const std::int64_t start = aligned_start(range->first, *period);
    for (const auto& [period_start, set] :
         periods_of(engine_.series(), key, start, range->second, *period)) {
      const std::optional<double> value = set.statistic(*statistic);
      if (value) series.points.emplace_back(period_start * 1000, *value);
    }
    if (descending) std::reverse(series.points.begin(), series.points.end());
    results.push_back(std::move(series));
  }

  // Pages cut the concatenation of every series' points: `offset` points were sent before.
  OrderedJson out;
  OrderedJson result_list = OrderedJson::array();
  std::int64_t skip = offset;
  std::int64_t room = budget;
  bool more = false;
  for (const Series& series : results) {
    const auto size = static_cast<std::int64_t>(series.points.size());
    const std::int64_t first = std::min(skip, size);
    skip -= first;
    const std::int64_t count = std::min(size - first, room);
    room -= count;
    OrderedJson result;
    result["Id"] = series.id;
    result["Label"] = series.label;
    OrderedJson timestamps = OrderedJson::array();
    OrderedJson values = OrderedJson::array();
    for (std::int64_t i = first; i < first + count; ++i) {
      timestamps.push_back(series.points[static_cast<std::size_t>(i)].first);
      values.push_back(series.points[static_cast<std::size_t>(i)].second);
    }
    const bool complete = first + count == size;
    more = more || !complete;
    result["Timestamps"] = std::move(timestamps);
    result["Values"] = std::move(values);
    result["StatusCode"] = complete ? "Complete" : "PartialData";
    result["Messages"] = OrderedJson::array();
    result_list.push_back(std::move(result));
  }
  out["MetricDataResults"] = std::move(result_list);
  if (more) out["NextToken"] = encode_page_token("GetMetricData", std::to_string(offset + budget));
  out["Messages"] = OrderedJson::array();
  return out;
}

CloudWatchApi::Output CloudWatchApi::list_metrics(const Json& input,
                                                  const RequestContext& context) {
  auto name_space = bounded_string(input, "Namespace", 1, 255);
  if (!name_space) return core::unexpected(std::move(name_space).error());
  auto metric_name = bounded_string(input, "MetricName", 1, 255);
  if (!metric_name) return core::unexpected(std::move(metric_name).error());
  auto recently_active = enum_string(input, "RecentlyActive", {"PT3H"});
  if (!recently_active) return core::unexpected(std::move(recently_active).error());
  const bool linked = boolean_member(input, "IncludeLinkedAccounts").value_or(false);
  auto owning_account = bounded_string(input, "OwningAccount", 1, 255);
  if (!owning_account) return core::unexpected(std::move(owning_account).error());

  std::vector<std::pair<std::string, std::optional<std::string>>> filters;
  if (const Json* list = find_member(input, "Dimensions")) {
    if (list->size() > 10) {
      return core::unexpected(
          coral(list->dump(), "Dimensions", "Member must have length less than or equal to 10"));
    }
    std::size_t index = 0;
    for (const Json& filter : *list) {
      ++index;
      auto name = required_string(filter, "Name", 1, 255);
      if (!name) {
        if (name.error().code == "MissingParameter") {
          return core::unexpected(missing(fmt::format("Dimensions.member.{}.Name", index)));
        }
        return core::unexpected(std::move(name).error());
      }
      auto value = bounded_string(filter, "Value", 1, 1024);
      if (!value) return core::unexpected(std::move(value).error());
      filters.emplace_back(std::move(*name), std::move(*value));
    }
  }
  std::optional<metrics::SeriesKey> after;
  if (const std::optional<std::string> token = string_member(input, "NextToken")) {
    const std::optional<std::string> position = decode_page_token("ListMetrics", *token);
    if (position) after = series_key_of(*position);
    if (!after) return core::unexpected(invalid_next_token());
  }

  const auto& all = engine_.series().series();
  auto it = after ? all.upper_bound(*after) : all.begin();
  const std::int64_t active_since = context.now_ms / 1000 - 3 * 3600;
  const bool foreign_account = *owning_account && **owning_account != context.account_id;
  OrderedJson metrics_out = OrderedJson::array();
  OrderedJson owners = OrderedJson::array();
  std::optional<metrics::SeriesKey> last;
  bool more = false;
  for (; it != all.end() && !foreign_account; ++it) {
    const metrics::SeriesKey& key = it->first;
    if (*name_space && key.metric_namespace != **name_space) continue;
    if (*metric_name && key.name != **metric_name) continue;
    const bool matches = std::all_of(filters.begin(), filters.end(), [&](const auto& filter) {
      return std::any_of(key.dimensions.begin(), key.dimensions.end(), [&](const auto& dimension) {
        return dimension.first == filter.first &&
               (!filter.second || dimension.second == *filter.second);
      });
    });
    if (!matches) continue;
    if (*recently_active && (it->second.empty() || it->second.rbegin()->first < active_since))
      continue;
    if (metrics_out.size() == static_cast<std::size_t>(options_.list_metrics_page)) {
      more = true;
      break;
    }
    OrderedJson metric;
    metric["Namespace"] = key.metric_namespace;
    metric["MetricName"] = key.name;
    OrderedJson dimensions = OrderedJson::array();
    for (const auto& [name, value] : key.dimensions) {
      OrderedJson dimension;
      dimension["Name"] = name;
      dimension["Value"] = value;
      dimensions.push_back(std::move(dimension));
    }
    metric["Dimensions"] = std::move(dimensions);
    metrics_out.push_back(std::move(metric));
    if (linked) owners.push_back(context.account_id);
    last = key;
  }
  OrderedJson out;
  out["Metrics"] = std::move(metrics_out);
  if (more && last) out["NextToken"] = encode_page_token("ListMetrics", series_key_text(*last));
  if (linked) out["OwningAccounts"] = std::move(owners);
  return out;
}

}  // namespace sgwatch::api
