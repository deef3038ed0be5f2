// NextToken values: opaque to clients, a kind tag and a position inside, hex-encoded so that
// they pass through form and URL encoding unchanged. A token of another kind, or one that does
// not decode, is InvalidNextToken. Neighbours: the service APIs that paginate.
#pragma once

#include <optional>
#include <string>
#include <string_view>

#include "aws/errors.h"

namespace sgwatch::api {

std::string encode_page_token(std::string_view kind, std::string_view position);
// The position of a token made by encode_page_token(kind, ...); nullopt for anything else.
std::optional<std::string> decode_page_token(std::string_view kind, std::string_view token);

// InvalidNextToken (400), CloudWatch's code for a token it did not issue.
aws::WireError invalid_next_token();

}  // namespace sgwatch::api
