// The request and response shapes of every security-group API that sgwatch lint-pattern
// exercises, written into the source from the real captures of ../shared/data/cloudtrail and
// the shapes of ../shared/spec/security-group-events.md (evidence per API below). Pure data;
// corpus.cpp wraps each shape in CloudTrail's envelope and derives the variants.
// Neighbours: corpus.h (the public view of the events built from these).
#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace sgwatch::lint {

// One request/response rendering of an API: the successful call's requestParameters and
// responseElements as CloudTrail logs them (JSON text; "null" where the call logs none).
struct Shape {
  std::string name;      // "success" for the API's main shape, else the variant's name
  std::string request;   // requestParameters
  std::string response;  // responseElements
};

struct ApiTemplate {
  std::string_view api;           // the API as the sg-all pack names it (sg-<api>)
  std::string_view event_source;  // e.g. "ec2.amazonaws.com"
  std::string_view event_name;    // as CloudTrail logs it (Lambda's carries its API version)
  std::string_view evidence;      // observed (where) / 3rd-party / model
  std::string_view service_caller;  // the AWS service that calls it on a user's behalf
  std::vector<Shape> shapes;      // shapes[0] is the main shape ("success")
};

// Every API with a template, in no particular order (corpus.cpp orders them as sg-all does).
const std::vector<ApiTemplate>& api_templates();

}  // namespace sgwatch::lint
