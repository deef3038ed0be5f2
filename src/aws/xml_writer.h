// A small escaping XML writer for awsQuery and ec2 responses, and the two envelopes built on it:
// <{Op}Response><{Op}Result>..</{Op}Result><ResponseMetadata>..</{Op}Response> (CloudWatch, SNS,
// STS) and EC2's <{Op}Response><requestId/>..</{Op}Response>. Values are written the way AWS's
// Java services write them: booleans lower-case, doubles as Double.toString ("1.0"), timestamps
// ISO-8601 UTC. No XML is ever parsed on the server side. Neighbours: errors (error envelopes),
// wire_response (HTTP headers), utf8.
#pragma once

#include <cstdint>
#include <span>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace sgwatch::aws {

// Escaping (XML 1.0): & < > " become &amp; &lt; &gt; &quot; in text and attributes (AWS escapes
// quotes in text too: SNS policies arrive as {&quot;Version&quot;..); an apostrophe stays as it
// is (attributes are written in double quotes; EC2 writes "group 'sg-1' does not exist"). CR is
// written as &#xD; so that parsers do not turn it into LF; in attributes TAB and LF are written
// as &#x9; and &#xA; so that attribute normalisation keeps them. Characters XML 1.0 cannot carry
// at all, not even as character references (C0 controls other than TAB, LF and CR; U+FFFE;
// U+FFFF), and bytes that are not well-formed UTF-8 are each replaced by U+FFFD: the document
// always parses.
enum class XmlEscape { kText, kAttribute };

void append_xml_escaped(std::string& out, std::string_view text, XmlEscape mode = XmlEscape::kText);
std::string xml_escape(std::string_view text, XmlEscape mode = XmlEscape::kText);

// A double as Java's Double.toString prints it, which is how AWS's services write doubles:
// "1.0", "1.5", "1.0E7", "1.0E-4", "NaN", "Infinity".
std::string format_aws_double(double value);

enum class TimestampFormat {
  kMillis,   // "2026-11-27T20:00:00.000Z" (DescribeAlarms, DescribeAlarmHistory)
  kSeconds,  // "2026-11-27T20:00:00Z" (GetMetricStatistics datapoints): the fraction is dropped
};
std::string format_aws_timestamp(std::int64_t unix_millis,
                                 TimestampFormat format = TimestampFormat::kMillis);

struct XmlWriterOptions {
  // Spaces per nesting level, every child element on its own line; 0 writes the whole document
  // on one line (EC2's error envelope).
  int indent = 2;
  // Starts with <?xml version="1.0" encoding="UTF-8"?> and a newline (EC2 answers).
  bool declaration = false;
};

// Writes one document top-down. Element and attribute names are the caller's constants and are
// written as given; all text and attribute values are escaped. An element closed without content
// is written as <Name/> (how empty lists appear: <OKActions/>).
class XmlWriter {
 public:
  explicit XmlWriter(XmlWriterOptions options = {});

  XmlWriter& open(std::string_view name);
  XmlWriter& open(std::string_view name, std::string_view attribute, std::string_view value);
  // Closes the innermost open element; does nothing when none is open.
  XmlWriter& close();

  // Leaf elements: <name>text</name>.
  XmlWriter& element(std::string_view name, std::string_view text);
  XmlWriter& boolean(std::string_view name, bool value);  // "true" / "false"
  XmlWriter& integer(std::string_view name, std::int64_t value);
  XmlWriter& number(std::string_view name, double value);  // format_aws_double
  XmlWriter& timestamp(std::string_view name, std::int64_t unix_millis,
                       TimestampFormat format = TimestampFormat::kMillis);
  XmlWriter& empty(std::string_view name);  // <name/>

  // <name><member>a</member><member>b</member></name>, or <name/> when `values` is empty;
  // `item` is "member" for awsQuery and "item" for ec2.
  XmlWriter& list(std::string_view name, std::span<const std::string> values,
                  std::string_view item = "member");
  // <name><entry><key>k</key><value>v</value></entry>..</name> (awsQuery maps), or <name/>; ec2
  // tag sets are lists of structures instead (<tagSet><item><key/><value/></item></tagSet>).
  XmlWriter& map(std::string_view name,
                 std::span<const std::pair<std::string, std::string>> entries,
                 std::string_view key = "key", std::string_view value = "value");

  // The number of elements open now.
  std::size_t depth() const { return open_.size(); }
  // Closes every open element, ends the document with a newline and returns it; the writer is
  // empty afterwards.
  std::string finish();

 private:
  // Completes a start tag still waiting for content, then starts a new line for a child.
  void begin_child();
  void start_tag(std::string_view name);

  XmlWriterOptions options_;
  std::string out_;
  std::vector<std::string> open_;
  bool start_tag_open_ = false;  // the innermost start tag lacks its '>' (no content yet)
};

// An awsQuery success response. xml() writes inside <{Op}Result>; for operations without an
// output shape (PutMetricAlarm, Unsubscribe, ...) pass has_result = false and write nothing.
// botocore finds <{Op}Result> by name, so it must be there whenever the operation has output.
class QueryResponseWriter {
 public:
  QueryResponseWriter(std::string_view operation, std::string_view xml_namespace,
                      bool has_result = true);

  XmlWriter& xml() { return xml_; }
  std::string finish(std::string_view request_id);

 private:
  XmlWriter xml_;
};

// An ec2 success response: the declaration, <{Op}Response xmlns=..> and <requestId> first, four
// spaces per level as EC2 writes it; xml() writes the members after the request id.
class Ec2ResponseWriter {
 public:
  Ec2ResponseWriter(std::string_view operation, std::string_view xml_namespace,
                    std::string_view request_id);

  XmlWriter& xml() { return xml_; }
  std::string finish();

 private:
  XmlWriter xml_;
};

}  // namespace sgwatch::aws
