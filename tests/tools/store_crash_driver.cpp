// The program the crash test kills: feeds a stream of metric datapoints through the alarm engine
// and its state store, one batch per transaction with the stream position as its checkpoint,
// resuming from that checkpoint when restarted.
//   sgwatch_store_crash_driver STATE_DIR INPUT [BATCH]
// INPUT: one "<unix seconds> <value>" per line, in time order. Each batch arrives at its last
// line's time + 0.5 s (event time as the clock). After the last line the clock moves one hour on,
// so the alarms see the data run out. Exit 0 when the stream is done, 2 on an error.
#include <cstdio>
#include <fstream>
#include <iostream>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "engine/alarm_engine.h"

namespace {

using Json = nlohmann::json;
using namespace sgwatch;

const char* kSource = "input";

std::vector<alarms::AlarmDefinition> definitions() {
  const Json base = {{"MetricName", "SecurityGroupEventCount"}, {"Namespace", "CISBenchmark"},
                     {"AlarmActions", Json::array({"arn:aws:sns:us-east-1:123456789012:alerts"})},
                     {"OKActions", Json::array({"arn:aws:sns:us-east-1:123456789012:alerts"})}};
  std::vector<Json> inputs;
  Json seed = base;  // the CIS 4.10 alarm
  seed.update({{"AlarmName", "seed"}, {"Statistic", "Sum"}, {"Period", 300}, {"EvaluationPeriods", 1},
               {"Threshold", 1.0}, {"ComparisonOperator", "GreaterThanOrEqualToThreshold"}});
  Json three_of_five = base;
  three_of_five.update({{"AlarmName", "three-of-five"}, {"Statistic", "SampleCount"}, {"Period", 60},
                        {"EvaluationPeriods", 5}, {"DatapointsToAlarm", 3}, {"Threshold", 2.0},
                        {"ComparisonOperator", "GreaterThanThreshold"}, {"TreatMissingData", "notBreaching"}});
  Json average = base;
  average.update({{"AlarmName", "average"}, {"Statistic", "Average"}, {"Period", 120}, {"EvaluationPeriods", 2},
                  {"Threshold", 1.5}, {"ComparisonOperator", "LessThanThreshold"}, {"TreatMissingData", "breaching"}});
  std::vector<alarms::AlarmDefinition> out;
  for (const Json& input : {seed, three_of_five, average}) out.push_back(*alarms::parse_put_metric_alarm(input));
  return out;
}

int fail(const std::string& what) {
  std::cerr << "store_crash_driver: " << what << "\n";
  return 2;
}

}  // namespace

int main(int argc, char** argv) {
  if (argc < 3) return fail("usage: sgwatch_store_crash_driver STATE_DIR INPUT [BATCH]");
  const std::size_t batch = argc > 3 ? std::stoul(argv[3]) : 1;
  std::vector<std::pair<std::int64_t, double>> lines;
  {
    std::ifstream in(argv[2]);
    std::int64_t time;
    double value;
    while (in >> time >> value) lines.emplace_back(time, value);
    if (lines.empty()) return fail("no input lines");
  }
  auto store = store::Store::open(argv[1]);
  if (!store) return fail(store.error());
  auto position = (*store)->checkpoint(kSource);
  if (!position) return fail(position.error());
  std::size_t next = *position ? std::stoul(**position) : 0;
  core::ManualClock clock(lines[next == 0 ? 0 : next - 1].first * 1000);
  auto engine = engine::AlarmEngine::open(**store, clock);
  if (!engine) return fail(engine.error());
  for (const auto& definition : definitions()) {
    if ((*engine)->alarm(definition.name)) continue;  // created before a restart
    auto put = (*engine)->put_alarm(definition);
    if (!put) return fail(put.error().message);
  }
  while (next < lines.size()) {
    const std::size_t end = std::min(lines.size(), (next / batch + 1) * batch);
    std::vector<store::Datapoint> data;
    for (std::size_t i = next; i < end; ++i) {
      store::Datapoint d{{"CISBenchmark", "SecurityGroupEventCount", {}}, lines[i].first, {}};
      d.values.add(lines[i].second, true);
      data.push_back(std::move(d));
    }
    clock.set(lines[end - 1].first * 1000 + 500);
    auto added = (*engine)->add_datapoints(data, engine::Checkpoint{kSource, std::to_string(end)});
    if (!added) return fail(added.error().message);
    next = end;
  }
  clock.set((lines.back().first + 3600) * 1000);
  auto ticked = (*engine)->tick();
  if (!ticked) return fail(ticked.error().message);
  std::cout << "done\n";
  return 0;
}
