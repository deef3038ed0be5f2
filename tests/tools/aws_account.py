#!/usr/bin/env python3
"""Builds a fixture AWS account through the AWS APIs with boto3 (an implementation independent
of sgwatch's own client), for the audit and apply integration tests against moto_server.

Usage: aws_account.py ENDPOINT_URL SPEC_JSON_FILE
Prints one JSON line: {"account": ..., "log_group_arn": ..., "topic_arn": ...}.

The spec (every key optional):
  {"region": "us-east-1",
   "reset": true,                        # POST /moto-api/reset first
   "trail": {"name": "management", "multi_region": true, "logging": true,
             "log_group": "CloudTrail/management", "read_write": "All",
             "exclude_sources": ["kms.amazonaws.com"]},   # advanced selectors when given
   "log_groups": ["other"],              # extra log groups to create
   "topic": {"name": "cis-alarms", "subscribe": ["email:sec@example.com"]},
   "filters": [{"name", "pattern", "metric", "namespace", "value": "1"}],
   "alarms": [{"name", "metric", "namespace", "actions_enabled": true, "threshold": 1,
               "evaluation_periods": 1, "statistic": "Sum", "period": 300,
               "comparison": "GreaterThanOrEqualToThreshold", "topic": true}],
   "security_hub": true}
"""
import json
import sys
import urllib.request

import boto3


def main():
    endpoint, spec_path = sys.argv[1], sys.argv[2]
    with open(spec_path, encoding="utf-8") as f:
        spec = json.load(f)
    region = spec.get("region", "us-east-1")
    if spec.get("reset", True):
        urllib.request.urlopen(urllib.request.Request(endpoint + "/moto-api/reset", method="POST"), timeout=10)
    session = boto3.session.Session(aws_access_key_id="AKIDEXAMPLE",
                                    aws_secret_access_key="wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY",
                                    region_name=region)

    def client(name):
        return session.client(name, endpoint_url=endpoint)

    account = client("sts").get_caller_identity()["Account"]
    logs = client("logs")
    out = {"account": account}

    trail = spec.get("trail")
    if trail is not None:
        group = trail.get("log_group", "CloudTrail/management")
        logs.create_log_group(logGroupName=group)
        group_arn = f"arn:aws:logs:{region}:{account}:log-group:{group}:*"
        out["log_group_arn"] = group_arn
        bucket = "trail-bucket-" + account
        s3 = client("s3")
        if region == "us-east-1":
            s3.create_bucket(Bucket=bucket)
        else:
            s3.create_bucket(Bucket=bucket, CreateBucketConfiguration={"LocationConstraint": region})
        ct = client("cloudtrail")
        name = trail.get("name", "management")
        ct.create_trail(Name=name, S3BucketName=bucket, IsMultiRegionTrail=trail.get("multi_region", True),
                        CloudWatchLogsLogGroupArn=group_arn,
                        CloudWatchLogsRoleArn=f"arn:aws:iam::{account}:role/CloudTrail_CloudWatchLogs_Role")
        if "exclude_sources" in trail:
            ct.put_event_selectors(TrailName=name, AdvancedEventSelectors=[{
                "Name": "management",
                "FieldSelectors": [{"Field": "eventCategory", "Equals": ["Management"]},
                                   {"Field": "eventSource", "NotEquals": trail["exclude_sources"]}]}])
        else:
            ct.put_event_selectors(TrailName=name, EventSelectors=[{
                "ReadWriteType": trail.get("read_write", "All"), "IncludeManagementEvents": True}])
        if trail.get("logging", True):
            ct.start_logging(Name=name)

    for group in spec.get("log_groups", []):
        logs.create_log_group(logGroupName=group)

    topic_arn = None
    topic = spec.get("topic")
    if topic is not None:
        sns = client("sns")
        topic_arn = sns.create_topic(Name=topic.get("name", "cis-alarms"))["TopicArn"]
        for target in topic.get("subscribe", []):
            protocol, endpoint_value = target.split(":", 1)
            sns.subscribe(TopicArn=topic_arn, Protocol=protocol, Endpoint=endpoint_value)
        out["topic_arn"] = topic_arn

    group_name = (trail or {}).get("log_group", "CloudTrail/management")
    for f in spec.get("filters", []):
        logs.put_metric_filter(logGroupName=f.get("log_group", group_name), filterName=f["name"],
                               filterPattern=f["pattern"],
                               metricTransformations=[{"metricName": f["metric"],
                                                       "metricNamespace": f.get("namespace", "CISBenchmark"),
                                                       "metricValue": f.get("value", "1")}])

    cw = client("cloudwatch")
    for a in spec.get("alarms", []):
        actions = [topic_arn] if a.get("topic", True) and topic_arn else []
        cw.put_metric_alarm(AlarmName=a["name"], MetricName=a["metric"],
                            Namespace=a.get("namespace", "CISBenchmark"),
                            Statistic=a.get("statistic", "Sum"), Period=a.get("period", 300),
                            Threshold=a.get("threshold", 1),
                            ComparisonOperator=a.get("comparison", "GreaterThanOrEqualToThreshold"),
                            EvaluationPeriods=a.get("evaluation_periods", 1),
                            ActionsEnabled=a.get("actions_enabled", True), AlarmActions=actions)

    if spec.get("security_hub", False):
        client("securityhub").enable_security_hub()

    print(json.dumps(out))


if __name__ == "__main__":
    main()
