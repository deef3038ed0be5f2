// The CloudWatch (monitoring 2010-08-01) input and output shapes sgwatch serves, in the member
// order of botocore's model, which is the order of the XML answers and of the AWS CLI's output.
// Neighbours: shapes.h (the model types and the readers/writers), cloudwatch_api (the handlers).
#pragma once

#include "api/shapes.h"

namespace sgwatch::api::cloudwatch {

// ---- common structures ----------------------------------------------------------------------

inline constexpr Member kDimensionMembers[] = {{"Name", &kStringShape}, {"Value", &kStringShape}};
inline constexpr Shape kDimension{ShapeKind::kStructure, kDimensionMembers};
inline constexpr Shape kDimensions{ShapeKind::kList, {}, &kDimension};

inline constexpr Member kTagMembers[] = {{"Key", &kStringShape}, {"Value", &kStringShape}};
inline constexpr Shape kTag{ShapeKind::kStructure, kTagMembers};
inline constexpr Shape kTags{ShapeKind::kList, {}, &kTag};

inline constexpr Member kMetricMembers[] = {
    {"Namespace", &kStringShape}, {"MetricName", &kStringShape}, {"Dimensions", &kDimensions}};
inline constexpr Shape kMetric{ShapeKind::kStructure, kMetricMembers};
inline constexpr Shape kMetrics{ShapeKind::kList, {}, &kMetric};

inline constexpr Member kMetricStatMembers[] = {{"Metric", &kMetric},
                                                {"Period", &kIntegerShape},
                                                {"Stat", &kStringShape},
                                                {"Unit", &kStringShape}};
inline constexpr Shape kMetricStat{ShapeKind::kStructure, kMetricStatMembers};

inline constexpr Member kMetricDataQueryMembers[] = {
    {"Id", &kStringShape},        {"MetricStat", &kMetricStat},   {"Expression", &kStringShape},
    {"Label", &kStringShape},     {"ReturnData", &kBooleanShape}, {"Period", &kIntegerShape},
    {"AccountId", &kStringShape},
};
inline constexpr Shape kMetricDataQuery{ShapeKind::kStructure, kMetricDataQueryMembers};
inline constexpr Shape kMetricDataQueries{ShapeKind::kList, {}, &kMetricDataQuery};

// ---- PutMetricAlarm -------------------------------------------------------------------------

inline constexpr Member kPutMetricAlarmMembers[] = {
    {"AlarmName", &kStringShape},
    {"AlarmDescription", &kStringShape},
    {"ActionsEnabled", &kBooleanShape},
    {"OKActions", &kStringListShape},
    {"AlarmActions", &kStringListShape},
    {"InsufficientDataActions", &kStringListShape},
    {"MetricName", &kStringShape},
    {"Namespace", &kStringShape},
    {"Statistic", &kStringShape},
    {"ExtendedStatistic", &kStringShape},
    {"Dimensions", &kDimensions},
    {"Period", &kIntegerShape},
    {"Unit", &kStringShape},
    {"EvaluationPeriods", &kIntegerShape},
    {"DatapointsToAlarm", &kIntegerShape},
    {"Threshold", &kDoubleShape},
    {"ComparisonOperator", &kStringShape},
    {"TreatMissingData", &kStringShape},
    {"EvaluateLowSampleCountPercentile", &kStringShape},
    {"Metrics", &kMetricDataQueries},
    {"Tags", &kTags},
    {"ThresholdMetricId", &kStringShape},
};
inline constexpr Shape kPutMetricAlarmInput{ShapeKind::kStructure, kPutMetricAlarmMembers};

// ---- DescribeAlarms, DescribeAlarmsForMetric ------------------------------------------------

inline constexpr Member kDescribeAlarmsMembers[] = {
    {"AlarmNames", &kStringListShape},     {"AlarmNamePrefix", &kStringShape},
    {"AlarmTypes", &kStringListShape},     {"ChildrenOfAlarmName", &kStringShape},
    {"ParentsOfAlarmName", &kStringShape}, {"StateValue", &kStringShape},
    {"ActionPrefix", &kStringShape},       {"MaxRecords", &kIntegerShape},
    {"NextToken", &kStringShape},
};
inline constexpr Shape kDescribeAlarmsInput{ShapeKind::kStructure, kDescribeAlarmsMembers};

inline constexpr Member kMetricAlarmMembers[] = {
    {"AlarmName", &kStringShape},
    {"AlarmArn", &kStringShape},
    {"AlarmDescription", &kStringShape},
    {"AlarmConfigurationUpdatedTimestamp", &kTimestampShape},
    {"ActionsEnabled", &kBooleanShape},
    {"OKActions", &kStringListShape},
    {"AlarmActions", &kStringListShape},
    {"InsufficientDataActions", &kStringListShape},
    {"StateValue", &kStringShape},
    {"StateReason", &kStringShape},
    {"StateReasonData", &kStringShape},
    {"StateUpdatedTimestamp", &kTimestampShape},
    {"MetricName", &kStringShape},
    {"Namespace", &kStringShape},
    {"Statistic", &kStringShape},
    {"ExtendedStatistic", &kStringShape},
    {"Dimensions", &kDimensions},
    {"Period", &kIntegerShape},
    {"Unit", &kStringShape},
    {"EvaluationPeriods", &kIntegerShape},
    {"DatapointsToAlarm", &kIntegerShape},
    {"Threshold", &kDoubleShape},
    {"ComparisonOperator", &kStringShape},
    {"TreatMissingData", &kStringShape},
    {"EvaluateLowSampleCountPercentile", &kStringShape},
    {"Metrics", &kMetricDataQueries},
    {"ThresholdMetricId", &kStringShape},
    {"EvaluationState", &kStringShape},
    {"StateTransitionedTimestamp", &kTimestampShape},
};
inline constexpr Shape kMetricAlarm{ShapeKind::kStructure, kMetricAlarmMembers};
inline constexpr Shape kMetricAlarms{ShapeKind::kList, {}, &kMetricAlarm};
// sgwatch has no composite alarms: the list is always empty.
inline constexpr Shape kCompositeAlarm{ShapeKind::kStructure};
inline constexpr Shape kCompositeAlarms{ShapeKind::kList, {}, &kCompositeAlarm};

inline constexpr Member kDescribeAlarmsOutputMembers[] = {{"MetricAlarms", &kMetricAlarms},
                                                          {"CompositeAlarms", &kCompositeAlarms},
                                                          {"NextToken", &kStringShape}};
inline constexpr Shape kDescribeAlarmsOutput{ShapeKind::kStructure, kDescribeAlarmsOutputMembers};

inline constexpr Member kDescribeAlarmsForMetricMembers[] = {
    {"MetricName", &kStringShape}, {"Namespace", &kStringShape},
    {"Statistic", &kStringShape},  {"ExtendedStatistic", &kStringShape},
    {"Dimensions", &kDimensions},  {"Period", &kIntegerShape},
    {"Unit", &kStringShape},
};
inline constexpr Shape kDescribeAlarmsForMetricInput{ShapeKind::kStructure,
                                                     kDescribeAlarmsForMetricMembers};
inline constexpr Member kDescribeAlarmsForMetricOutputMembers[] = {
    {"MetricAlarms", &kMetricAlarms}};
inline constexpr Shape kDescribeAlarmsForMetricOutput{ShapeKind::kStructure,
                                                      kDescribeAlarmsForMetricOutputMembers};

// ---- DescribeAlarmHistory -------------------------------------------------------------------

inline constexpr Member kDescribeAlarmHistoryMembers[] = {
    {"AlarmName", &kStringShape},       {"AlarmTypes", &kStringListShape},
    {"HistoryItemType", &kStringShape}, {"StartDate", &kTimestampShape},
    {"EndDate", &kTimestampShape},      {"MaxRecords", &kIntegerShape},
    {"NextToken", &kStringShape},       {"ScanBy", &kStringShape},
};
inline constexpr Shape kDescribeAlarmHistoryInput{ShapeKind::kStructure,
                                                  kDescribeAlarmHistoryMembers};
inline constexpr Member kAlarmHistoryItemMembers[] = {
    {"AlarmName", &kStringShape},      {"AlarmType", &kStringShape},
    {"Timestamp", &kTimestampShape},   {"HistoryItemType", &kStringShape},
    {"HistorySummary", &kStringShape}, {"HistoryData", &kStringShape},
};
inline constexpr Shape kAlarmHistoryItem{ShapeKind::kStructure, kAlarmHistoryItemMembers};
inline constexpr Shape kAlarmHistoryItems{ShapeKind::kList, {}, &kAlarmHistoryItem};
inline constexpr Member kDescribeAlarmHistoryOutputMembers[] = {
    {"AlarmHistoryItems", &kAlarmHistoryItems}, {"NextToken", &kStringShape}};
inline constexpr Shape kDescribeAlarmHistoryOutput{ShapeKind::kStructure,
                                                   kDescribeAlarmHistoryOutputMembers};

// ---- DeleteAlarms, Enable/DisableAlarmActions, SetAlarmState --------------------------------

inline constexpr Member kAlarmNamesMembers[] = {{"AlarmNames", &kStringListShape}};
inline constexpr Shape kAlarmNamesInput{ShapeKind::kStructure, kAlarmNamesMembers};

inline constexpr Member kSetAlarmStateMembers[] = {
    {"AlarmName", &kStringShape},
    {"StateValue", &kStringShape},
    {"StateReason", &kStringShape},
    {"StateReasonData", &kStringShape},
};
inline constexpr Shape kSetAlarmStateInput{ShapeKind::kStructure, kSetAlarmStateMembers};

// ---- PutMetricData --------------------------------------------------------------------------

inline constexpr Member kStatisticSetMembers[] = {
    {"SampleCount", &kDoubleShape},
    {"Sum", &kDoubleShape},
    {"Minimum", &kDoubleShape},
    {"Maximum", &kDoubleShape},
};
inline constexpr Shape kStatisticSet{ShapeKind::kStructure, kStatisticSetMembers};
inline constexpr Member kMetricDatumMembers[] = {
    {"MetricName", &kStringShape},         {"Dimensions", &kDimensions},
    {"Timestamp", &kTimestampShape},       {"Value", &kDoubleShape},
    {"StatisticValues", &kStatisticSet},   {"Values", &kDoubleListShape},
    {"Counts", &kDoubleListShape},         {"Unit", &kStringShape},
    {"StorageResolution", &kIntegerShape},
};
inline constexpr Shape kMetricDatum{ShapeKind::kStructure, kMetricDatumMembers};
inline constexpr Shape kMetricData{ShapeKind::kList, {}, &kMetricDatum};
inline constexpr Member kPutMetricDataMembers[] = {
    {"Namespace", &kStringShape},
    {"MetricData", &kMetricData},
    {"StrictEntityValidation", &kBooleanShape},
};
inline constexpr Shape kPutMetricDataInput{ShapeKind::kStructure, kPutMetricDataMembers};

// ---- GetMetricStatistics --------------------------------------------------------------------

inline constexpr Member kGetMetricStatisticsMembers[] = {
    {"Namespace", &kStringShape},      {"MetricName", &kStringShape},
    {"Dimensions", &kDimensions},      {"StartTime", &kTimestampShape},
    {"EndTime", &kTimestampShape},     {"Period", &kIntegerShape},
    {"Statistics", &kStringListShape}, {"ExtendedStatistics", &kStringListShape},
    {"Unit", &kStringShape},
};
inline constexpr Shape kGetMetricStatisticsInput{ShapeKind::kStructure,
                                                 kGetMetricStatisticsMembers};
inline constexpr Shape kDoubleMapShape{ShapeKind::kMap, {}, &kDoubleShape};
inline constexpr Member kDatapointMembers[] = {
    {"Timestamp", &kTimestampSecondsShape},
    {"SampleCount", &kDoubleShape},
    {"Average", &kDoubleShape},
    {"Sum", &kDoubleShape},
    {"Minimum", &kDoubleShape},
    {"Maximum", &kDoubleShape},
    {"Unit", &kStringShape},
    {"ExtendedStatistics", &kDoubleMapShape},
};
inline constexpr Shape kDatapoint{ShapeKind::kStructure, kDatapointMembers};
inline constexpr Shape kDatapoints{ShapeKind::kList, {}, &kDatapoint};
inline constexpr Member kGetMetricStatisticsOutputMembers[] = {{"Label", &kStringShape},
                                                               {"Datapoints", &kDatapoints}};
inline constexpr Shape kGetMetricStatisticsOutput{ShapeKind::kStructure,
                                                  kGetMetricStatisticsOutputMembers};

// ---- GetMetricData --------------------------------------------------------------------------

inline constexpr Member kLabelOptionsMembers[] = {{"Timezone", &kStringShape}};
inline constexpr Shape kLabelOptions{ShapeKind::kStructure, kLabelOptionsMembers};
inline constexpr Member kGetMetricDataMembers[] = {
    {"MetricDataQueries", &kMetricDataQueries},
    {"StartTime", &kTimestampShape},
    {"EndTime", &kTimestampShape},
    {"NextToken", &kStringShape},
    {"ScanBy", &kStringShape},
    {"MaxDatapoints", &kIntegerShape},
    {"LabelOptions", &kLabelOptions},
};
inline constexpr Shape kGetMetricDataInput{ShapeKind::kStructure, kGetMetricDataMembers};
inline constexpr Member kMessageDataMembers[] = {{"Code", &kStringShape}, {"Value", &kStringShape}};
inline constexpr Shape kMessageData{ShapeKind::kStructure, kMessageDataMembers};
inline constexpr Shape kMessages{ShapeKind::kList, {}, &kMessageData};
inline constexpr Member kMetricDataResultMembers[] = {
    {"Id", &kStringShape},
    {"Label", &kStringShape},
    {"Timestamps", &kTimestampListShape},
    {"Values", &kDoubleListShape},
    {"StatusCode", &kStringShape},
    {"Messages", &kMessages},
};
inline constexpr Shape kMetricDataResult{ShapeKind::kStructure, kMetricDataResultMembers};
inline constexpr Shape kMetricDataResults{ShapeKind::kList, {}, &kMetricDataResult};
inline constexpr Member kGetMetricDataOutputMembers[] = {
    {"MetricDataResults", &kMetricDataResults},
    {"NextToken", &kStringShape},
    {"Messages", &kMessages},
};
inline constexpr Shape kGetMetricDataOutput{ShapeKind::kStructure, kGetMetricDataOutputMembers};

// ---- ListMetrics ----------------------------------------------------------------------------

inline constexpr Member kDimensionFilterMembers[] = {{"Name", &kStringShape},
                                                     {"Value", &kStringShape}};
inline constexpr Shape kDimensionFilter{ShapeKind::kStructure, kDimensionFilterMembers};
inline constexpr Shape kDimensionFilters{ShapeKind::kList, {}, &kDimensionFilter};
inline constexpr Member kListMetricsMembers[] = {
    {"Namespace", &kStringShape},       {"MetricName", &kStringShape},
    {"Dimensions", &kDimensionFilters}, {"NextToken", &kStringShape},
    {"RecentlyActive", &kStringShape},  {"IncludeLinkedAccounts", &kBooleanShape},
    {"OwningAccount", &kStringShape},
};
inline constexpr Shape kListMetricsInput{ShapeKind::kStructure, kListMetricsMembers};
inline constexpr Member kListMetricsOutputMembers[] = {
    {"Metrics", &kMetrics},
    {"NextToken", &kStringShape},
    {"OwningAccounts", &kStringListShape},
};
inline constexpr Shape kListMetricsOutput{ShapeKind::kStructure, kListMetricsOutputMembers};

}  // namespace sgwatch::api::cloudwatch
