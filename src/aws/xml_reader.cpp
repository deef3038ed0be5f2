// Implementation of xml_reader.h.
#include "aws/xml_reader.h"

namespace sgwatch::aws {

namespace {

bool is_named(const pugi::xml_node& node, std::string_view name) {
  return node.type() == pugi::node_element && xml_local_name(node) == name;
}

// The element after `at` in a document-order walk of `root`'s descendants; null at the end.
pugi::xml_node next_in_walk(const pugi::xml_node& root, pugi::xml_node at) {
  if (pugi::xml_node child = at.first_child()) return child;
  while (at && at != root) {
    if (pugi::xml_node sibling = at.next_sibling()) return sibling;
    at = at.parent();
  }
  return pugi::xml_node();
}

}  // namespace

std::string_view xml_local_name(const pugi::xml_node& node) {
  const std::string_view name(node.name());
  const auto colon = name.rfind(':');
  return colon == std::string_view::npos ? name : name.substr(colon + 1);
}

pugi::xml_node xml_child(const pugi::xml_node& node, std::string_view name) {
  for (pugi::xml_node child = node.first_child(); child; child = child.next_sibling()) {
    if (is_named(child, name)) return child;
  }
  return pugi::xml_node();
}

std::vector<pugi::xml_node> xml_children(const pugi::xml_node& node, std::string_view name) {
  std::vector<pugi::xml_node> out;
  for (pugi::xml_node child = node.first_child(); child; child = child.next_sibling()) {
    if (is_named(child, name)) out.push_back(child);
  }
  return out;
}

pugi::xml_node xml_find(const pugi::xml_node& node, std::string_view name) {
  if (!node) return pugi::xml_node();
  for (pugi::xml_node at = node.first_child(); at; at = next_in_walk(node, at)) {
    if (is_named(at, name)) return at;
  }
  return pugi::xml_node();
}

std::vector<pugi::xml_node> xml_all(const pugi::xml_node& node, std::string_view name) {
  std::vector<pugi::xml_node> out;
  if (!node) return out;
  for (pugi::xml_node at = node.first_child(); at; at = next_in_walk(node, at)) {
    if (is_named(at, name)) out.push_back(at);
  }
  return out;
}

std::string xml_own_text(const pugi::xml_node& node) {
  std::string out;
  for (pugi::xml_node child = node.first_child(); child; child = child.next_sibling()) {
    if (child.type() == pugi::node_pcdata || child.type() == pugi::node_cdata) {
      out += child.value();
    }
  }
  return out;
}

std::string xml_text(const pugi::xml_node& node, std::string_view name) {
  const pugi::xml_node found = xml_find(node, name);
  return found ? xml_own_text(found) : std::string();
}

pugi::xml_node query_result(const pugi::xml_document& document, std::string_view action) {
  const pugi::xml_node root = document.document_element();
  if (!root) return pugi::xml_node();
  std::string name(action);
  name += "Result";
  return xml_child(root, name);
}

}  // namespace sgwatch::aws
