// Percent-encoding for the links notifications carry: the console deep link of an alarm email,
// SubscribeURL / UnsubscribeURL query values, the email unsubscribe link. Neighbours:
// alarm_message, http_envelope, email_message.
#pragma once

#include <string>
#include <string_view>

namespace sgwatch::notify {

// Every byte except RFC 3986 unreserved characters (A-Z a-z 0-9 - . _ ~) and those in `keep`
// becomes %XX (upper-case hex; UTF-8 bytes one by one).
std::string percent_encode(std::string_view text, std::string_view keep = {});

// A query value as AWS writes them in its links: ARNs and addresses stay readable (':' '@' '/'
// kept, which RFC 3986 allows in a query) while '&', '=', '+', '#', '%', spaces and the like are
// encoded.
std::string query_value(std::string_view text);

}  // namespace sgwatch::notify
