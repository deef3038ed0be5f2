// Reading AWS's XML answers (awsQuery and ec2) with pugixml: elements found by local name (any
// namespace prefix ignored), the text of the first match, every match, and an awsQuery call's
// <{Action}Result> element. Walks are iterative, so nesting depth never becomes recursion depth.
// Neighbours: client.h (query() returns the documents read here), aws_error.h (error documents).
#pragma once

#include <pugixml.hpp>
#include <string>
#include <string_view>
#include <vector>

namespace sgwatch::aws {

// The element name without its namespace prefix ("ns:Topics" -> "Topics").
std::string_view xml_local_name(const pugi::xml_node& node);

// The first child element of `node` named `name`; a null node (false in a test) when none.
pugi::xml_node xml_child(const pugi::xml_node& node, std::string_view name);
// Every child element of `node` named `name`, in document order.
std::vector<pugi::xml_node> xml_children(const pugi::xml_node& node, std::string_view name);

// The first descendant element of `node` (not `node` itself) named `name`, in document order; a
// null node when none.
pugi::xml_node xml_find(const pugi::xml_node& node, std::string_view name);
// Every descendant element of `node` named `name`, in document order (nested matches included).
std::vector<pugi::xml_node> xml_all(const pugi::xml_node& node, std::string_view name);

// The text of the first descendant element named `name`; empty when there is none.
std::string xml_text(const pugi::xml_node& node, std::string_view name);
// The text directly inside `node` (character data and CDATA of its children, joined).
std::string xml_own_text(const pugi::xml_node& node);

// The <{action}Result> child of the document's root element (<ListTopicsResult> of
// <ListTopicsResponse>); a null node when the answer has none (operations without output, ec2).
pugi::xml_node query_result(const pugi::xml_document& document, std::string_view action);

}  // namespace sgwatch::aws
