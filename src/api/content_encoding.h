// Request bodies sent compressed: botocore gzips PutMetricData bodies of 10 KB and more
// (Content-Encoding: gzip). SigV4 signs the compressed bytes, so the Dispatcher verifies the
// request as sent and reads its input from the inflated copy made here. Neighbours: dispatch.
#pragma once

#include <cstddef>
#include <optional>

#include "aws/errors.h"
#include "aws/http_request.h"
#include "core/result.h"

namespace sgwatch::api {

// nullopt when the body is not encoded (no Content-Encoding, or "identity"); otherwise a copy of
// `request` with the body inflated and Content-Encoding removed. Errors: an encoding other than
// gzip (InvalidParameterValue, 415), a body that does not inflate (InvalidParameterValue), an
// inflated body over `max_bytes` (RequestEntityTooLarge).
core::Result<std::optional<aws::HttpRequest>, aws::WireError> decoded_request(
    const aws::HttpRequest& request, std::size_t max_bytes);

}  // namespace sgwatch::api
