// Request ids: a random UUID (version 4) per request, the value AWS puts in x-amzn-RequestId and
// in <RequestId>. Neighbours: dispatch (one per request), the service APIs (their envelopes).
#pragma once

#include <string>

namespace sgwatch::api {

// "0f8fad5b-d9cb-469f-a165-70867728950e": 122 random bits from OpenSSL's generator, lower-case.
std::string new_request_id();

}  // namespace sgwatch::api
